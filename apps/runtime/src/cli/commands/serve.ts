import { CliError, ExitCode } from '../exit-codes.js';

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
}

/** `kinegraph serve`: the runtime server and the editor on one port, until Ctrl-C. */
export async function serveCommand(o: ServeCommandOptions): Promise<number> {
  const { startServer } = await import('../../server/start.js');
  const server = await startServer({
    host: o.host ?? o.listen,
    port: Number(o.port),
    dataDir: o.data,
    modelsDir: o.models,
    provider: o.device === undefined ? o.provider : o.device === 'gpu' ? 'webgpu' : o.device,
    cacheMb: o.cacheMb === undefined ? undefined : Number(o.cacheMb),
    diskCacheMb: o.diskCacheMb === undefined ? undefined : Number(o.diskCacheMb),
    token: o.token,
  }).catch((e: Error) => {
    // A refusal (no token for a public address, port in use) is the user's to fix: no stack.
    throw new CliError(e.message);
  });
  process.stderr.write(`Kinegraph is running at ${server.url} (Ctrl-C stops it)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return ExitCode.ok;
}
