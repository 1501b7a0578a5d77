import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const binPath = path.join(repoRoot, 'apps/runtime/bin/kinegraph.mjs');

/** Where redis-server is, or undefined when this machine has none (the tests then say so and skip). */
export function findRedisServer(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'redis-server');
    if (dir && spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return undefined;
}

/** A free loopback port (taken and given back; the child binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A child process whose output is kept and can be waited on. */
export class Child {
  output = '';
  private readonly waiters: Array<{ re: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    const take = (c: Buffer) => {
      this.output += c.toString();
      for (const w of [...this.waiters]) {
        const m = this.output.match(w.re);
        if (m) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    };
    proc.stdout?.on('data', take);
    proc.stderr?.on('data', take);
    this.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  }

  /** Resolves with the first match of `re` in everything the child printed so far or prints later. */
  waitFor(re: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    const m = this.output.match(re);
    if (m) return Promise.resolve(m);
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`${this.name}: no ${re} within ${timeoutMs} ms; output:\n${this.output.slice(-4000)}`)),
        timeoutMs,
      );
      this.waiters.push({ re, resolve: (mm) => (clearTimeout(t), resolve(mm)) });
    });
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill(signal);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** redis-server on a random loopback port, nothing persisted, in its own temp folder (no shell involved). */
export async function startRedis(bin: string): Promise<{ url: string; child: Child }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kinegraph-workers-redis-'));
  const port = await freePort();
  const proc = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child = new Child('redis-server', proc);
  await child.waitFor(/Ready to accept connections/, 20_000);
  return { url: `redis://127.0.0.1:${port}`, child };
}

/** The real `kinegraph` bin as its own process (serve or worker). */
export function kinegraph(name: string, args: string[], cwd = repoRoot): Child {
  const proc = spawn(process.execPath, [binPath, ...args], {
    cwd,
    env: { ...process.env, FORCE_COLOR: '0', KINEGRAPH_NO_EDITOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Child(name, proc);
}

export async function startServer(dataDir: string, redisUrl: string): Promise<{ url: string; child: Child }> {
  const child = kinegraph('server', ['serve', '--port', '0', '--data', dataDir, '--queue', redisUrl, '--device', 'cpu']);
  const m = await child.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return { url: m[1]!, child };
}

/** A worker with a short lock, so a killed one's job is handed on within seconds. */
export async function startWorker(name: string, dataDir: string, redisUrl: string): Promise<Child> {
  const child = kinegraph(name, [
    'worker',
    '--queue',
    redisUrl,
    '--data',
    dataDir,
    '--name',
    name,
    '--device',
    'cpu',
    '--lock-ms',
    '2000',
    '--stall-check-ms',
    '1000',
  ]);
  await child.waitFor(/taking runs from/);
  return child;
}
