import { coarseFill, FillRows } from './coarse-fill.js';
import { growMask, maskBox } from './grow-mask.js';
import { scanlineFill } from './scanline-fill.js';

export interface CompletedBackground {
  /** Padded canvas (w+2·pad)×(h+2·pad), RGB bytes. */
  rgb: Uint8Array;
  /** 255 where the content was synthesized. */
  unknown: Uint8Array;
}

/**
 * The background layer: the photo with the subject removed (filled from its surroundings) and the frame
 * extended by `pad` on every side, so any camera move within the presets' range finds content, never a hole.
 * Beyond the edges: the photo mirrored at the edge (keeps texture and continues lines), fading with distance
 * into the push-pull fill so mirrored objects do not read as copies.
 */
export function completeBackground(rgb: Uint8Array, matte: Float32Array, w: number, h: number, pad: number): CompletedBackground {
  const pw = w + 2 * pad;
  const ph = h + 2 * pad;
  const n = pw * ph;
  // Hole: the subject, grown by a few pixels so its fringe colour does not bleed into the fill.
  const grow = Math.max(2, Math.round(Math.min(w, h) / 120));
  const subject = new Uint8Array(w * h);
  for (let i = 0; i < subject.length; i++) if (matte[i] > 0.02) subject[i] = 1;
  const subjectBox = maskBox(subject, w, h);
  const hole = growMask({ mask: subject, box: subjectBox }, w, h, grow);
  const fill = new FillRows(coarseFill(rgb, hole.mask, w, h, pad, 4), pw);
  // Behind the subject: mostly the scanline guess, softened by the pyramid fill so its streaks do not read as lines.
  const [hx0, hy0, hx1] = hole.box;
  const hbw = hx1 - hx0;
  const behind = subjectBox[2] > subjectBox[0] ? scanlineFill(rgb, hole.mask, w, h, pad, hole.box) : undefined;
  const fade = fadeTable(pad);

  const out = new Uint8ClampedArray(n * 3);
  const unknown = new Uint8Array(n);
  const mirrorX = new Int32Array(pw);
  for (let x = 0; x < pw; x++) mirrorX[x] = mirror(x - pad, w) * 3;
  const side = pad + 1;
  const { mix, unknown: fadeUnknown } = fade;
  for (let y = 0; y < ph; y++) {
    fill.select(y);
    const { a, b, fy } = fill.rows();
    const [a0, a1, a2] = a;
    const [b0, b1, b2] = b;
    const dy = y < pad ? pad - y : y >= pad + h ? y - (pad + h - 1) : 0;
    const src = mirror(y - pad, h) * w * 3;
    const row = y * pw;
    const inRow = dy === 0;
    // Beyond the frame: mirror near the edge, fading into the smooth fill further out.
    for (let x = 0; x < pw; x++) {
      let dx: number;
      if (x < pad) dx = pad - x;
      else if (x >= pad + w) dx = x - (pad + w - 1);
      else if (inRow) {
        x = pad + w - 1;
        continue;
      } else dx = 0;
      const o = row + x;
      const t = dy * side + dx;
      const k = mix[t];
      const s = src + mirrorX[x];
      const o3 = o * 3;
      out[o3] = rgb[s] * (1 - k) + Math.fround(a0[x] + (b0[x] - a0[x]) * fy) * k;
      out[o3 + 1] = rgb[s + 1] * (1 - k) + Math.fround(a1[x] + (b1[x] - a1[x]) * fy) * k;
      out[o3 + 2] = rgb[s + 2] * (1 - k) + Math.fround(a2[x] + (b2[x] - a2[x]) * fy) * k;
      unknown[o] = fadeUnknown[t];
    }
    if (!inRow) continue;
    out.set(rgb.subarray(src, src + w * 3), (row + pad) * 3);
    const py = y - pad;
    if (!behind || py < subjectBox[1] || py >= subjectBox[3]) continue;
    // The fill replaces the photo only where the subject hides it; at the soft edge the photo still shows,
    // so keep it there (the grown ring only keeps fringe colours out of the fill's sources).
    const [s0, s1, s2] = behind;
    for (let px = subjectBox[0]; px < subjectBox[2]; px++) {
      const m = matte[py * w + px];
      if (!(m > 0.02)) continue;
      let t = (m - 0.02) / (0.5 - 0.02);
      if (t > 1) t = 1;
      const k = t * t * (3 - 2 * t);
      const x = px + pad;
      const o = row + x;
      const bi = (py - hy0) * hbw + (px - hx0);
      const si = src + px * 3;
      const o3 = o * 3;
      out[o3] = rgb[si] * (1 - k) + Math.fround(s0[bi] * 0.65 + Math.fround(a0[x] + (b0[x] - a0[x]) * fy) * 0.35) * k;
      out[o3 + 1] = rgb[si + 1] * (1 - k) + Math.fround(s1[bi] * 0.65 + Math.fround(a1[x] + (b1[x] - a1[x]) * fy) * 0.35) * k;
      out[o3 + 2] = rgb[si + 2] * (1 - k) + Math.fround(s2[bi] * 0.65 + Math.fround(a2[x] + (b2[x] - a2[x]) * fy) * 0.35) * k;
      unknown[o] = Math.round(k * 255);
    }
  }
  return { rgb: new Uint8Array(out.buffer), unknown };
}

/**
 * Share of the fill beyond the frame by distance (dx, dy) from the photo's edge, and the matching
 * `unknown` byte: table[dy·(pad+1) + dx]. Same for every photo of a size, so no per-pixel square roots.
 */
function fadeTable(pad: number): { mix: Float64Array; unknown: Uint8Array } {
  const side = pad + 1;
  const mix = new Float64Array(side * side);
  const unknown = new Uint8Array(side * side);
  const span = pad * 1.6;
  for (let dy = 0; dy < side; dy++) {
    for (let dx = 0; dx < side; dx++) {
      let t = Math.hypot(dx, dy) / span;
      if (t > 1) t = 1;
      const fade = t * t * (3 - 2 * t) * 0.7;
      mix[dy * side + dx] = fade;
      unknown[dy * side + dx] = Math.round((fade / 0.7) * 255);
    }
  }
  return { mix, unknown };
}

/** Reflects an index into [0, n) (edge pixel not repeated). */
function mirror(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - m;
}
