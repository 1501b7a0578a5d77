/**
 * The piece's time grid and shape: a tempo nudged so that a whole number of beats fills the clip, a
 * pickup of 0-3 beats at the start, whole 4/4 bars after it, 4-bar phrases counted back from the end (so the
 * last phrase, and its cadence, end exactly as the clip does), and an energy curve that builds towards
 * two-thirds of the way and resolves into a held tonic in the last bar.
 */

export const BEATS_PER_BAR = 4;
export const BARS_PER_PHRASE = 4;

export interface Bar {
  index: number;
  /** Start time, seconds. */
  start: number;
  /** Beats in the bar (the pickup may be shorter). */
  beats: number;
  /** Position in its phrase, 0-based; `phraseLength` bars in that phrase. */
  inPhrase: number;
  phraseLength: number;
  phrase: number;
  /** 0..1: how full the arrangement is here. */
  energy: number;
  pickup: boolean;
  /** The last bar: the held tonic the piece resolves on. */
  final: boolean;
}

export interface Arrangement {
  bpm: number;
  beatSeconds: number;
  seconds: number;
  bars: Bar[];
}

/** The tempo closest to `bpm` at which a whole number of beats (at least one) lasts exactly `seconds`. */
export function fitTempo(bpm: number, seconds: number): { bpm: number; beats: number } {
  const beats = Math.max(1, Math.round((seconds * bpm) / 60));
  return { bpm: (60 * beats) / seconds, beats };
}

export function arrange(nominalBpm: number, seconds: number): Arrangement {
  const { bpm, beats } = fitTempo(nominalBpm, seconds);
  const beatSeconds = 60 / bpm;
  const pickupBeats = beats % BEATS_PER_BAR;
  const fullBars = Math.floor(beats / BEATS_PER_BAR);
  const bars: Bar[] = [];
  if (pickupBeats > 0) {
    bars.push({
      index: 0,
      start: 0,
      beats: pickupBeats,
      inPhrase: 0,
      phraseLength: 1,
      phrase: -1,
      energy: 0.15,
      pickup: true,
      final: fullBars === 0,
    });
  }
  // Phrases from the end: the first phrase takes what is left over (a shorter opening phrase).
  const phraseStarts: number[] = [];
  for (let end = fullBars; end > 0; end -= BARS_PER_PHRASE) phraseStarts.unshift(Math.max(0, end - BARS_PER_PHRASE));
  for (let b = 0; b < fullBars; b++) {
    const phrase = phraseStarts.filter((s) => s <= b).length - 1;
    const start = phraseStarts[phrase];
    const end = phrase + 1 < phraseStarts.length ? phraseStarts[phrase + 1] : fullBars;
    bars.push({
      index: bars.length,
      start: (pickupBeats + b * BEATS_PER_BAR) * beatSeconds,
      beats: BEATS_PER_BAR,
      // A short opening phrase is the tail of a whole one: its bars keep their places in the phrase (the cadence stays at the end).
      inPhrase: b - start + (BARS_PER_PHRASE - (end - start)),
      phraseLength: BARS_PER_PHRASE,
      phrase,
      energy: energyAt((b + 0.5) / fullBars, fullBars),
      pickup: false,
      final: b === fullBars - 1,
    });
  }
  return { bpm, beatSeconds, seconds, bars };
}

/**
 * The arrangement's shape over the piece (x = 0..1): a quiet opening, a build to a peak at about 0.7,
 * and a falling away into the close. Short pieces (a bar or two) start higher so every layer gets heard.
 */
export function energyAt(x: number, bars: number): number {
  const floor = bars <= 2 ? 0.6 : bars <= 4 ? 0.45 : 0.25;
  const rise = x < 0.7 ? floor + (1 - floor) * smooth(x / 0.7) : 1 - 0.55 * smooth((x - 0.7) / 0.3);
  return Math.max(0, Math.min(1, rise));
}

const smooth = (t: number) => t * t * (3 - 2 * t);
