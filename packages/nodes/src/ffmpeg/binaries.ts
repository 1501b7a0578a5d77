import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { OperationalError } from '@kinegraph/graph-core';

const require = createRequire(import.meta.url);

/** The ffmpeg binary: FFMPEG_PATH when set, else the one @ffmpeg-installer ships for this platform. */
export function ffmpegPath(): string {
  return binary('ffmpeg', 'FFMPEG_PATH', '@ffmpeg-installer/ffmpeg');
}

/** The ffprobe binary: FFPROBE_PATH when set, else the one @ffprobe-installer ships. */
export function ffprobePath(): string {
  return binary('ffprobe', 'FFPROBE_PATH', '@ffprobe-installer/ffprobe');
}

function binary(name: string, envVar: string, pkg: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (!executable(fromEnv)) throw new OperationalError(`${envVar} is set to ${fromEnv}, which is not an executable file`);
    return fromEnv;
  }
  let found: string;
  try {
    found = (require(pkg) as { path: string }).path;
  } catch (err) {
    throw new OperationalError(`No ${name} binary for this platform: install ${pkg} or set ${envVar}`, { cause: err });
  }
  if (!executable(found)) throw new OperationalError(`The ${name} binary at ${found} can not be run: reinstall ${pkg} or set ${envVar}`);
  return found;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
