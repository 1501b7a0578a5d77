/** Measurements the audio tests make on rendered sound (not shipped code paths: they judge them). */
import { spawn } from 'node:child_process';
import { ffmpegPath } from '../../ffmpeg/binaries.js';
import type { AudioValue } from '../../values/audio.js';

export interface Ebur128 {
  integrated: number;
  truePeak: number;
}

/** ffmpeg's own EBU R128 meter (the ebur128 filter with true peak) over a file, or over raw samples piped in. */
export async function ebur128(input: string | AudioValue): Promise<Ebur128> {
  const source =
    typeof input === 'string'
      ? ['-i', input]
      : ['-f', 'f32le', '-ar', String(input.sampleRate), '-ac', String(input.channels), '-i', 'pipe:0'];
  const args = ['-hide_banner', '-nostats', '-nostdin', ...source, '-vn', '-af', 'ebur128=peak=true', '-f', 'null', '-'];
  if (typeof input !== 'string') args.splice(args.indexOf('-nostdin'), 1);
  const stderr = await new Promise<string>((resolve, reject) => {
    const proc = spawn(ffmpegPath(), args, { stdio: [typeof input === 'string' ? 'ignore' : 'pipe', 'ignore', 'pipe'] });
    let text = '';
    proc.stderr!.on('data', (c: Buffer) => (text += c.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`ffmpeg ebur128 exited ${code}: ${text.slice(-400)}`))));
    if (typeof input !== 'string') {
      proc.stdin!.on('error', () => {});
      proc.stdin!.end(Buffer.from(input.samples.buffer, input.samples.byteOffset, input.samples.byteLength));
    }
  });
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const integrated = Number(/I:\s+(-?[\d.]+|-inf) LUFS/.exec(summary)?.[1]);
  const truePeak = Number(/True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS/.exec(summary)?.[1]);
  return { integrated, truePeak };
}

/** In-place radix-2 FFT (re, im of a power-of-two length). */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) {
    cos[k] = Math.cos((-2 * Math.PI * k) / n);
    sin[k] = Math.sin((-2 * Math.PI * k) / n);
  }
  for (let len = 2; len <= n; len <<= 1) {
    const stride = n / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = cos[k * stride];
        const wi = sin[k * stride];
        const ar = re[i + k + len / 2] * wr - im[i + k + len / 2] * wi;
        const ai = re[i + k + len / 2] * wi + im[i + k + len / 2] * wr;
        re[i + k + len / 2] = re[i + k] - ar;
        im[i + k + len / 2] = im[i + k] - ai;
        re[i + k] += ar;
        im[i + k] += ai;
      }
    }
  }
}

/** The mono mix of interleaved samples. */
export function mono(a: AudioValue, from = 0, to = a.durationSeconds): Float32Array {
  const start = Math.round(from * a.sampleRate);
  const end = Math.min(Math.round(to * a.sampleRate), a.samples.length / a.channels);
  const out = new Float32Array(Math.max(0, end - start));
  for (let i = start; i < end; i++) {
    let s = 0;
    for (let c = 0; c < a.channels; c++) s += a.samples[i * a.channels + c];
    out[i - start] = s / a.channels;
  }
  return out;
}

/** Magnitude spectra of Hann-windowed frames. */
function spectra(x: Float32Array, size: number, hop: number, each: (mag: Float64Array) => void): void {
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let at = 0; at + size <= x.length; at += hop) {
    for (let i = 0; i < size; i++) {
      re[i] = x[at + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size));
      im[i] = 0;
    }
    fft(re, im);
    const mag = new Float64Array(size / 2);
    for (let k = 0; k < size / 2; k++) mag[k] = Math.hypot(re[k], im[k]);
    each(mag);
  }
}

/**
 * Tempo from the onset envelope: spectral flux (log magnitudes, rises only) at 100 frames a second, its
 * autocorrelation weighted by a broad preference around 110 BPM (as beat trackers do), the best lag in 50-200 BPM.
 */
