import { coarseFill, FillRows } from './coarse-fill.js';
import { dilateExact, growMask, thresholdMask } from './grow-mask.js';
import { continueLines } from './continue-lines.js';
import { exemplarFill } from './exemplar-fill.js';
import { scanlineFill } from './scanline-fill.js';

export interface CompletedBackground {
  /** Padded canvas (w+2·pad)×(h+2·pad), RGB bytes. */
  rgb: Uint8Array;
  /** 255 where the content was synthesized. */
  unknown: Uint8Array;
  /** Box [x0, y0, x1, y1) of the photo pixels with matte > 0.02 (x1 <= x0 when there are none). */
  subjectBox: [number, number, number, number];
  /** v2: how many line segments' ends were drawn on through the fill behind the subject. */
  continuedLines: number;
}

/**
 * The background layer: the photo with the subject removed (filled from its surroundings) and the frame
 * extended by `pad` on every side, so any camera move within the presets' range finds content, never a hole.
 * Beyond the edges: the photo mirrored at the edge (keeps texture and continues lines), fading with distance
 * into the push-pull fill so mirrored objects do not read as copies. `matteBox`: where the matte may be
 * above 0 (it is 0 outside). The padded canvas is never built as planes: each output row is blended
 * straight from the photo (mirrored), the coarse fill and the fill behind the subject.
 */
export function completeBackground(
  rgb: Uint8Array,
  matte: Float32Array,
  w: number,
  h: number,
  pad: number,
  matteBox: [number, number, number, number] = [0, 0, w, h],
  /** false: the margin is the smooth fill alone, never a mirror image of the photo. */
  mirrorMargin = true,
  /**
   * builtin/parallax-v2: behind the subject, texture copied from around the hole (exemplarFill) over a band
   * `band` pixels deep, replacing the photo wherever the matte is above 0.02 (no fringe of the subject's own
   * colours left to show as a ghost outline); deeper in, the smooth fill. Absent: v1's blend. `lines`: segments
   * (x0, y0, x1, y1, score) whose straight structure is drawn on through that fill (continueLines).
   */
  exemplar?: { band: number; lines?: Float32Array },
): CompletedBackground {
  const pw = w + 2 * pad;
  const ph = h + 2 * pad;
  const n = pw * ph;
  // Hole: the subject, grown by a few pixels so its fringe colour does not bleed into the fill.
  const grow = Math.max(2, Math.round(Math.min(w, h) / 120));
  const subject = thresholdMask(matte, w, h, 0.02, matteBox);
  const subjectBox = subject.box;
  const hole = growMask(subject, w, h, grow);
  const fill = new FillRows(coarseFill(rgb, hole.mask, w, h, pad, 4), pw, [pad, pad + w]);
  // Behind the subject: mostly the scanline guess, softened by the pyramid fill so its streaks do not read as lines.
  const [hx0, hy0, hx1] = hole.box;
  const hbw = hx1 - hx0;
  const any = subjectBox[2] > subjectBox[0];
  const behind = any && !exemplar ? scanlineFill(rgb, hole.mask, w, h, pad, hole.box) : undefined;
  const copied = any && exemplar ? exemplarFill(rgb, hole.mask, w, h, hole.box, exemplar.band) : undefined;
  const continuedLines =
    copied && exemplar?.lines ? continueLines(rgb, hole.mask, w, h, hole.box, copied, exemplar.lines, { band: exemplar.band }) : 0;
  // v2 also replaces a ring of RING px just outside the matte: the photo's pixels there still mix in the subject's
  // edge colours (JPEG ringing, a matte a pixel tight), which would show as a thin outline once the subject moves.
  const ring = copied ? dilateExact(subject, w, h, RING) : undefined;
  const replaced = copied ? [Math.max(0, subjectBox[1] - RING), Math.min(h, subjectBox[3] + RING)] : [subjectBox[1], subjectBox[3]];
  const fade = mirrorMargin ? fadeTable(pad) : fillOnlyTable(pad);

  const out = new Uint8ClampedArray(n * 3);
  const outBytes = new Uint8Array(out.buffer);
  const unknown = new Uint8Array(n);
  const mirrorX = new Int32Array(pw);
  for (let x = 0; x < pw; x++) mirrorX[x] = mirror(x - pad, w) * 3;
  const side = pad + 1;
  for (let y = 0; y < ph; y++) {
    const dy = y < pad ? pad - y : y >= pad + h ? y - (pad + h - 1) : 0;
    // Inside the frame the fill is needed beyond the edges, and across the row only where the subject is.
    fill.select(y, dy > 0 || (y - pad >= replaced[0] && y - pad < replaced[1]));
    const rows = fill.rows();
    const src = mirror(y - pad, h) * w * 3;
    const span: MarginSpan = { out, unknown, rgb, src, mirrorX, fade, t0: dy * side, rows, row: y * pw };
    // Beyond the frame: mirror near the edge, fading into the smooth fill further out (dx = base + step·x).
    blendMargin(span, 0, pad, pad, -1);
    blendMargin(span, pad + w, pw, -(pad + w - 1), 1);
    if (dy > 0) {
      blendMargin(span, pad, pad + w, 0, 0);
      continue;
    }
    outBytes.set(rgb.subarray(src, src + w * 3), (y * pw + pad) * 3);
    const py = y - pad;
    if ((behind || copied) && py >= replaced[0] && py < replaced[1]) {
      if (copied) {
        const x0 = Math.max(0, subjectBox[0] - RING);
        const x1 = Math.min(w, subjectBox[2] + RING);
        replaceBehind(span, ring!, copied.planes, copied.weight, w, pad, py, x0, x1, (py - hy0) * hbw - hx0);
      } else blendBehind(span, matte, behind!, w, pad, py, subjectBox[0], subjectBox[2], (py - hy0) * hbw - hx0);
    }
  }
  return { rgb: new Uint8Array(out.buffer), unknown, subjectBox, continuedLines };
}

