import { boxBlur, resizePlane, smoothstep } from '../filters.js';
import { pushPull } from './push-pull.js';
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
  const bin = new Float32Array(w * h);
  let hasSubject = false;
  for (let i = 0; i < bin.length; i++) if (matte[i] > 0.02) (bin[i] = 1), (hasSubject = true);
  const grown = hasSubject ? boxBlur(bin, w, h, grow) : bin;
  const planes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const weight = new Float32Array(n);
  const holeSoft = new Float32Array(n);
  for (let y = 0; y < ph; y++) {
    const sy = mirror(y - pad, h);
    const inY = y >= pad && y < pad + h;
    for (let x = 0; x < pw; x++) {
      const sx = mirror(x - pad, w);
      const o = y * pw + x;
      const s = sy * w + sx;
      planes[0][o] = rgb[s * 3];
      planes[1][o] = rgb[s * 3 + 1];
      planes[2][o] = rgb[s * 3 + 2];
      const inside = inY && x >= pad && x < pad + w;
      // The fill replaces the photo only where the subject hides it; at the soft edge the photo still shows,
      // so keep it there (the grown ring only keeps fringe colours out of the fill's sources).
      const hole = inside ? smoothstep(0.02, 0.5, matte[s]) : 0;
      holeSoft[o] = hole;
      weight[o] = inside ? (grown[s] > 0 ? 0 : 1) : 0;
    }
  }
  const fill = coarseFill(planes, weight, pw, ph, 4);
  if (hasSubject) fillBehindSubject(planes, weight, grown, fill, w, h, pad);
  const out = new Uint8ClampedArray(n * 3);
  const unknown = new Uint8Array(n);
  for (let y = 0; y < ph; y++) {
    const dy = y < pad ? pad - y : y >= pad + h ? y - (pad + h - 1) : 0;
    for (let x = 0; x < pw; x++) {
      const o = y * pw + x;
      const dx = x < pad ? pad - x : x >= pad + w ? x - (pad + w - 1) : 0;
      const outside = dx > 0 || dy > 0;
      let r: number;
      let g: number;
      let b: number;
      if (outside) {
        // Mirror near the edge, fading into the smooth fill further out.
        const fade = smoothstep(0, pad * 1.6, Math.hypot(dx, dy)) * 0.7;
        r = planes[0][o] * (1 - fade) + fill[0][o] * fade;
        g = planes[1][o] * (1 - fade) + fill[1][o] * fade;
        b = planes[2][o] * (1 - fade) + fill[2][o] * fade;
        unknown[o] = Math.round((fade / 0.7) * 255);
      } else {
        const k = holeSoft[o];
        r = planes[0][o] * (1 - k) + fill[0][o] * k;
        g = planes[1][o] * (1 - k) + fill[1][o] * k;
        b = planes[2][o] * (1 - k) + fill[2][o] * k;
        unknown[o] = Math.round(k * 255);
      }
      out[o * 3] = r;
      out[o * 3 + 1] = g;
      out[o * 3 + 2] = b;
    }
  }
  return { rgb: new Uint8Array(out.buffer), unknown };
}

/** The hole behind the subject: scanline interpolation from its own surroundings replaces the pyramid fill. */
function fillBehindSubject(planes: Float32Array[], weight: Float32Array, grown: Float32Array, fill: Float32Array[], w: number, h: number, pad: number): void {
  const pw = w + 2 * pad;
  const ph = h + 2 * pad;
  const known = new Uint8Array(pw * ph);
  const hole = new Float32Array(pw * ph);
  let x0 = pw;
  let y0 = ph;
  let x1 = 0;
  let y1 = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y + pad) * pw + x + pad;
      known[o] = weight[o] > 0 ? 1 : 0;
      if (grown[y * w + x] > 0) {
        hole[o] = 1;
        x0 = Math.min(x0, x + pad);
        y0 = Math.min(y0, y + pad);
        x1 = Math.max(x1, x + pad + 1);
        y1 = Math.max(y1, y + pad + 1);
      }
    }
  }
  if (x1 <= x0) return;
  const work = planes.map((p) => p.slice());
  scanlineFill(work, known, hole, pw, ph, [x0, y0, x1, y1]);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const o = y * pw + x;
      // Mostly the scanline guess, softened by the pyramid fill so its streaks do not read as lines.
      if (hole[o] > 0) for (let c = 0; c < 3; c++) fill[c][o] = work[c][o] * 0.65 + fill[c][o] * 0.35;
    }
  }
}

/**
 * Push-pull at 1/f resolution, upsampled: the fill is smooth by nature, so the full-resolution pyramid's
 * first levels (most of its cost) add nothing.
 */
function coarseFill(planes: Float32Array[], weight: Float32Array, w: number, h: number, f: number): Float32Array[] {
  const cw = Math.ceil(w / f);
  const ch = Math.ceil(h / f);
  const cp = [new Float32Array(cw * ch), new Float32Array(cw * ch), new Float32Array(cw * ch)];
  const cwt = new Float32Array(cw * ch);
  const cnt = new Float32Array(cw * ch);
  for (let y = 0; y < h; y++) {
    const row = ((y / f) | 0) * cw;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const o = row + ((x / f) | 0);
      const wt = weight[i];
      cwt[o] += wt;
      cnt[o]++;
      cp[0][o] += planes[0][i] * wt;
      cp[1][o] += planes[1][i] * wt;
      cp[2][o] += planes[2][i] * wt;
    }
  }
  for (let o = 0; o < cwt.length; o++) {
    const k = cwt[o] > 0 ? 1 / cwt[o] : 0;
    for (let c = 0; c < 3; c++) cp[c][o] *= k;
    cwt[o] /= cnt[o];
  }
  const filled = pushPull(cp, cwt, cw, ch);
  return filled.map((p) => resizePlane(p, cw, ch, cw * f, ch * f)).map((p) => cropPlane(p, cw * f, w, h));
}

function cropPlane(p: Float32Array, stride: number, w: number, h: number): Float32Array {
  if (stride === w && p.length === w * h) return p;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) out.set(p.subarray(y * stride, y * stride + w), y * w);
  return out;
}

/** Reflects an index into [0, n) (edge pixel not repeated). */
function mirror(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - m;
}
