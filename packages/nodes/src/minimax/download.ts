import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebStream } from 'node:stream/web';
import { AbortError, OperationalError } from '@kinegraph/graph-core';
import { retryDelay, sleep } from './backoff.js';
import { networkCode } from './read-bounded.js';

export interface DownloadOptions {
  signal: AbortSignal;
  timeoutMs: number;
  maxBytes: number;
  /** The size the file lookup stated, when it did: a shorter download is a cut one. */
  expectedBytes?: number;
  attempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  onProgress?: (received: number, total: number) => void;
  log?: (message: string) => void;
}

/**
 * Fetches the finished clip to `file`, trying each URL in turn (MiniMax may give a backup one), each with
 * retries. The URLs come from MiniMax's answer and point at its file storage: they get no Authorization
 * header (the key stays with the API host) and only http(s) is followed. The bytes land in `<file>.part`
 * and are renamed when complete, so a cut or interrupted download never leaves a file that looks whole.
 */
export async function downloadVideo(urls: string[], file: string, o: DownloadOptions): Promise<void> {
  const usable = urls.filter(isWebUrl);
  if (!usable.length) throw new OperationalError(`MiniMax's file lookup gave no http(s) download address`);
  let last: Error | undefined;
  for (const url of usable) {
    for (let attempt = 1; attempt <= o.attempts; attempt++) {
      if (attempt > 1) await sleep(retryDelay(attempt - 1, o.retryBaseMs, o.retryMaxMs), o.signal);
      try {
        await fetchOnce(url, file, o);
        return;
      } catch (e) {
        if (e instanceof AbortError || o.signal.aborted) throw new AbortError();
        last = e as Error;
        const fatal = e instanceof DownloadRefused;
        o.log?.(`Downloading the video: ${last.message}${fatal ? '' : '; trying again'}`);
        if (fatal) break;
      }
    }
  }
  throw new OperationalError(`Could not download the video MiniMax made: ${last?.message ?? 'no answer'}`);
}

/** A failure no retry of the same URL fixes (too large, not found). */
class DownloadRefused extends Error {}

async function fetchOnce(url: string, file: string, o: DownloadOptions): Promise<void> {
  const part = `${file}.part`;
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const signal = AbortSignal.any([o.signal, timeout]);
  try {
    let res: Response;
    try {
      res = await fetch(url, { signal, redirect: 'follow' });
    } catch (e) {
      if (o.signal.aborted) throw new AbortError();
      throw new Error(
        timeout.aborted
          ? `no answer within ${Math.round(o.timeoutMs / 1000)} s`
          : `could not reach ${safeOrigin(url)} (${networkCode(e) || (e as Error).message})`,
      );
    }
    if (!isWebUrl(res.url || url)) throw new DownloadRefused('the download was redirected away from http(s)');
    if (res.status === 404 || res.status === 410 || res.status === 403)
      throw new DownloadRefused(`${safeOrigin(url)} answered HTTP ${res.status} (the link may have expired)`);
    if (!res.ok || !res.body) throw new Error(`${safeOrigin(url)} answered HTTP ${res.status}`);
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > o.maxBytes) throw new DownloadRefused(`the video is ${declared} bytes, over the ${o.maxBytes}-byte limit`);
    const total = o.expectedBytes ?? (Number.isFinite(declared) ? declared : 0);
    let received = 0;
    const count = async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        received += chunk.length;
        if (received > o.maxBytes) throw new DownloadRefused(`the video is over the ${o.maxBytes}-byte limit`);
        o.onProgress?.(received, Math.max(total, received));
        yield chunk;
      }
    };
    try {
      await pipeline(Readable.fromWeb(res.body as WebStream), count, createWriteStream(part), { signal });
    } catch (e) {
      if (o.signal.aborted) throw new AbortError();
      if (e instanceof DownloadRefused) throw e;
      throw new Error(
        timeout.aborted
          ? `not finished within ${Math.round(o.timeoutMs / 1000)} s`
          : `the transfer broke off after ${received} bytes (${networkCode(e) || (e as Error).message})`,
      );
    }
    if (o.expectedBytes !== undefined && o.expectedBytes > 0 && received !== o.expectedBytes) {
      throw new Error(`got ${received} bytes of the ${o.expectedBytes} MiniMax stated: the download was cut short`);
    }
    if (received === 0) throw new Error('the download was empty');
    await rename(part, file);
  } finally {
    await rm(part, { force: true });
  }
}

function isWebUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The host of a download URL for messages: its path and query carry a signature that is nobody's business. */
function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the download address';
  }
}
