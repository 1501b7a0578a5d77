import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { AbortError, OperationalError, UserError, type NodeContext } from '@kinegraph/graph-core';
import { checkMediaFile } from '../ffmpeg/check-media.js';
import { decodeVideoFile } from '../ffmpeg/decode-video.js';
import { PathsToken } from '../services.js';
import { videoFromFrames, type VideoValue } from '../values/video.js';
import { taskState, type QueryResponse, type SubmitRequest } from './api-schema.js';
import { sleep } from './backoff.js';
import { MiniMaxClient } from './client.js';
import { downloadVideo } from './download.js';
import type { ModelSpec } from './models.js';
import { progressReporter, STAGE, waitShare } from './progress.js';
import type { MiniMaxSettings } from './settings.js';
import { statusInfo } from './status-codes.js';

export interface TaskInput {
  request: SubmitRequest;
  model: ModelSpec;
  key: string;
  keySource: string;
  settings: MiniMaxSettings;
}

export interface TaskOutput {
  video: VideoValue;
  taskId: string;
  fileId: string;
}

/**
 * One generation on MiniMax: submit, wait for the task (queries spaced further apart each time), look up the
 * file, download it, prove it a readable video and decode it as LoadVideo would. Interrupted, it stops
 * querying at once and abandons the task (MiniMax's API offers no cancel); nothing is left on disk and, since
 * the node returns nothing, nothing reaches the cache. Errors after the submit name the task id.
 */
export async function runVideoTask(ctx: NodeContext, t: TaskInput): Promise<TaskOutput> {
  const log = (m: string) => ctx.log.info(`MiniMax: ${m}`);
  const client = new MiniMaxClient({ settings: t.settings, key: t.key, keySource: t.keySource, signal: ctx.signal, log });
  const progress = progressReporter(ctx);
  progress(0);
  const taskId = await client.submit(t.request);
  log(`task ${taskId} submitted (${t.model.id})`);
  progress(STAGE.submitted);
  try {
    const done = await waitForTask(client, taskId, t, progress, log);
    const fileId = done.file_id!;
    const found = await client.retrieve(fileId);
    const urls = [found.file?.download_url, found.file?.backup_download_url].filter((u): u is string => !!u);
    const video = await fetchAndDecode(ctx, taskId, urls, found.file?.bytes, t.settings, progress, log);
    progress(STAGE.done);
    return { video, taskId, fileId };
  } catch (e) {
    if (e instanceof AbortError || ctx.signal.aborted) {
      ctx.log.warn(`MiniMax: run interrupted; task ${taskId} abandoned (the API has no cancel: it may still finish and be billed)`);
      throw e instanceof AbortError ? e : new AbortError();
    }
    throw withTaskId(e, taskId);
  }
}

async function waitForTask(
  client: MiniMaxClient,
  taskId: string,
  t: TaskInput,
  progress: (f: number) => void,
  log: (m: string) => void,
): Promise<QueryResponse> {
  const started = Date.now();
  let wait = t.settings.pollStartMs;
  let lastState = '';
  for (;;) {
    const answer = await client.query(taskId);
    const state = taskState(answer.status);
    if (state !== lastState) log(`task ${taskId}: ${state ?? `status "${answer.status}"`}`);
    lastState = state ?? answer.status;
    if (state === 'Success') {
      if (!answer.file_id) throw new OperationalError('MiniMax reports the task done but names no file');
      return answer;
    }
    if (state === 'Fail') throw taskFailure(answer);
    const elapsed = Date.now() - started;
    // The state moves the bar too: a task being rendered is further on than one waiting in the queue.
    progress(
      waitShare(state === 'Processing' ? STAGE.processing : STAGE.submitted, STAGE.generated, elapsed, t.model.typicalSeconds * 1000),
    );
    const left = t.settings.taskTimeoutMs - elapsed;
    if (left <= 0) {
      const minutes = Math.round(t.settings.taskTimeoutMs / 60_000);
      throw new OperationalError(
        `MiniMax task ${taskId} was not finished after ${minutes >= 1 ? `${minutes} min` : `${Math.round(t.settings.taskTimeoutMs / 1000)} s`} (last status: ${lastState || 'none'}); it may still finish in your MiniMax account. MINIMAX_TASK_TIMEOUT_S sets how long to wait`,
      );
    }
    await sleep(Math.min(wait, left), client.signal);
    wait = Math.min(t.settings.pollMaxMs, Math.round(wait * 1.5));
  }
}

