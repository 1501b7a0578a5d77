import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { HttpError } from '../http-error.js';

/** What file-type needs to tell every type we accept. */
export const SNIFF_BYTES = 4100;

const TEMP_PREFIX = '.upload-';

/** Removes the temp files of uploads that never finished (the process was killed while receiving). */
export async function removeStaleUploads(dir: string, before = Date.now()): Promise<number> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.startsWith(TEMP_PREFIX) && n.endsWith('.part'));
  let removed = 0;
  for (const n of names) {
    const file = path.join(dir, n);
    // Only those from before this process started: never an upload now under way.
    const s = await stat(file).catch(() => undefined);
    if (s && s.mtimeMs < before) {
      await rm(file, { force: true });
      removed++;
    }
  }
  return removed;
}

export interface ReceivedUpload {
  /** The body, whole, in a hidden file of the destination folder (so the final move is a same-disk rename). */
  tempFile: string;
  size: number;
  sha256: string;
  /** The first bytes (up to SNIFF_BYTES). */
  head: Buffer;
  /** Removes the temporary file (safe to call twice, or after it was moved). */
  discard(): Promise<void>;
}

export interface ReceiveOptions {
  dir: string;
  maxBytes: number;
  /** Called once with the first bytes (or the whole body when shorter): throw to refuse before the rest arrives. */
  onHead?: (head: Buffer) => void | Promise<void>;
}

/**
 * Streams a request body into a temporary file: constant memory whatever the size, the hash computed on the
 * way, the size limit enforced as bytes arrive (a missing or lying Content-Length changes nothing). On any
 * refusal or failure the partial file is removed before the error is thrown.
 */
export async function receiveUpload(req: IncomingMessage, o: ReceiveOptions): Promise<ReceivedUpload> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > o.maxBytes) throw tooLarge(o.maxBytes);
  // A dot name: never served by the file routes, never listed as an input, never taken for a finished upload.
  const tempFile = path.join(o.dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}.part`);
  const discard = () => rm(tempFile, { force: true });
  const hash = createHash('sha256');
  let size = 0;
  const headParts: Buffer[] = [];
  let headLength = 0;
  let headDone = false;
  const checkHead = async () => {
    headDone = true;
    await o.onHead?.(Buffer.concat(headParts));
  };
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      size += chunk.length;
      if (size > o.maxBytes) return done(tooLarge(o.maxBytes));
      hash.update(chunk);
      if (headDone) return done(null, chunk);
      headParts.push(chunk.subarray(0, SNIFF_BYTES - headLength));
      headLength += Math.min(chunk.length, SNIFF_BYTES - headLength);
      if (headLength < SNIFF_BYTES) return done(null, chunk);
      checkHead().then(
        () => done(null, chunk),
        (e: unknown) => done(e as Error),
      );
    },
    flush(done: TransformCallback) {
      if (headDone) return done();
      checkHead().then(
        () => done(),
        (e: unknown) => done(e as Error),
      );
    },
  });
  try {
    await streamInto(req, meter, tempFile);
  } catch (e) {
    await discard();
    if (e instanceof HttpError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    // The client went away (or the server is closing its connections): nobody reads an answer.
    if (code === 'ECONNRESET' || (e as Error).message === 'aborted') throw cutOff();
    // The disk failed: nothing was stored.
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new HttpError(507, 'storage_failed', 'The disk is full: the upload was not stored');
    throw e;
  }
  return { tempFile, size, sha256: hash.digest('hex'), head: Buffer.concat(headParts), discard };
}

/**
 * req → meter → file. Not stream.pipeline: on a refusal it would destroy the request and with it the socket,
 * so the client would never read why. Unpiped instead, the rest of the body is read and dropped by Node once
 * the error answer is sent (memory stays flat), and the client gets its 413 or 415.
 */
function streamInto(req: IncomingMessage, meter: Transform, file: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const out = createWriteStream(file, { flags: 'wx' });
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(meter);
      // Unpiped, the request is left paused, and Node only drains a body nobody reads: without this, the rest
      // of a refused body sat unread on a kept-alive connection and the client's next request on it was reset.
      req.resume();
      meter.destroy();
      // Resolve only once the file is closed, so the caller's rm does not race the last write.
      out.destroy();
      out.once('close', () => reject(e));
    };
    meter.on('error', fail);
    out.on('error', fail);
    req.on('error', fail);
    req.on('close', () => {
      if (!req.complete) fail(cutOff());
    });
    out.on('close', () => {
      if (settled) return;
      settled = true;
      resolve();
    });
    req.pipe(meter).pipe(out);
  });
}

function cutOff(): HttpError {
  return new HttpError(400, 'bad_request', 'The upload was cut off before it ended; nothing was stored');
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(
    413,
    'payload_too_large',
    `The upload is larger than the limit of ${(maxBytes / 1024 ** 2).toFixed(0)} MB (maxUploadBytes); nothing was stored`,
    undefined,
    {
      limit: { name: 'maxUploadBytes', max: maxBytes },
    },
  );
}
