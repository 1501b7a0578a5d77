import { truePeakEnvelope } from './true-peak.js';

export interface LimiterOptions {
  /** Linear ceiling for the true-peak envelope. */
  ceiling: number;
  sampleRate: number;
  /** Look-ahead and attack, seconds: the gain is fully down before the peak arrives. */
  lookahead?: number;
  /** Release time constant, seconds. */
  release?: number;
}

/**
 * A look-ahead true-peak limiter, in place. The gain each frame needs is min(1, ceiling / peak); a moving
 * minimum over +-L frames, then a moving average over +-L frames, can never exceed the need at any frame
 * (every frame averaged already holds a minimum over a window that covers it), so no peak passes, and the
 * gain moves smoothly over 2L. A slow release on top keeps the gain from pumping back between peaks.
 * Returns the deepest gain applied (1: nothing touched).
 */
export function limitTruePeak(samples: Float32Array, channels: number, o: LimiterOptions): number {
  const gain = limiterGain(truePeakEnvelope(samples, channels), 1, o);
  if (!gain) return 1;
  let deepest = 1;
  for (let i = 0; i < gain.length; i++) {
    const g = gain[i];
    if (g < deepest) deepest = g;
    for (let ch = 0; ch < channels; ch++) samples[i * channels + ch] *= g;
  }
  return deepest;
}

/**
 * The limiter's gain curve for a peak envelope scaled by `scale` (undefined when nothing passes the
 * ceiling): separate from applying it so that a loudness loop can try gains on the envelope alone.
 */
export function limiterGain(env: Float32Array, scale: number, o: LimiterOptions): Float32Array | undefined {
  const frames = env.length;
  const need = new Float32Array(frames);
  let any = false;
  for (let i = 0; i < frames; i++) {
    const peak = env[i] * scale;
    need[i] = peak > o.ceiling ? o.ceiling / peak : 1;
    if (need[i] < 1) any = true;
  }
  if (!any) return undefined;
  const L = Math.max(1, Math.round((o.lookahead ?? 0.005) * o.sampleRate));
  const gain = movingAverage(movingMinimum(need, L), L);
  const releaseCoef = 1 - Math.exp(-1 / ((o.release ?? 0.08) * o.sampleRate));
  let g = 1;
  for (let i = 0; i < frames; i++) {
    // Falling: follow at once (already smooth). Rising: only as fast as the release allows.
    g = gain[i] < g ? gain[i] : Math.min(gain[i], g + (1 - g) * releaseCoef);
    gain[i] = g;
  }
  return gain;
}

/** Minimum over [i-r, i+r] for every i (a monotonic deque, O(n)). */
function movingMinimum(v: Float32Array, r: number): Float32Array {
  const n = v.length;
  const out = new Float32Array(n);
  const dq = new Int32Array(n + 2 * r + 1);
  let head = 0;
  let tail = 0;
  for (let j = 0; j < n + r; j++) {
    if (j < n) {
      while (tail > head && v[dq[tail - 1]] >= v[j]) tail--;
      dq[tail++] = j;
    }
    const i = j - r;
    if (i < 0) continue;
    while (dq[head] < i - r) head++;
    out[i] = v[dq[head]];
  }
  return out;
}

/** Mean over [i-r, i+r], the edges padded with the edge values (each still a minimum over a window covering the frames near it). */
function movingAverage(v: Float32Array, r: number): Float32Array {
  const n = v.length;
  const out = new Float32Array(n);
  const at = (k: number) => v[k < 0 ? 0 : k >= n ? n - 1 : k];
  let sum = 0;
  for (let k = -r; k <= r; k++) sum += at(k);
  const width = 2 * r + 1;
  for (let i = 0; i < n; i++) {
    out[i] = sum / width;
    sum += at(i + r + 1) - at(i - r);
  }
  return out;
}