function taskFailure(answer: QueryResponse): Error {
  const code = answer.base_resp.status_code;
  const info = statusInfo(code);
  const msg = answer.base_resp.status_msg;
  const why = code === 0 ? msg || 'no reason given' : `${info.text} (status ${code}${msg && msg !== info.text ? `: ${msg}` : ''})`;
  // Content flags and bad parameters are the user's to change; anything else is MiniMax's failure.
  return info.kind === 'user'
    ? new UserError(`MiniMax could not make the video: ${why}`)
    : new OperationalError(`MiniMax's task failed: ${why}`);
}

async function fetchAndDecode(
  ctx: NodeContext,
  taskId: string,
  urls: string[],
  bytes: number | undefined,
  s: MiniMaxSettings,
  progress: (f: number) => void,
  log: (m: string) => void,
): Promise<VideoValue> {
  const { tempDir } = ctx.services.get(PathsToken);
  await mkdir(tempDir, { recursive: true });
  const file = path.join(tempDir, `minimax-${taskId.replace(/[^\w-]/g, '_').slice(0, 64)}-${randomBytes(4).toString('hex')}.mp4`);
  const name = `the video of MiniMax task ${taskId}`;
  try {
    await downloadVideo(urls, file, {
      signal: ctx.signal,
      timeoutMs: s.downloadTimeoutMs,
      maxBytes: s.maxDownloadBytes,
      expectedBytes: bytes,
      attempts: s.attempts,
      retryBaseMs: s.retryBaseMs,
      retryMaxMs: s.retryMaxMs,
      onProgress: (n, total) => progress(STAGE.generated + (STAGE.downloaded - STAGE.generated) * (total ? n / total : 0)),
      log,
    });
    progress(STAGE.downloaded);
    // The file came over the network: read it as untrusted media (type from its bytes, a real decode test).
    const problems: string[] = [];
    const decodedShare = (STAGE.downloaded + STAGE.done) / 2;
    let video: VideoValue;
    try {
      await checkMediaFile(file, name, 'video', { signal: ctx.signal });
      video = await decodeVideoFile(file, name, {
        maxFrames: 0,
        signal: ctx.signal,
        onFrame: (n, expected) =>
          progress(STAGE.downloaded + (decodedShare - STAGE.downloaded) * Math.min(1, n / Math.max(n, expected, 1))),
        onWarning: (m) => problems.push(m),
      });
      if (problems.length) throw new OperationalError(`MiniMax sent a damaged video: ${problems[0]}`);
      // The download is deleted below (a paid clip must not depend on a temp file that may go): keep the frames.
      return await framesInMemory(video, (n) => progress(decodedShare + (STAGE.done - decodedShare) * (n / video.frameCount)));
    } catch (e) {
      if (e instanceof AbortError || ctx.signal.aborted) throw e;
      if (e instanceof OperationalError) throw e;
      throw new OperationalError(`MiniMax sent a file that is not a usable video: ${(e as Error).message}`);
    }
  } finally {
    await rm(file, { force: true });
  }
}

/** Most bytes of RGB frames a clip may take in memory (MiniMax's longest, 10 s at 768P, is about 0.8 GB). */
const MAX_FRAME_BYTES = 2 * 1024 ** 3;

/** Every frame of the clip copied into memory, independent of the file it was decoded from. */
async function framesInMemory(video: VideoValue, onFrame: (n: number) => void): Promise<VideoValue> {
  const bytes = video.width * video.height * 3 * video.frameCount;
  if (bytes > MAX_FRAME_BYTES)
    throw new OperationalError(
      `MiniMax's clip is ${video.width}x${video.height} with ${video.frameCount} frames, more than ${MAX_FRAME_BYTES / 1024 ** 3} GB decoded`,
    );
  const frames: Uint8Array[] = [];
  for (let i = 0; i < video.frameCount; i++) {
    frames.push((await video.frameAt(i)).slice());
    onFrame(i + 1);
  }
  return videoFromFrames(video.width, video.height, video.fps, frames);
}

/** The same error with the task id added, for the user's records (and MiniMax's support). */
function withTaskId(e: unknown, taskId: string): Error {
  if (!(e instanceof Error) || e.message.includes(taskId)) return e as Error;
  const message = `${e.message} (MiniMax task ${taskId})`;
  if (e instanceof UserError) return new UserError(message, e.field, { cause: e });
  if (e instanceof OperationalError) return new OperationalError(message, { cause: e });
  return new OperationalError(message, { cause: e });
}
