import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ffmpegPath } from '@kinegraph/nodes';
import { binPath } from '../cli/cli-harness.js';
import { awaitListening } from './support/await-listening.js';

/** `kinegraph serve` in a child process, as a user starts it: killed and signalled for real. */
export interface ChildServer {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  /** Resolves with the exit code and signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startChildServer(dataDir: string): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    [binPath, 'serve', '--port', '0', '--data', dataDir, '--models', path.join(dataDir, 'models'), '--device', 'cpu'],
    {
      cwd: dataDir,
      // API only: a child must not start a background editor build in the shared checkout.
      env: { ...withoutToken(process.env), FORCE_COLOR: '0', KINEGRAPH_NO_EDITOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const { url, output, exited } = await awaitListening(child);
  return { child, url, stderr: output, exited };
}

/**
 * A clip in the data folder's input and a workflow that takes a while on it (a 4x upscale of every frame,
 * then an H.264 encode), so a signal or a kill lands mid-run.
 */
export async function longVideoWorkflow(dataDir: string, seconds = 6): Promise<Record<string, unknown>> {
  await mkdir(path.join(dataDir, 'input'), { recursive: true });
  execFileSync(ffmpegPath(), [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=320x240:rate=24',
    '-t',
    String(seconds),
    '-pix_fmt',
    'yuv420p',
    path.join(dataDir, 'input', 'clip.mp4'),
  ]);
  return {
    format: 'kinegraph.workflow',
    version: 1,
    nodes: {
      load: { type: 'LoadVideo', params: { video: 'clip.mp4' } },
      up: { type: 'UpscaleVideo', params: { factor: '4' }, inputs: { video: ['load', 'video'] } },
      save: { type: 'SaveVideo', params: { filename_prefix: 'big' }, inputs: { video: ['up', 'video'] } },
    },
  };
}

function withoutToken(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { KINEGRAPH_TOKEN: _t, ...rest } = env;
  return rest;
}
