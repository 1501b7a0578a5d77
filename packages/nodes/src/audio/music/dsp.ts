/** Small building blocks the voices share: a sine table, band-limited saws, filters, envelopes. */

export const TABLE_SIZE = 4096;
const TABLE = Float32Array.from({ length: TABLE_SIZE + 1 }, (_, i) => Math.sin((2 * Math.PI * i) / TABLE_SIZE));

/** sin(2 pi * phase) for phase in [0, 1), read from the table with linear interpolation. */
export function sine01(phase: number): number {
  const x = (phase - Math.floor(phase)) * TABLE_SIZE;
  const i = x | 0;
  return TABLE[i] + (TABLE[i + 1] - TABLE[i]) * (x - i);
}

/** PolyBLEP correction for a saw's jump at phase 0 (dt: phase step per sample): no aliasing buzz on high notes. */
export function polyBlep(t: number, dt: number): number {
  if (t < dt) {
    const x = t / dt;
    return x + x - x * x - 1;
  }
  if (t > 1 - dt) {
    const x = (t - 1) / dt;
    return x * x + x + x + 1;
  }
  return 0;
}

/** The coefficient of a one-pole low-pass at `hz`. */
export const onePole = (hz: number, sampleRate: number) => 1 - Math.exp((-2 * Math.PI * Math.min(hz, sampleRate * 0.45)) / sampleRate);

/** Attack-decay-sustain-release level at time t (seconds from note on), the note held for `hold` seconds. */
export function adsr(t: number, hold: number, a: number, d: number, s: number, r: number): number {
  if (t < hold) return heldLevel(t, a, d, s);
  const u = t - hold;
  return u >= r ? 0 : heldLevel(hold, a, d, s) * (1 - u / r);
}

function heldLevel(u: number, a: number, d: number, s: number): number {
  return u < a ? u / a : u < a + d ? 1 - (1 - s) * ((u - a) / d) : s;
}

/** Equal-power pan gains for -1 (left) .. 1 (right). */
export function panGains(pan: number): [number, number] {
  const angle = ((Math.max(-1, Math.min(1, pan)) + 1) * Math.PI) / 4;
  return [Math.cos(angle), Math.sin(angle)];
}

/** A mono note buffer added into an interleaved stereo bus at a frame offset, panned. */
export function addPanned(bus: Float32Array, note: Float32Array, startFrame: number, pan: number, gain: number): void {
  const [l, r] = panGains(pan);
  const frames = bus.length / 2;
  const end = Math.min(note.length, frames - startFrame);
  for (let i = Math.max(0, -startFrame); i < end; i++) {
    const v = note[i] * gain;
    const k = (startFrame + i) * 2;
    bus[k] += v * l;
    bus[k + 1] += v * r;
  }
}
