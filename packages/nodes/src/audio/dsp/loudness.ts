/**
 * EBU R128 / ITU-R BS.1770-4 loudness of interleaved float PCM: K-weighting (a high shelf, then a
 * high-pass), 400 ms blocks every 100 ms, an absolute gate at -70 LUFS and a relative gate 10 LU under
 * the ungated mean. Written out here so that SaveVideo can normalise without a second ffmpeg pass.
 */

export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** The two K-weighting stages for any sample rate (the BS.1770 analogue prototypes, bilinear-transformed as libebur128 does). */
export function kWeighting(sampleRate: number): [Biquad, Biquad] {
  const shelf = (() => {
    const f0 = 1681.974450955533;
    const G = 3.999843853973347;
    const Q = 0.7071752369554196;
    const K = Math.tan((Math.PI * f0) / sampleRate);
    const Vh = 10 ** (G / 20);
    const Vb = Vh ** 0.4996667741545416;
    const a0 = 1 + K / Q + K * K;
    return {
      b0: (Vh + (Vb * K) / Q + K * K) / a0,
      b1: (2 * (K * K - Vh)) / a0,
      b2: (Vh - (Vb * K) / Q + K * K) / a0,
      a1: (2 * (K * K - 1)) / a0,
      a2: (1 - K / Q + K * K) / a0,
    };
  })();
  const highPass = (() => {
    const f0 = 38.13547087602444;
    const Q = 0.5003270373238773;
    const K = Math.tan((Math.PI * f0) / sampleRate);
    const a0 = 1 + K / Q + K * K;
    return { b0: 1, b1: -2, b2: 1, a1: (2 * (K * K - 1)) / a0, a2: (1 - K / Q + K * K) / a0 };
  })();
  return [shelf, highPass];
}

export interface LoudnessMeasure {
  /** Integrated loudness in LUFS; -Infinity for silence (every block under the absolute gate). */
  integrated: number;
  /** Largest momentary (400 ms) loudness, LUFS. */
  momentaryMax: number;
}

const BLOCK_SEGMENTS = 4; // 400 ms blocks from 100 ms segments (75 % overlap)

/** Integrated loudness of interleaved samples (channels weighted 1, as for mono and stereo). */
export function measureLoudness(samples: Float32Array, channels: number, sampleRate: number): LoudnessMeasure {
  const frames = Math.floor(samples.length / channels);
  const seg = Math.round(sampleRate / 10);
  const segments = Math.floor(frames / seg);
  // Sum of squares of the K-weighted signal per 100 ms segment, all channels added.
  const energy = new Float64Array(segments);
  const [s1, s2] = kWeighting(sampleRate);
  for (let ch = 0; ch < channels; ch++) {
    let x1 = 0,
      x2 = 0,
      y1 = 0,
      y2 = 0,
      z1 = 0,
      z2 = 0;
    for (let k = 0; k < segments; k++) {
      let sum = 0;
      const end = (k + 1) * seg;
      for (let i = k * seg; i < end; i++) {
        const x = samples[i * channels + ch];
        const y = s1.b0 * x + s1.b1 * x1 + s1.b2 * x2 - s1.a1 * y1 - s1.a2 * y2;
        x2 = x1;
        x1 = x;
        const z = s2.b0 * y + s2.b1 * y1 + s2.b2 * y2 - s2.a1 * z1 - s2.a2 * z2;
        y2 = y1;
        y1 = y;
        z2 = z1;
        z1 = z;
        sum += z * z;
      }
      energy[k] += sum;
    }
  }
  const blocks: number[] = [];
  const blockLength = seg * BLOCK_SEGMENTS;
  for (let k = 0; k + BLOCK_SEGMENTS <= segments; k++) {
    let sum = 0;
    for (let j = 0; j < BLOCK_SEGMENTS; j++) sum += energy[k + j];
    blocks.push(sum / blockLength);
  }
  const lufs = (meanSquare: number) => -0.691 + 10 * Math.log10(meanSquare);
  const momentaryMax = blocks.reduce((m, b) => Math.max(m, lufs(b)), -Infinity);
  const absolute = blocks.filter((b) => lufs(b) > -70);
  if (absolute.length === 0) return { integrated: -Infinity, momentaryMax };
  const relative = lufs(mean(absolute)) - 10;
  const gated = absolute.filter((b) => lufs(b) > relative);
  return { integrated: lufs(mean(gated)), momentaryMax };
}

function mean(v: number[]): number {
  let s = 0;
  for (const x of v) s += x;
  return s / v.length;
}

export const dbToGain = (db: number) => 10 ** (db / 20);
export const gainToDb = (gain: number) => 20 * Math.log10(gain);
