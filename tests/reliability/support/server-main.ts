/**
 * A Kinegraph server in its own process for the reliability passes: the installed nodes plus the test nodes
 * (TestSteps, for runs with many progress messages and previews), so its RSS is measured alone and it can be
 * killed for real. Options come as JSON in KG_SERVER_OPTIONS; prints "running at <url>" on stderr.
 */
import path from 'node:path';
import { startServer, type ServerOptions } from '../../../apps/runtime/src/server/start.js';
import { testNodes } from '../../server/test-nodes.js';

const opts = JSON.parse(process.env.KG_SERVER_OPTIONS ?? '{}') as Partial<ServerOptions> & { dataDir: string };
const server = await startServer({
  port: 0,
  modelsDir: path.join(opts.dataDir, 'models'),
  editorDir: false,
  provider: 'cpu',
  extraNodes: testNodes,
  log: (m) => process.stderr.write(`${m}\n`),
  ...opts,
});
process.stderr.write(`running at ${server.url}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
