import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { migrateWorkflow, WorkflowSchema } from '@kinegraph/graph-core';
import { fileUrl, type UploadKind, type UploadResponse } from '../../protocol/index.js';
import { HttpError } from '../http-error.js';

const ALLOWED: Record<Exclude<UploadKind, 'workflow'>, Set<string>> = {
  image: new Set(['jpg', 'png', 'webp']),
  audio: new Set(['wav', 'mp3', 'ogg', 'oga', 'opus', 'flac', 'm4a']),
};

export interface UploadLimits {
  maxImagePixels: number;
}

/**
 * Checks an uploaded file by its bytes (never its name), then stores it in the input folder under a safe,
 * content-derived name (`<readable-base>-<sha256 prefix>.<ext>`): the same file uploaded twice is one file.
 */
export async function storeUpload(
  kind: UploadKind,
  originalName: string | undefined,
  body: Buffer,
  inputDir: string,
  limits: UploadLimits,
): Promise<UploadResponse> {
  if (body.length === 0) throw new HttpError(400, 'bad_request', 'The upload is empty');
  let ext: string;
  let mime: string;
  let width: number | undefined;
  let height: number | undefined;
  if (kind === 'workflow') {
    let doc: unknown;
    try {
      doc = JSON.parse(body.toString('utf8'));
    } catch (e) {
      throw new HttpError(400, 'unsupported_type', `A workflow upload must be JSON: ${(e as Error).message}`);
    }
    const r = WorkflowSchema.safeParse(migrateWorkflow(doc));
    if (!r.success) {
      throw new HttpError(400, 'unsupported_type', 'Not a Kinegraph workflow document', r.error.issues.map((i) => ({ code: 'invalid_document', message: i.message, field: i.path.join('.') })));
    }
    ext = 'json';
    mime = 'application/json';
  } else {
    const type = await fileTypeFromBuffer(body);
    if (!type || !ALLOWED[kind].has(type.ext)) {
      throw new HttpError(415, 'unsupported_type', `Not an accepted ${kind} file (found ${type ? type.mime : 'unknown data'}; accepted: ${[...ALLOWED[kind]].join(', ')})`);
    }
    ext = type.ext;
    mime = type.mime;
    if (kind === 'image') {
      let meta: { width?: number; height?: number; autoOrient?: { width: number; height: number } };
      try {
        meta = await sharp(body, { limitInputPixels: false }).metadata();
      } catch (e) {
        throw new HttpError(400, 'unsupported_type', `The image can not be read: ${(e as Error).message}`);
      }
      // The size as shown (EXIF orientation applied), as LoadImage will see it: a phone's portrait photo is portrait.
      width = meta.autoOrient?.width ?? meta.width;
      height = meta.autoOrient?.height ?? meta.height;
      if (!width || !height) throw new HttpError(400, 'unsupported_type', 'The image has no size');
      if (width * height > limits.maxImagePixels) {
        throw new HttpError(413, 'image_too_large', `The image is ${width}x${height} (${(width * height / 1e6).toFixed(1)} MP); the limit is ${(limits.maxImagePixels / 1e6).toFixed(1)} MP`);
      }
      await checkDecodes(body);
    }
  }
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const name = `${readableBase(originalName)}-${hash}.${ext}`;
  try {
    await writeFile(path.join(inputDir, name), body, { flag: 'wx' });
  } catch (e) {
    // Same name means same bytes (the name holds the hash): already stored.
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const res: UploadResponse = { name, kind, mime, size: body.length, url: fileUrl('input', name) };
  if (width !== undefined) res.width = width;
  if (height !== undefined) res.height = height;
  return res;
}

/**
 * Decodes the whole file at a small size (JPEG and WebP shrink while decoding, so this stays fast for big
 * photos): a truncated or corrupt image is refused when the user drops it, not when a run reaches LoadImage.
 */
async function checkDecodes(body: Buffer): Promise<void> {
  try {
    await sharp(body, { limitInputPixels: false, failOn: 'truncated' }).resize(256, 256, { fit: 'inside' }).raw().toBuffer();
  } catch (e) {
    const why = (e as Error).message.split('\n')[0].trim();
    const truncated = /truncat|premature|end of (file|stream)|unexpected end|short read|read error/i.test(why);
    throw new HttpError(400, 'unsupported_type', `The image is ${truncated ? 'truncated' : 'corrupt'}: ${why}`);
  }
}

function readableBase(name: string | undefined): string {
  const base = path.basename(name ?? '').replace(/\.[^.]*$/, '');
  const clean = base.normalize('NFKD').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return clean || 'upload';
}