interface MarginSpan {
  out: Uint8ClampedArray;
  unknown: Uint8Array;
  rgb: Uint8Array;
  /** Start of the photo row this canvas row shows (mirrored beyond the frame). */
  src: number;
  mirrorX: Int32Array;
  fade: { mix: Float64Array; unknown: Uint8Array };
  /** dy·(pad+1): the fade table's row. */
  t0: number;
  rows: { a: Float64Array[]; b: Float64Array[]; fy: number };
  /** Canvas index of the row's first pixel. */
  row: number;
}

/** Canvas pixels [x0, x1) of a row beyond the frame: the mirrored photo blended into the fill by distance. */
function blendMargin(sp: MarginSpan, x0: number, x1: number, dxBase: number, dxStep: number): void {
  const { out, unknown, rgb, src, mirrorX, t0, row } = sp;
  const { mix, unknown: fadeUnknown } = sp.fade;
  const [a0, a1, a2] = sp.rows.a;
  const [b0, b1, b2] = sp.rows.b;
  const fy = sp.rows.fy;
  for (let x = x0; x < x1; x++) {
    const t = t0 + dxBase + dxStep * x;
    const k = mix[t];
    const s = src + mirrorX[x];
    const o3 = (row + x) * 3;
    out[o3] = rgb[s] * (1 - k) + Math.fround(a0[x] + (b0[x] - a0[x]) * fy) * k;
    out[o3 + 1] = rgb[s + 1] * (1 - k) + Math.fround(a1[x] + (b1[x] - a1[x]) * fy) * k;
    out[o3 + 2] = rgb[s + 2] * (1 - k) + Math.fround(a2[x] + (b2[x] - a2[x]) * fy) * k;
    unknown[row + x] = fadeUnknown[t];
  }
}

/**
 * Photo pixels [px0, px1) of row py under the subject: the fill replaces the photo only where the subject
 * hides it; at the soft edge the photo still shows, so keep it there (the grown ring only keeps fringe
 * colours out of the fill's sources). Behind the subject the fill is mostly the scanline guess, softened
 * by the pyramid fill so its streaks do not read as lines. `bi0 + px` indexes `behind`.
 */
