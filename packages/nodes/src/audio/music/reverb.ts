/**
 * A stereo room (Freeverb's topology): eight damped feedback combs in parallel, then four all-passes in
 * series, per channel, the right channel's delays a little longer so that the tail is wide. Fed a mono
 * send, after a short pre-delay.
 */

const COMBS = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617];
const ALLPASSES = [556, 441, 341, 225];
const SPREAD = 23;

export interface ReverbOptions {
  sampleRate: number;
  /** 0..1: longer tails as it rises. */
  room: number;
  /** 0..1: more high-frequency loss per pass (a softer, warmer room). */
  damping: number;
  preDelay: number;
}

/** Adds the room's response to `send` (mono) into the interleaved stereo `bus`. */
export function addReverb(bus: Float32Array, send: Float32Array, o: ReverbOptions): void {
  const frames = send.length;
  const scale = o.sampleRate / 44100;
  const feedback = 0.7 + 0.28 * o.room;
  const damp = 0.2 + 0.4 * o.damping;
  const pre = Math.round(o.preDelay * o.sampleRate);
  for (let ch = 0; ch < 2; ch++) {
    const wet = new Float32Array(frames);
    for (const length of COMBS) {
      const size = Math.round((length + ch * SPREAD) * scale);
      const line = new Float32Array(size);
      let idx = 0;
      let store = 0;
      for (let i = 0; i < frames; i++) {
        const x = i >= pre ? send[i - pre] * 0.015 : 0;
        const y = line[idx];
        store = y * (1 - damp) + store * damp;
        line[idx] = x + store * feedback;
        if (++idx === size) idx = 0;
        wet[i] += y;
      }
    }
    for (const length of ALLPASSES) {
      const size = Math.round((length + ch * SPREAD) * scale);
      const line = new Float32Array(size);
      let idx = 0;
      for (let i = 0; i < frames; i++) {
        const buffered = line[idx];
        const x = wet[i];
        line[idx] = x + buffered * 0.5;
        wet[i] = buffered - x;
        if (++idx === size) idx = 0;
      }
    }
    for (let i = 0; i < frames; i++) bus[i * 2 + ch] += wet[i];
  }
}