export function onsetTempo(a: AudioValue): number {
  const sr = a.sampleRate;
  const x = mono(a);
  const hop = Math.round(sr / 100);
  const flux: number[] = [];
  let prev: Float64Array | undefined;
  spectra(x, 2048, hop, (mag) => {
    const logMag = mag.map((m) => Math.log(1 + 10 * m));
    if (prev) {
      let f = 0;
      for (let k = 1; k < logMag.length; k++) f += Math.max(0, logMag[k] - prev[k]);
      flux.push(f);
    }
    prev = logMag;
  });
  const mean = flux.reduce((s, v) => s + v, 0) / flux.length;
  const env = flux.map((v) => v - mean);
  const acf = (lag: number) => {
    let acc = 0;
    for (let i = 0; i + lag < env.length; i++) acc += env[i] * env[i + lag];
    return acc / (env.length - lag);
  };
  let best = 0;
  let bestScore = -Infinity;
  for (let lag = Math.floor(6000 / 200); lag <= Math.ceil(6000 / 50); lag++) {
    // The beat repeats at twice and four times its period too (a pulse train): that tells it from a subdivision.
    const score = acf(lag) + 0.5 * acf(2 * lag) + 0.25 * acf(4 * lag);
    const bpm = 6000 / lag;
    const prior = Math.exp(-0.5 * (Math.log2(bpm / 110) / 0.9) ** 2);
    if (score * prior > bestScore) {
      bestScore = score * prior;
      best = bpm;
    }
  }
  return best;
}

/**
 * The chroma profile: spectral magnitude per pitch class (C = 0) from 55 Hz to 1 kHz (fundamentals rather
 * than overtones: a saw's fifth harmonic is a major third, which would pull every chord towards major), normalised to sum 1.
 */
export function chroma(a: AudioValue): number[] {
  const sr = a.sampleRate;
  const size = 8192;
  const out = new Array<number>(12).fill(0);
  spectra(mono(a), size, size / 2, (mag) => {
    for (let k = 1; k < mag.length; k++) {
      const hz = (k * sr) / size;
      if (hz < 55 || hz > 1000) continue;
      const pc = ((Math.round(12 * Math.log2(hz / 440) + 69) % 12) + 12) % 12;
      out[pc] += mag[k];
    }
  });
  const total = out.reduce((s, v) => s + v, 0);
  return out.map((v) => v / total);
}

/** Krumhansl-Kessler key profiles (C major, C minor). */
const MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

function correlation(a: number[], b: number[]): number {
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  let num = 0,
    da = 0,
    db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - ma) * (b[i] - mb);
    da += (a[i] - ma) ** 2;
    db += (b[i] - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}

/** How well the chroma fits the major and the minor profile on a given tonic (0 = C). */
export function modeFit(profile: number[], tonic: number): { major: number; minor: number } {
  const rotated = profile.map((_, i) => profile[(i + tonic) % 12]);
  return { major: correlation(rotated, MAJOR), minor: correlation(rotated, MINOR) };
}

/** The best of the 24 keys by profile correlation. */
export function bestKey(profile: number[]): { tonic: number; major: boolean } {
  let best = { tonic: 0, major: true, r: -Infinity };
  for (let t = 0; t < 12; t++) {
    const fit = modeFit(profile, t);
    if (fit.major > best.r) best = { tonic: t, major: true, r: fit.major };
    if (fit.minor > best.r) best = { tonic: t, major: false, r: fit.minor };
  }
  return { tonic: best.tonic, major: best.major };
}

/** Share of the energy between lo and hi Hz. */
export function bandShare(a: AudioValue, lo: number, hi: number): number {
  let band = 0;
  let total = 0;
  spectra(mono(a), 2048, 1024, (mag) => {
    for (let k = 1; k < mag.length; k++) {
      const hz = (k * a.sampleRate) / 2048;
      const e = mag[k] * mag[k];
      total += e;
      if (hz >= lo && hz <= hi) band += e;
    }
  });
  return band / total;
}

/** RMS level in dBFS over a stretch of time. */
export function rmsDb(a: AudioValue, from: number, to: number): number {
  const x = mono(a, from, to);
  let s = 0;
  for (const v of x) s += v * v;
  return 10 * Math.log10(s / x.length);
}
