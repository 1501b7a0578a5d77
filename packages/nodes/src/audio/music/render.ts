import { seededRandom } from '../prng.js';
import type { Composition } from './compose.js';
import { addPanned } from './dsp.js';
import { DRUMS, renderDrum, type DrumName } from './drums.js';
import { MOOD_SPECS } from './moods.js';
import { INSTRUMENTATION } from './presets.js';
import { addReverb } from './reverb.js';
import type { Part } from './score.js';
import { renderVoice } from './voices.js';

export interface RenderOptions {
  sampleRate: number;
  /** Peak level of the result, 0..1. */
  volume: number;
  fadeIn: number;
  fadeOut: number;
  /** Called now and then with the share done; may throw to stop (an interrupted run). */
  onProgress?: (fraction: number) => void | Promise<void>;
}

/** Each part's level in the mix and its send to the room. */
const MIX: Record<Part, { level: number; send: number }> = {
  pad: { level: 0.2, send: 0.7 },
  harmony: { level: 0.3, send: 0.55 },
  melody: { level: 0.42, send: 0.5 },
  bass: { level: 0.5, send: 0.05 },
  kick: { level: 0.55, send: 0.05 },
  snare: { level: 0.28, send: 0.35 },
  hat: { level: 0.12, send: 0.15 },
  shaker: { level: 0.12, send: 0.25 },
  tom: { level: 0.55, send: 0.4 },
  rim: { level: 0.18, send: 0.35 },
};

/**
 * Plays a composition at the given sample rate as interleaved stereo: each note by its part's voice,
 * panned into the dry mix and sent (mono) to the room; then the room's return, a gentle saturation, the
 * level set by the peak, and the fades (the fade-out within the held final chord).
 */
export async function renderComposition(c: Composition, o: RenderOptions): Promise<Float32Array> {
  const sr = o.sampleRate;
  const frames = Math.max(1, Math.round(c.arrangement.seconds * sr));
  const spec = MOOD_SPECS[c.mood];
  const voices = INSTRUMENTATION[c.preset];
  const bus = new Float32Array(frames * 2);
  const send = new Float32Array(frames);
  // Each note's noise and phases from its own stream, seeded by its place in the score: same score, same samples.
  let done = 0;
  for (let e = 0; e < c.events.length; e++) {
    const ev = c.events[e];
    const rand = seededRandom(e * 7919 + Math.round(ev.time * 1000));
    const note = (DRUMS as readonly string[]).includes(ev.part)
      ? renderDrum(ev.part as DrumName, ev.velocity, sr, rand)
      : renderVoice(voices[ev.part as keyof typeof voices], {
          midi: ev.midi,
          velocity: ev.velocity,
          duration: ev.duration,
          sampleRate: sr,
          brightness: spec.brightness,
          rand,
        });
    const start = Math.round(ev.time * sr);
    const mix = MIX[ev.part];
    addPanned(bus, note, start, ev.pan, mix.level);
    const sendGain = mix.level * mix.send * spec.reverb * 2;
    const end = Math.min(note.length, frames - start);
    for (let i = Math.max(0, -start); i < end; i++) send[start + i] += note[i] * sendGain;
    if (++done % 64 === 0) await o.onProgress?.((0.8 * done) / c.events.length);
  }
  addReverb(bus, send, { sampleRate: sr, room: spec.room, damping: 1 - spec.brightness / 5000, preDelay: 0.02 });
  await o.onProgress?.(0.95);

  // Gentle saturation (rounds the few loud peaks), then the level: the peak at `volume`.
  let peak = 0;
  for (let i = 0; i < bus.length; i++) {
    bus[i] = Math.tanh(bus[i] * 1.2) / 1.2;
    peak = Math.max(peak, Math.abs(bus[i]));
  }
  const gain = peak > 0 ? o.volume / peak : 0;
  const fadeIn = Math.min(o.fadeIn, c.arrangement.seconds / 2) * sr;
  const fadeOut = Math.min(o.fadeOut, c.arrangement.seconds / 2) * sr;
  for (let i = 0; i < frames; i++) {
    let g = gain;
    if (i < fadeIn) g *= 0.5 - 0.5 * Math.cos((Math.PI * i) / fadeIn);
    if (frames - 1 - i < fadeOut) g *= 0.5 - 0.5 * Math.cos((Math.PI * (frames - 1 - i)) / fadeOut);
    bus[i * 2] *= g;
    bus[i * 2 + 1] *= g;
  }
  await o.onProgress?.(1);
  return bus;
}
