import { ExitCode } from '../exit-codes.js';

export interface ServeCommandOptions {
  host: string;
  port: string;
  data: string;
  models: string;
  provider: 'auto' | 'cpu' | 'webgpu';
  cacheMb?: string;
  token?: string;
}

/** `kinegraph serve`: the runtime server and the editor on one port, until Ctrl-C. */
export async function serveCommand(o: ServeCommandOptions): Promise<number> {
  const { startServer } = await import('../../server/start.js');
  const server = await startServer({
    host: o.host,
    port: Number(o.port),
    dataDir: o.data,
    modelsDir: o.models,
    provider: o.provider,
    cacheMb: o.cacheMb === undefined ? undefined : Number(o.cacheMb),
    token: o.token,
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
