import { onePole, sine01 } from './dsp.js';

export const DRUMS = ['kick', 'snare', 'hat', 'shaker', 'tom', 'rim'] as const;
export type DrumName = (typeof DRUMS)[number];

/** One soft percussion hit as a mono buffer (its noise from the note's own seeded stream). */
export function renderDrum(name: DrumName, velocity: number, sampleRate: number, rand: () => number): Float32Array {
  const sr = sampleRate;
  const noise = () => rand() * 2 - 1;
  switch (name) {
    case 'kick':
      // A sine whose pitch drops from 140 to 48 Hz, a soft click on top.
      return sweep(sr, 0.45, 140, 48, 0.045, 0.3, velocity, 0.04, noise);
    case 'tom':
      // Low and long: a cinematic drum rather than a kit tom.
      return sweep(sr, 0.9, 95, 62, 0.09, 0.5, velocity, 0.08, noise);
    case 'snare': {
      // Band-passed noise with a 190 Hz body: a brushed, not a cracked, snare.
      const out = new Float32Array(Math.round(0.25 * sr));
      const hp = onePole(1200, sr);
      const lp = onePole(5000, sr);
      let low = 0;
      let band = 0;
      for (let i = 0; i < out.length; i++) {
        const t = i / sr;
        const x = noise();
        low += hp * (x - low);
        band += lp * (x - low - band);
        out[i] = (band * 0.9 * Math.exp(-t / 0.07) + 0.35 * sine01(190 * t) * Math.exp(-t / 0.04)) * velocity;
      }
      return out;
    }
    case 'hat':
      return highNoise(sr, 0.09, 0.025, 7000, velocity * 0.8, noise);
    case 'shaker':
      return highNoise(sr, 0.12, 0.04, 5000, velocity * 0.7, noise, 0.012);
    case 'rim': {
      const out = new Float32Array(Math.round(0.08 * sr));
      for (let i = 0; i < out.length; i++) {
        const t = i / sr;
        out[i] = (0.6 * sine01(1700 * t) + 0.4 * sine01(420 * t)) * Math.exp(-t / 0.012) * velocity * 0.7;
      }
      return out;
    }
  }
}

function sweep(
  sr: number,
  length: number,
  from: number,
  to: number,
  pitchTime: number,
  decay: number,
  velocity: number,
  click: number,
  noise: () => number,
): Float32Array {
  const out = new Float32Array(Math.round(length * sr));
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / sr;
    const f = to + (from - to) * Math.exp(-t / pitchTime);
    phase += f / sr;
    const body = sine01(phase) * Math.exp(-t / decay);
    const tick = t < 0.004 ? noise() * click * (1 - t / 0.004) : 0;
    out[i] = (body + tick) * velocity * Math.min(1, i / 24);
  }
  return out;
}

/** High-passed noise with a quick decay (a hat), or a short swell first (a shaker). */
function highNoise(
  sr: number,
  length: number,
  decay: number,
  cutoff: number,
  velocity: number,
  noise: () => number,
  swell = 0,
): Float32Array {
  const out = new Float32Array(Math.round(length * sr));
  const a = onePole(cutoff, sr);
  let low = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / sr;
    const x = noise();
    low += a * (x - low);
    const env = swell ? Math.min(1, t / swell) * Math.exp(-Math.max(0, t - swell) / decay) : Math.exp(-t / decay);
    out[i] = (x - low) * env * velocity * 0.5;
  }
  return out;
}
