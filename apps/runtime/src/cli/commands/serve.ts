import { CliError, ExitCode } from '../exit-codes.js';
import { chooseToken } from '../token-source.js';

export interface ServeCommandOptions {
  listen: string;
  host?: string;
  port: string;
  data: string;
  models: string;
  provider: 'auto' | 'cpu' | 'webgpu';
  /** The name for the provider choice: gpu means the WebGPU execution provider. */
  device?: 'auto' | 'cpu' | 'gpu';
  cacheMb?: string;
  diskCacheMb?: string;
  token?: string;
  tokenFile?: string;
  /** redis://host:port: the queue in Redis (BullMQ), run by `kinegraph worker` processes. */
  queue?: string;
}

/** `kinegraph serve`: the runtime server and the editor on one port, until Ctrl-C. */
export async function serveCommand(o: ServeCommandOptions): Promise<number> {
  const { startServer } = await import('../../server/start.js');
  const chosen = await chooseToken(o);
  for (const w of chosen.warnings) process.stderr.write(`kinegraph: warning: ${w}\n`);
  const server = await startServer({
    host: o.host ?? o.listen,
    port: Number(o.port),
    dataDir: o.data,
    modelsDir: o.models,
    provider: o.device === undefined ? o.provider : o.device === 'gpu' ? 'webgpu' : o.device,
    cacheMb: o.cacheMb === undefined ? undefined : Number(o.cacheMb),
    diskCacheMb: o.diskCacheMb === undefined ? undefined : Number(o.diskCacheMb),
    token: chosen.token,
    ...(o.queue ? { queueUrl: o.queue } : {}),
    // KINEGRAPH_NO_EDITOR=1 serves the API only (headless use, tests: no background editor build).
    ...(process.env.KINEGRAPH_NO_EDITOR === '1' ? { editorDir: false as const } : {}),
  }).catch((e: Error) => {
    // A refusal (no token for a public address, port in use) is the user's to fix: no stack.
    throw new CliError(e.message);
  });
  process.stderr.write(`Kinegraph is running at ${server.url} (Ctrl-C stops it)\n`);
  await shutdownOnSignal(() => server.close());
  return ExitCode.ok;
}

/** After this long a further signal stops at once (a shutdown that hangs); before it, signals only repeat the request. */
const FORCE_AFTER_MS = 10_000;

/**
 * Waits for SIGINT or SIGTERM, then runs `close` (stop accepting, interrupt and record the run, flush the queue).
 * Our handlers stay installed until the end: Ctrl-C under `npm start` arrives twice (the terminal signals the
 * group, npm passes it on), and write-file-atomic's signal-exit re-raises a signal it sees no other listener
 * for, which would kill the process mid-shutdown with no record of the run.
 */
export async function shutdownOnSignal(close: () => Promise<void>): Promise<void> {
  let stopping = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    if (!stopping) {
      stopping = Date.now();
      process.stderr.write(`Stopping (${signal}): recording the running run and saving the queue...\n`);
      close().then(finish, (e: Error) => {
        process.stderr.write(`kinegraph: error while stopping: ${e.message}\n`);
        finish();
      });
    } else if (Date.now() - stopping > FORCE_AFTER_MS) {
      process.stderr.write('kinegraph: stopping took too long; exiting now\n');
      process.exit(ExitCode.interrupted);
    } else {
      process.stderr.write('Still stopping...\n');
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // The handlers stay until the process exits (main exits right after), so a late signal changes nothing.
  await done;
}
