export interface DuckOptions {
  sampleRate: number;
  /** How far the ducked sound goes down while the key sounds, dB (positive). */
  amountDb: number;
  /** Seconds for the gain to go fully down; the key is looked ahead by this much so the dip is in place when speech starts. */
  attack: number;
  /** Seconds for the gain to come fully back up. */
  release: number;
  /** Key level (RMS over 20 ms, dBFS) over which it counts as sounding. */
  thresholdDb: number;
  /** Seconds the dip is held after the key falls silent (the gaps between words). */
  hold: number;
}

/**
 * The gain curve (one value per frame, linear) that ducks one sound under another: down by exactly
 * `amountDb` while the key sounds, ramping linearly in dB over `attack` and back over `release`.
 */
export function duckingGain(key: Float32Array, keyChannels: number, frames: number, o: DuckOptions): Float32Array {
  const keyFrames = Math.floor(key.length / keyChannels);
  const win = Math.max(1, Math.round(0.02 * o.sampleRate));
  const threshold = 10 ** (o.thresholdDb / 10); // compared with mean square
  // Where the key sounds: the mean square over a 20 ms window around each frame, over the threshold.
  const active = new Uint8Array(frames);
  let sum = 0;
  const sq = (i: number) => {
    if (i < 0 || i >= keyFrames) return 0;
    let s = 0;
    for (let c = 0; c < keyChannels; c++) s += key[i * keyChannels + c] ** 2;
    return s / keyChannels;
  };
  const half = win >> 1;
  for (let i = -half; i < half; i++) sum += sq(i);
  for (let i = 0; i < frames; i++) {
    sum += sq(i + half) - sq(i - half);
    if (sum / win > threshold) active[i] = 1;
  }
  // Widen: start `attack` early (look-ahead) and stay `hold` after.
  const early = Math.round(o.attack * o.sampleRate);
  const late = Math.round(o.hold * o.sampleRate);
  const wanted = new Uint8Array(frames);
  let lastActive = -Infinity;
  for (let i = 0; i < frames; i++) {
    if (active[i]) lastActive = i;
    if (i - lastActive <= late) wanted[i] = 1;
  }
  let nextActive = Infinity;
  for (let i = frames - 1; i >= 0; i--) {
    if (active[i]) nextActive = i;
    if (nextActive - i <= early) wanted[i] = 1;
  }
  // Follow the wanted depth at the attack and release rates (dB per frame).
  const down = o.amountDb / Math.max(1, o.attack * o.sampleRate);
  const up = o.amountDb / Math.max(1, o.release * o.sampleRate);
  const gain = new Float32Array(frames);
  let db = 0;
  for (let i = 0; i < frames; i++) {
    const target = wanted[i] ? -o.amountDb : 0;
    db = target < db ? Math.max(target, db - down) : Math.min(target, db + up);
    gain[i] = 10 ** (db / 20);
  }
  return gain;
}
