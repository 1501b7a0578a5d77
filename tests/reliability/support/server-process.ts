import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ServerOptions } from '../../../apps/runtime/src/server/start.js';
import { awaitListening } from './await-listening.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const main = path.join(here, 'server-main.ts');
// tsx by absolute URL: the child runs in its data folder, where no node_modules is found.
const tsxLoader = pathToFileURL(path.join(here, '../../../node_modules/tsx/dist/loader.mjs')).href;

/** A server process (see server-main.ts): its own pid, so its memory is measured alone and a kill -9 is real. */
export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  logs: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resident memory now and its peak since start (VmRSS, VmHWM), in MB. */
  memory(): { rssMb: number; peakMb: number };
  /** CPU time the process has used (user + system), ms. */
  cpuMs(): number;
  /** SIGTERM and wait (clean stop). */
  stop(): Promise<void>;
}

export type ServerProcessOptions = Partial<Omit<ServerOptions, 'log' | 'extraNodes' | 'registry'>> & {
  dataDir: string;
  /** KINEGRAPH_FAULT (see apps/runtime/src/server/store/fault-injection.ts). */
  fault?: string;
};

export async function startServerProcess(o: ServerProcessOptions): Promise<ServerProcess> {
  const { fault, ...opts } = o;
  const { KINEGRAPH_TOKEN: _t, KINEGRAPH_FAULT: _f, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', tsxLoader, main], {
    cwd: o.dataDir,
    env: { ...env, FORCE_COLOR: '0', KG_SERVER_OPTIONS: JSON.stringify(opts), ...(fault ? { KINEGRAPH_FAULT: fault } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { url, output, exited } = await awaitListening(child);
  const pid = child.pid!;
  return {
    child,
    pid,
    url,
    logs: output,
    exited,
    memory: () => procMemory(pid),
    cpuMs: () => procCpuMs(pid),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** VmRSS and VmHWM of a Linux process, in MB (0 where /proc is not there). */
export function procMemory(pid: number): { rssMb: number; peakMb: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return { rssMb: 0, peakMb: 0 };
  }
}

/** utime + stime of a Linux process, in ms (0 where /proc is not there). */
export function procCpuMs(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces, in parentheses): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}
