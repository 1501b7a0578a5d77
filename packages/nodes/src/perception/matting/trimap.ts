import { distanceTo } from '../../mask/distance.js';
import type { MaskValue } from '../../values/mask.js';

/** Per pixel: 0 background, 1 foreground, 2 unknown (alpha to be solved). */
export type Trimap = Uint8Array;
export const BG = 0,
  FG = 1,
  UNKNOWN = 2;

/** Trimap MASK values: at most this far from 0 or 1 are known; everything between is the unknown band. */
const KNOWN_MARGIN = 0.1;

/**
 * Whether a MASK reads as a trimap: nearly every value is 0, 1 or about 0.5 (painted or saved trimaps are
 * anti-aliased, so a few values lie between), and there is a grey region at all. A rough or soft mask
 * (a network's matte, a painted binary mask) has its values spread or only 0 and 1.
 */
export function looksLikeTrimap(m: MaskValue): boolean {
  let grey = 0,
    other = 0;
  for (const v of m.data) {
    if (Math.abs(v - 0.5) < 0.04) grey++;
    else if (v > KNOWN_MARGIN && v < 1 - KNOWN_MARGIN) other++;
  }
  const n = m.data.length;
  return grey > 0.005 * n && other < 0.25 * grey;
}

/** A trimap MASK (0 background, 1 foreground, grey unknown) as a Trimap. */
export function trimapFromTrimap(m: MaskValue): Trimap {
  const out = new Uint8Array(m.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = m.data[i];
    out[i] = v <= KNOWN_MARGIN ? BG : v >= 1 - KNOWN_MARGIN ? FG : UNKNOWN;
  }
  return out;
}

/**
 * A rough mask's trimap: its 0.5 level shrunk by `band` pixels is foreground, grown by `band` pixels
 * the complement is background, the band between is unknown (Euclidean distances, so the band has the
 * same width along any edge direction).
 */
export function trimapFromMask(m: MaskValue, band: number): Trimap {
  const n = m.data.length;
  const inside = new Uint8Array(n),
    outside = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (m.data[i] >= 0.5) inside[i] = 1;
    else outside[i] = 1;
  }
  const toOutside = distanceTo(outside, m.width, m.height);
  const toInside = distanceTo(inside, m.width, m.height);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (inside[i]) out[i] = toOutside[i] > band ? FG : UNKNOWN;
    else out[i] = toInside[i] > band ? BG : UNKNOWN;
  }
  return out;
}

export function countUnknown(t: Trimap): number {
  let u = 0;
  for (const v of t) if (v === UNKNOWN) u++;
  return u;
}