function blendBehind(
  sp: MarginSpan,
  matte: Float32Array,
  behind: Float32Array[],
  w: number,
  pad: number,
  py: number,
  px0: number,
  px1: number,
  bi0: number,
): void {
  const { out, unknown, rgb, src, row } = sp;
  const [a0, a1, a2] = sp.rows.a;
  const [b0, b1, b2] = sp.rows.b;
  const fy = sp.rows.fy;
  const [s0, s1, s2] = behind;
  for (let px = px0; px < px1; px++) {
    const m = matte[py * w + px];
    if (!(m > 0.02)) continue;
    let t = (m - 0.02) / (0.5 - 0.02);
    if (t > 1) t = 1;
    const k = t * t * (3 - 2 * t);
    const x = px + pad;
    const bi = bi0 + px;
    const si = src + px * 3;
    const o3 = (row + x) * 3;
    out[o3] = rgb[si] * (1 - k) + Math.fround(s0[bi] * 0.65 + Math.fround(a0[x] + (b0[x] - a0[x]) * fy) * 0.35) * k;
    out[o3 + 1] = rgb[si + 1] * (1 - k) + Math.fround(s1[bi] * 0.65 + Math.fround(a1[x] + (b1[x] - a1[x]) * fy) * 0.35) * k;
    out[o3 + 2] = rgb[si + 2] * (1 - k) + Math.fround(s2[bi] * 0.65 + Math.fround(a2[x] + (b2[x] - a2[x]) * fy) * 0.35) * k;
    unknown[row + x] = Math.round(k * 255);
  }
}

/**
 * v2's photo pixels [px0, px1) of row py under the subject: wherever the matte (grown by RING) is above 0.02 the background is
 * the copied texture (weight 1 in the band along the hole's edge), easing into the pyramid fill deeper in.
 * `unknown` is low where texture was copied (the detail steps add little grain to it) and full in the smooth fill.
 */
function replaceBehind(
  sp: MarginSpan,
  /** Where to replace: the matte above 0.02, grown by RING. */
  ring: Uint8Array,
  copied: Float32Array[],
  weight: Float32Array,
  w: number,
  pad: number,
  py: number,
  px0: number,
  px1: number,
  bi0: number,
): void {
  const { out, unknown, row } = sp;
  const [a0, a1, a2] = sp.rows.a;
  const [b0, b1, b2] = sp.rows.b;
  const fy = sp.rows.fy;
  const [c0, c1, c2] = copied;
  for (let px = px0; px < px1; px++) {
    if (!ring[py * w + px]) continue;
    const x = px + pad;
    const bi = bi0 + px;
    const o3 = (row + x) * 3;
    const k = weight[bi];
    // Deeper in, the pyramid fill alone: smooth (the scanline guess would streak), and never seen by a move within the band.
    out[o3] = c0[bi] * k + (a0[x] + (b0[x] - a0[x]) * fy) * (1 - k);
    out[o3 + 1] = c1[bi] * k + (a1[x] + (b1[x] - a1[x]) * fy) * (1 - k);
    out[o3 + 2] = c2[bi] * k + (a2[x] + (b2[x] - a2[x]) * fy) * (1 - k);
    unknown[row + x] = Math.round(255 - 191 * k);
  }
}

/** Pixels just outside the matte that v2 also replaces behind the subject. */
const RING = 2;

/**
 * How much of the smooth fill the far margin takes: mostly fill, so the mirrored photo only continues texture and
 * lines near the edge and never shows as a recognisable mirrored copy when a strong move reveals the margin.
 */
const MARGIN_FILL = 0.95;

/**
 * Share of the fill beyond the frame by distance (dx, dy) from the photo's edge, and the matching
 * `unknown` byte: table[dy·(pad+1) + dx]. Same for every photo of a size, so no per-pixel square roots.
 */
function fadeTable(pad: number): { mix: Float64Array; unknown: Uint8Array } {
  const side = pad + 1;
  const mix = new Float64Array(side * side);
  const unknown = new Uint8Array(side * side);
  const span = pad * 0.35;
  for (let dy = 0; dy < side; dy++) fadeRow(mix, unknown, dy, side, span);
  return { mix, unknown };
}

/** The margin as the smooth fill alone (no mirrored texture at all), all of it synthesized. */
function fillOnlyTable(pad: number): { mix: Float64Array; unknown: Uint8Array } {
  const side = pad + 1;
  return { mix: new Float64Array(side * side).fill(1), unknown: new Uint8Array(side * side).fill(255) };
}

function fadeRow(mix: Float64Array, unknown: Uint8Array, dy: number, side: number, span: number): void {
  for (let dx = 0, i = dy * side; dx < side; dx++, i++) {
    let t = Math.sqrt(dx * dx + dy * dy) / span;
    if (t > 1) t = 1;
    const fade = t * t * (3 - 2 * t) * MARGIN_FILL;
    mix[i] = fade;
    unknown[i] = Math.round((fade / MARGIN_FILL) * 255);
  }
}

/** Reflects an index into [0, n) (edge pixel not repeated). */
function mirror(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - m;
}
