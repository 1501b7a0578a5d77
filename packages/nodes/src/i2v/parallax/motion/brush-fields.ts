import { distanceTo } from '../../../mask/distance.js';
import type { ResizeMode } from '../../../model/handles.js';
import type { BrushKind, BrushStroke } from '../../../values/motion-region.js';
import type { ParallaxScene } from '../scene.js';

/** A brush's motion as the renderer reads it (plan JSON); its field is plane k of the scene's `brush`. */
export interface BrushMotion {
  kind: BrushKind;
  dir: [number, number];
  strength: number;
}

/**
 * How far inside the painted edge a brush's motion starts, in output pixels: the renderer computes motion on
 * an 8-pixel grid and interpolates it (and looks fields up between quarter-resolution cells), so a motion that
 * started right at the edge would leak up to about 14 pixels outside. Starting it 16 pixels in keeps every
 * pixel outside the mask exactly still.
 */
export const BRUSH_INSET = 16;
/** Then the motion eases in over this many pixels (the feather). */
export const BRUSH_FEATHER = 16;

/**
 * The brushes' weight fields over the scene's padded quarter-resolution canvas (like its region masks), one
 * plane per stroke: the mask carried onto the photo as Encode Image fitted it, times a ramp from the painted
 * edge inward, and each cell the least of its pixels (a cell moves only if all of it may).
 */
export function brushFields(
  strokes: readonly BrushStroke[],
  s: ParallaxScene,
  source: [number, number],
  mode: ResizeMode,
): { fields: Float32Array; motions: BrushMotion[] } {
  const { width: W, height: H, pad, q, qw, qh } = s;
  const fields = new Float32Array(strokes.length * qw * qh);
  const motions: BrushMotion[] = [];
  strokes.forEach((stroke, k) => {
    const m = maskOnScene(stroke, W, H, source, mode);
    const zero = new Uint8Array(W * H);
    for (let i = 0; i < zero.length; i++) zero[i] = m[i] > 0 ? 0 : 1;
    const dist = distanceTo(zero, W, H);
    const plane = fields.subarray(k * qw * qh, (k + 1) * qw * qh);
    for (let cy = 0; cy < qh; cy++) {
      for (let cx = 0; cx < qw; cx++) {
        const x0 = cx * q - pad;
        const y0 = cy * q - pad;
        if (x0 < 0 || y0 < 0 || x0 + q > W || y0 + q > H) continue; // beyond the photo: never painted
        let least = 1;
        for (let y = y0; y < y0 + q; y++) {
          for (let x = x0; x < x0 + q; x++) {
            const i = y * W + x;
            const v = m[i] * ramp(dist[i]);
            if (v < least) least = v;
          }
        }
        plane[cy * qw + cx] = least;
      }
    }
    motions.push({ kind: stroke.kind, dir: [stroke.direction[0], stroke.direction[1]], strength: stroke.strength });
  });
  return { fields, motions };
}

function ramp(d: number): number {
  const t = Math.min(1, Math.max(0, (d - BRUSH_INSET) / BRUSH_FEATHER));
  return t * t * (3 - 2 * t);
}

/**
 * The stroke's mask at scene pixels: the mask covers the source photo (stretched to it if its size differs),
 * and the photo was fitted into the scene by Encode Image's resize mode (crop: cover and centre; fit and pad:
 * inside and centre, the letterbox never painted). Bilinear at pixel centres.
 */
function maskOnScene(stroke: BrushStroke, W: number, H: number, [sw, sh]: [number, number], mode: ResizeMode): Float32Array {
  const mask = stroke.mask;
  const cover = mode === 'crop';
  const scale = cover ? Math.max(W / sw, H / sh) : Math.min(W / sw, H / sh);
  const iw = cover ? sw * scale : Math.max(1, Math.round(sw * scale));
  const ih = cover ? sh * scale : Math.max(1, Math.round(sh * scale));
  const left = cover ? (W - iw) / 2 : Math.floor((W - iw) / 2);
  const top = cover ? (H - ih) / 2 : Math.floor((H - ih) / 2);
  const kx = mask.width / iw;
  const ky = mask.height / ih;
  const out = new Float32Array(W * H);
  const mw = mask.width;
  const mh = mask.height;
  const d = mask.data;
  for (let y = 0; y < H; y++) {
    const v = (y + 0.5 - top) * ky;
    if (v < 0 || v >= mh) continue;
    const fy = Math.min(mh - 1, Math.max(0, v - 0.5));
    const y0 = Math.min(mh - 2, fy | 0);
    const ty = mh > 1 ? fy - y0 : 0;
    for (let x = 0; x < W; x++) {
      const u = (x + 0.5 - left) * kx;
      if (u < 0 || u >= mw) continue;
      const fx = Math.min(mw - 1, Math.max(0, u - 0.5));
      const x0 = Math.min(mw - 2, fx | 0);
      const tx = mw > 1 ? fx - x0 : 0;
      const r0 = Math.max(0, y0) * mw;
      const r1 = Math.min(mh - 1, Math.max(0, y0) + 1) * mw;
      const xa = Math.max(0, x0);
      const xb = Math.min(mw - 1, xa + 1);
      const a = d[r0 + xa] + (d[r0 + xb] - d[r0 + xa]) * tx;
      const b = d[r1 + xa] + (d[r1 + xb] - d[r1 + xa]) * tx;
      out[y * W + x] = a + (b - a) * ty;
    }
  }
  return out;
}
