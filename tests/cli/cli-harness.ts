import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const binPath = path.join(repoRoot, 'apps/runtime/bin/kinegraph.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `kinegraph` bin in a child process, as a user would. */
export function kinegraph(
  args: string[],
  o: { cwd: string; onStdout?: (text: string, child: ReturnType<typeof spawn>) => void },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], { cwd: o.cwd, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      o.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A scratch folder holding `photo.jpg`: a real photo when .testdata has one, else a generated picture. */
export async function scratchWithPhoto(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kinegraph-cli-'));
  const real = path.join(repoRoot, '.testdata/photos/Kite.jpg');
  if (existsSync(real)) await copyFile(real, path.join(dir, 'photo.jpg'));
  else {
    const w = 640;
    const h = 400;
    const data = Buffer.alloc(w * h * 3);
    for (let i = 0; i < w * h; i++) {
      data[i * 3] = (i % w) % 256;
      data[i * 3 + 1] = Math.floor(i / w) % 256;
      data[i * 3 + 2] = 128;
    }
    await sharp(data, { raw: { width: w, height: h, channels: 3 } })
      .jpeg()
      .toFile(path.join(dir, 'photo.jpg'));
  }
  return dir;
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, JSON.stringify(value, null, 2));
}

/** LoadImage → ResizeImage → SaveImage, the smallest real pipeline. */
export function resizeWorkflow(image: string, width = 160, height = 90) {
  return {
    format: 'kinegraph.workflow',
    version: 1,
    nodes: {
      load: { type: 'LoadImage', params: { image } },
      resize: { type: 'ResizeImage', params: { width, height, mode: 'crop' }, inputs: { image: ['load', 'image'] } },
      save: { type: 'SaveImage', params: { filename_prefix: 'small' }, inputs: { image: ['resize', 'image'] } },
    },
  };
}
