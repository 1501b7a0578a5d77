import { link, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import sharp from 'sharp';
import { findLimitBreach, migrateWorkflow, UserError, WorkflowSchema } from '@kinegraph/graph-core';
import { checkMediaFile } from '@kinegraph/nodes';
import { fileUrl, type UploadKind, type UploadResponse } from '../../protocol/index.js';
import { HttpError } from '../http-error.js';
import { SNIFF_BYTES, type ReceivedUpload } from './receive-upload.js';

type MediaKind = Exclude<UploadKind, 'workflow'>;

const ALLOWED: Record<MediaKind, Set<string>> = {
  // What Load Image reads (and says it reads): the editor's file picker offers the same.
  image: new Set(['jpg', 'png', 'webp', 'avif', 'tif']),
  audio: new Set(['wav', 'mp3', 'ogg', 'oga', 'opus', 'flac', 'm4a']),
  video: new Set(['mp4', 'm4v', 'mov', 'webm', 'mkv']),
};

export interface UploadLimits {
  maxImagePixels: number;
}

/**
 * The early look at an upload's first bytes: a file that is plainly not of its kind is refused before the
 * rest of it arrives. An MP3 behind a large ID3 tag (the one type told only from further in) passes here and
 * is judged on the whole file.
 */
export async function checkUploadHead(kind: UploadKind, head: Buffer): Promise<void> {
  if (kind === 'workflow') {
    const first = head
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart()[0];
    if (head.length > 0 && first !== undefined && first !== '{')
      throw new HttpError(400, 'unsupported_type', 'A workflow upload must be a JSON object (it does not start with "{")');
    return;
  }
  const type = await fileTypeFromBuffer(head);
  if (type) {
    if (!ALLOWED[kind].has(type.ext)) throw notOfKind(kind, type.mime);
    return;
  }
  // Every accepted type shows in its first bytes, but for an MP3 behind an ID3 tag longer than the head.
  const id3 = head.subarray(0, 3).toString('latin1') === 'ID3';
  if (head.length > 0 && !(kind === 'audio' && id3 && head.length >= SNIFF_BYTES)) throw notOfKind(kind, undefined);
}

/**
 * Checks a received upload by its bytes (never its name) and moves it into the input folder under a safe,
 * content-derived name (`<readable-base>-<sha256 prefix>.<ext>`): the same file uploaded twice is one file.
 * Images are decoded, sounds and videos probed and decoded (see checkMediaFile), workflows parsed and checked.
 * The move is a hard link of the finished temp file, atomic and never over an existing file: a reader sees no
 * file or the whole one. The caller removes the temp file afterwards whatever happened.
 */
export async function storeUpload(
  kind: UploadKind,
  originalName: string | undefined,
  up: ReceivedUpload,
  inputDir: string,
  limits: UploadLimits,
): Promise<UploadResponse> {
  if (up.size === 0) throw new HttpError(400, 'bad_request', 'The upload is empty');
  const shown = path.basename(originalName ?? '') || 'the upload';
  let ext: string;
  let mime: string;
  let size: { width: number; height: number } | undefined;
  if (kind === 'workflow') {
    await checkWorkflow(up.tempFile);
    ext = 'json';
    mime = 'application/json';
  } else {
    const type = await fileTypeFromFile(up.tempFile);
    if (!type || !ALLOWED[kind].has(type.ext)) throw notOfKind(kind, type?.mime);
    ext = type.ext;
    mime = type.mime;
    if (kind === 'image') size = await checkImage(up.tempFile, limits);
    else {
      try {
        const media = await checkMediaFile(up.tempFile, shown, kind);
        if (media.width && media.height) size = { width: media.width, height: media.height };
      } catch (e) {
        if (e instanceof UserError) throw new HttpError(400, 'unsupported_type', `Not an accepted ${kind} file: ${e.message}`);
        throw e;
      }
    }
  }
  const name = `${readableBase(originalName)}-${up.sha256.slice(0, 12)}.${ext}`;
  await moveIntoPlace(up.tempFile, path.join(inputDir, name));
  const res: UploadResponse = { name, kind, mime, size: up.size, url: fileUrl('input', name) };
  if (size) {
    res.width = size.width;
    res.height = size.height;
  }
  return res;
}

async function moveIntoPlace(temp: string, final: string): Promise<void> {
  try {
    await link(temp, final);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // Same name means same bytes (the name holds the hash): already stored.
    if (code === 'EEXIST') return;
    // A file system without hard links: a rename is atomic too (and replaces only a file with the same bytes).
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') return rename(temp, final);
    throw e;
  }
}

function notOfKind(kind: MediaKind, found: string | undefined): HttpError {
  return new HttpError(
    415,
    'unsupported_type',
    `Not an accepted ${kind} file (found ${found ?? 'unknown data'}; accepted: ${[...ALLOWED[kind]].join(', ')})`,
  );
}

async function checkWorkflow(file: string): Promise<void> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new HttpError(400, 'unsupported_type', `A workflow upload must be JSON: ${(e as Error).message}`);
  }
  // The same bounds as a submitted workflow, before the schema walks it.
  const breach = findLimitBreach(doc);
  if (breach)
    throw new HttpError(413, 'limit_exceeded', `${breach.message} (at ${breach.path || 'the top'})`, undefined, {
      limit: { name: breach.limit, max: breach.max },
    });
  const r = WorkflowSchema.safeParse(migrateWorkflow(doc));
  if (!r.success) {
    const issues = r.error.issues.slice(0, 100).map((i) => ({ code: 'invalid_document', message: i.message, field: i.path.join('.') }));
    throw new HttpError(400, 'unsupported_type', 'Not a Kinegraph workflow document', issues);
  }
}

/** The size as shown (EXIF orientation applied), as LoadImage will see it; refused past the pixel limit or when it does not decode. */
async function checkImage(file: string, limits: UploadLimits): Promise<{ width: number; height: number }> {
  let meta: { width?: number; height?: number; autoOrient?: { width: number; height: number } };
  try {
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new HttpError(400, 'unsupported_type', `The image can not be read: ${(e as Error).message}`);
  }
  // A phone's portrait photo is portrait.
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) throw new HttpError(400, 'unsupported_type', 'The image has no size');
  if (width * height > limits.maxImagePixels) {
    throw new HttpError(
      413,
      'image_too_large',
      `The image is ${width}x${height} (${((width * height) / 1e6).toFixed(1)} MP); the limit is ${(limits.maxImagePixels / 1e6).toFixed(1)} MP`,
    );
  }
  await checkDecodes(file);
  return { width, height };
}

/**
 * Decodes the whole file at a small size (JPEG and WebP shrink while decoding, so this stays fast for big
 * photos): a truncated or corrupt image is refused when the user drops it, not when a run reaches LoadImage.
 */
async function checkDecodes(file: string): Promise<void> {
  try {
    await sharp(file, { limitInputPixels: false, failOn: 'truncated' }).resize(256, 256, { fit: 'inside' }).raw().toBuffer();
  } catch (e) {
    const why = (e as Error).message.split('\n')[0].trim().split(file).join('the file');
    const truncated = /truncat|premature|end of (file|stream)|unexpected end|short read|read error/i.test(why);
    throw new HttpError(400, 'unsupported_type', `The image is ${truncated ? 'truncated' : 'corrupt'}: ${why}`);
  }
}

function readableBase(name: string | undefined): string {
  const base = path.basename(name ?? '').replace(/\.[^.]*$/, '');
  const clean = base
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return clean || 'upload';
}
