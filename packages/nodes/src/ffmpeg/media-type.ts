import { fileTypeFromFile } from 'file-type';
import { UserError } from '@kinegraph/graph-core';
import { readFileHead } from '../host/read-file-head.js';

/** A user's media file as its bytes say it is, and the one ffmpeg demuxer that reads that type. */
export interface MediaType {
  ext: string;
  mime: string;
  demuxer: string;
}

/**
 * file-type's name for a type → the ffmpeg demuxer to force for it. Each of these reads only the file it is
 * given (mov's external data references stay off, ffmpeg's default); playlist and script demuxers (hls, dash,
 * concat, image2 patterns) are never named, so a file can never make ffmpeg open another one.
 */
const DEMUXERS: Readonly<Record<string, string>> = {
  mp3: 'mp3',
  mp2: 'mp3',
  mp1: 'mp3',
  wav: 'wav',
  flac: 'flac',
  aac: 'aac',
  ac3: 'ac3',
  aif: 'aiff',
  amr: 'amr',
  ape: 'ape',
  wv: 'wv',
  ogg: 'ogg',
  oga: 'ogg',
  opus: 'ogg',
  spx: 'ogg',
  ogv: 'ogg',
  ogm: 'ogg',
  ogx: 'ogg',
  mp4: 'mov',
  m4a: 'mov',
  m4v: 'mov',
  m4b: 'mov',
  m4p: 'mov',
  mov: 'mov',
  '3gp': 'mov',
  '3g2': 'mov',
  mj2: 'mov',
  f4v: 'mov',
  f4a: 'mov',
  f4b: 'mov',
  f4p: 'mov',
  mkv: 'matroska',
  webm: 'matroska',
  avi: 'avi',
  mpg: 'mpeg',
  mts: 'mpegts',
  flv: 'flv',
  asf: 'asf',
  gif: 'gif',
  apng: 'apng',
};

export type Sniffed = { media: MediaType } | { media?: undefined; found: string; image: boolean; fetchesOthers: boolean };

/** Tells a file's type from its bytes (never its name). */
export async function sniffMedia(file: string): Promise<Sniffed> {
  const type = await fileTypeFromFile(file);
  if (type) {
    const demuxer = DEMUXERS[type.ext];
    if (demuxer) return { media: { ext: type.ext, mime: type.mime, demuxer } };
    return { found: `${type.mime} (.${type.ext})`, image: type.mime.startsWith('image/'), fetchesOthers: false };
  }
  const head = (await readFileHead(file, 512))
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart();
  if (/^#EXTM3U/i.test(head)) return { found: 'an HLS/M3U playlist (text)', image: false, fetchesOthers: true };
  if (/^ffconcat\b|^file\s+'/im.test(head)) return { found: 'an ffmpeg concat script (text)', image: false, fetchesOthers: true };
  const text = head.length > 0 && !/[\x00-\x08\x0e-\x1f]/.test(head);
  return { found: text ? 'text' : 'unrecognised binary data', image: false, fetchesOthers: false };
}

/**
 * The sniffed type of a file a node decodes, or a UserError that names the file and what it really is.
 * `want` words the error for the node: an image is "no audio track" to LoadAudio, "not a video" to LoadVideo.
 */
export async function requireMedia(file: string, name: string, want: 'audio' | 'video', field: string): Promise<MediaType> {
  const sniffed = await sniffMedia(file);
  if (sniffed.media) return sniffed.media;
  const is = `its bytes are ${sniffed.found}, not a sound or video file`;
  if (sniffed.image) {
    throw new UserError(
      want === 'audio' ? `"${name}" has no audio track: ${is}` : `"${name}" is not a video: ${is} (Load Image reads pictures)`,
      field,
    );
  }
  const why = sniffed.fetchesOthers ? ', and playlists and concat scripts are refused because they make ffmpeg read other files' : '';
  throw new UserError(`"${name}" is not a readable ${want} file: ${is}${why}`, field);
}

/**
 * Input arguments that read exactly this one file as its sniffed type: the demuxer is forced (never guessed
 * from the name or content by ffmpeg) and only the file and pipe protocols may open anything.
 */
export function mediaInputArgs(file: string, media: MediaType): string[] {
  // `file:` keeps a name with a colon from being read as a protocol.
  return ['-protocol_whitelist', 'file,pipe', '-f', media.demuxer, '-i', `file:${file}`];
}
