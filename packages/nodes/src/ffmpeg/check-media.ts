import { spawn } from 'node:child_process';
import { OperationalError, UserError } from '@kinegraph/graph-core';
import { ffmpegPath } from './binaries.js';
import { mediaInputArgs, requireMedia } from './media-type.js';
import { probe, type ProbeResult } from './probe.js';

export interface CheckedMedia {
  ext: string;
  mime: string;
  /** Seconds, as the container says (0 when it does not say). */
  duration: number;
  width?: number;
  height?: number;
  channels?: number;
  sampleRate?: number;
}

export interface CheckMediaOptions {
  /** Longest stretch of sound decoded to prove the file whole (longer files are checked up to here). */
  maxSeconds?: number;
  signal?: AbortSignal;
}

/** As much as LoadAudio ever reads (its max_seconds). */
const DEFAULT_MAX_SECONDS = 3600;
/** Video uploads: decoding the first frames proves the codec works; a whole clip would take minutes. */
const VIDEO_CHECK_FRAMES = 3;

/**
 * Proves an untrusted file is a sound or a video a loader node will read, before the server keeps it: the type
 * its bytes show (never its name), ffprobe with the demuxer pinned to that type and only the file protocol, a
 * stream with sane parameters, then a real decode with ffmpeg stopping at the first error (`-xerror`): a WAV
 * whose header promises more data than the file holds, or a cut FLAC, is refused here and not mid-run.
 * `name` is the user's name for the file: messages never show the path (a server's folders stay private).
 */
export async function checkMediaFile(
  file: string,
  name: string,
  want: 'audio' | 'video',
  o: CheckMediaOptions = {},
): Promise<CheckedMedia> {
  const media = await requireMedia(file, name, want, want);
  let probed: ProbeResult;
  try {
    probed = await probe(file, media);
  } catch (e) {
    throw new UserError(`"${name}" is not a readable ${want} file: ${reason((e as Error).message, file)}`, want);
  }
  const track = probed.streams.find((s) => s.codec_type === want);
  if (!track) throw new UserError(`"${name}" has no ${want} track`, want);
  if (!track.codec_name)
    throw new UserError(`"${name}" uses a ${want} codec that can not be decoded (the header names no known codec)`, want);
  const out: CheckedMedia = { ext: media.ext, mime: media.mime, duration: Number(probed.format.duration ?? 0) || 0 };
  if (want === 'audio') {
    const channels = Number(track.channels ?? 0);
    const rate = Number(track.sample_rate ?? 0);
    if (!(channels >= 1)) throw new UserError(`"${name}" declares no audio channels`, want);
    if (!(rate > 0)) throw new UserError(`"${name}" declares no sample rate`, want);
    out.channels = channels;
    out.sampleRate = rate;
  } else {
    if (!track.width || !track.height) throw new UserError(`"${name}" has a video track with no picture size`, want);
    out.width = track.width;
    out.height = track.height;
  }
  const limit =
    want === 'audio'
      ? ['-map', '0:a:0', '-t', String(o.maxSeconds ?? DEFAULT_MAX_SECONDS)]
      : ['-map', '0:v:0', '-frames:v', String(VIDEO_CHECK_FRAMES)];
  // Warnings too: a FLAC of garbage frames decodes to nothing without an error, and only a warning says so.
  const args = ['-v', 'warning', '-nostdin', '-xerror', ...mediaInputArgs(file, media), ...limit, '-f', 'null', '-'];
  const { code, stderr } = await run(args, o.signal);
  if (code === 0 && /Output file is empty, nothing was encoded/.test(stderr))
    throw new UserError(`"${name}" holds no decodable ${want}: not one frame of it decodes`, want);
  if (code !== 0) {
    const why = reason(stderr, file) || `exit code ${code}`;
    const cut = /corrupt|truncat|end of file|invalid residual|decode_frame\(\) failed|Invalid data/i.test(stderr);
    throw new UserError(`"${name}" is ${cut ? 'truncated or damaged' : 'not decodable'}: ${why}`, want);
  }
  return out;
}

function run(args: string[], signal: AbortSignal | undefined): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(ffmpegPath(), args, { stdio: ['ignore', 'ignore', 'pipe'], signal });
    let stderr = '';
    proc.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 8000) stderr += c.toString();
    });
    proc.on('error', (err) => reject(new OperationalError(`Could not start ffmpeg: ${err.message}`, { cause: err })));
    proc.on('close', (code) => resolve({ code, stderr }));
  });
}

/** The most telling line of ffmpeg's words, without the file's path and ffmpeg's internal prefixes. */
function reason(text: string, file: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line =
    lines.find(
      (l) => /corrupt|invalid|error|failed|unsupported|too many|not find/i.test(l) && !/Terminating thread|Task finished/.test(l),
    ) ??
    lines.at(-1) ??
    '';
  return line
    .split(file)
    .join('')
    .replace(/file:(?=:|\s|$)/g, '')
    .replace(/^\[[^\]]*\]\s*/g, '')
    .replace(/^ffprobe could not read\s*:?\s*/, '')
    .replace(/^:\s*/, '')
    .slice(0, 300);
}
