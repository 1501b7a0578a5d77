import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Services, ServiceToken } from '@kinegraph/graph-core';
import { ffmpegPath } from '../../ffmpeg/binaries.js';
import { ImageValue } from '../../values/image.js';
import { KeyFoldersToken, type KeyFolder } from '../key.js';
import { MiniMaxSettingsToken, type MiniMaxSettings } from '../settings.js';

/** A real H.264 MP4 (1 s, 320x180, 24 fps, yuv420p) made with the project's ffmpeg: what the stand-in serves. */
export async function makeTestMp4(): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kinegraph-minimax-mp4-'));
  try {
    const file = path.join(dir, 'clip.mp4');
    execFileSync(ffmpegPath(), [
      '-v',
      'error',
      '-nostdin',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=320x180:rate=24:duration=1',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-movflags',
      '+faststart',
      file,
    ]);
    return await readFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Waits short enough that a test with retries, slow tasks and timeouts takes a fraction of a second. */
export const FAST: Partial<MiniMaxSettings> = {
  pollStartMs: 5,
  pollMaxMs: 20,
  taskTimeoutMs: 20_000,
  requestTimeoutMs: 5_000,
  downloadTimeoutMs: 10_000,
  attempts: 3,
  retryBaseMs: 5,
  retryMaxMs: 20,
};

/** The host's services with MiniMax's key folders and settings replaced (nothing read from the real home folder). */
export function withMiniMax(services: Services, keyFolders: KeyFolder[], settings: Partial<MiniMaxSettings> = FAST): Services {
  const own = new Map<string, unknown>([
    [KeyFoldersToken.name, keyFolders],
    [MiniMaxSettingsToken.name, settings],
  ]);
  return {
    get<T>(token: ServiceToken<T>): T {
      return own.has(token.name) ? (own.get(token.name) as T) : services.get(token);
    },
    has: (token) => own.has(token.name) || services.has(token),
  };
}

/** A photo-like IMAGE: a gradient with a bright disc, `width`x`height`. */
export function testImage(width = 480, height = 320): ImageValue {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const disc = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (height / 4) ** 2;
      data[i] = disc ? 250 : Math.round((x / width) * 180);
      data[i + 1] = disc ? 230 : Math.round((y / height) * 160);
      data[i + 2] = disc ? 120 : 90;
    }
  }
  return new ImageValue(width, height, data);
}
