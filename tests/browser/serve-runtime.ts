/**
 * Starts the real runtime for the browser tests when the CLI entry (apps/runtime/bin/kinegraph.mjs) is not
 * there: same startServer, same options as `kinegraph serve --port --data`.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from '../../apps/runtime/src/server/start.js';

const { values } = parseArgs({ options: { port: { type: 'string' }, data: { type: 'string' } } });
const dataDir = path.resolve(values.data ?? '.kinegraph');
const server = await startServer({ port: Number(values.port ?? 8188), dataDir, modelsDir: path.join(dataDir, 'models') });
console.log(`kinegraph: serving ${server.url}`);
const stop = () => void server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
