import { ImageValue } from '../../values/image.js';
import { SEGMENT_STRIDE } from './lines-value.js';

/**
 * The picture darkened to 45 %, each segment drawn over it as a solid line (about 1/500 of the diagonal wide):
 * near-vertical segments in orange, near-horizontal in cyan, the rest in magenta, so a viewer sees at once which
 * structure was found (trunks, door frames, a horizon).
 */
export function drawSegments(image: ImageValue, segments: Float32Array): ImageValue {
  const { width: w, height: h } = image;
  const out = new Uint8Array(image.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(image.data[i] * 0.45);
  const r = Math.max(0.75, Math.hypot(w, h) / 1000);
  const ri = Math.ceil(r);
  for (let k = 0; k < segments.length; k += SEGMENT_STRIDE) {
    const [x0, y0, x1, y1] = [segments[k], segments[k + 1], segments[k + 2], segments[k + 3]];
    const angle = (Math.abs(Math.atan2(y1 - y0, x1 - x0)) * 180) / Math.PI;
    const off = Math.min(angle, 180 - angle); // 0 = horizontal, 90 = vertical
    const colour = off > 70 ? [255, 150, 30] : off < 20 ? [40, 220, 255] : [240, 60, 220];
    const len = Math.hypot(x1 - x0, y1 - y0);
    const steps = Math.max(1, Math.ceil(len * 2));
    for (let s = 0; s <= steps; s++) {
      const cx = x0 + ((x1 - x0) * s) / steps;
      const cy = y0 + ((y1 - y0) * s) / steps;
      for (let y = Math.floor(cy - ri); y <= Math.ceil(cy + ri); y++) {
        if (y < 0 || y >= h) continue;
        for (let x = Math.floor(cx - ri); x <= Math.ceil(cx + ri); x++) {
          if (x < 0 || x >= w || (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 > r * r) continue;
          out.set(colour, (y * w + x) * 3);
        }
      }
    }
  }
  return new ImageValue(w, h, out);
}
