import type { Face } from '../../values/faces.js';
import { MaskValue } from '../../values/mask.js';

export type FaceMaskShape = 'ellipse' | 'box';

/**
 * A MASK covering every face: the ellipse inscribed in its box (or the box), scaled about the box centre
 * by `scale`, with anti-aliased edges (coverage of each pixel, so the mask does not step). Faces overlap by
 * taking the larger value.
 */
export function faceMask(width: number, height: number, faces: readonly Face[], shape: FaceMaskShape, scale: number): MaskValue {
  const data = new Float32Array(width * height);
  for (const f of faces) {
    const cx = f.box.x + f.box.width / 2;
    const cy = f.box.y + f.box.height / 2;
    const rx = (f.box.width * scale) / 2;
    const ry = (f.box.height * scale) / 2;
    if (!(rx > 0 && ry > 0)) continue;
    const x0 = Math.max(0, Math.floor(cx - rx));
    const x1 = Math.min(width, Math.ceil(cx + rx));
    const y0 = Math.max(0, Math.floor(cy - ry));
    const y1 = Math.min(height, Math.ceil(cy + ry));
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const v =
          shape === 'box' ? boxCoverage(x, y, cx - rx, cy - ry, cx + rx, cy + ry) : ellipseCoverage(x + 0.5 - cx, y + 0.5 - cy, rx, ry);
        const i = y * width + x;
        if (v > data[i]) data[i] = v;
      }
    }
  }
  return new MaskValue(width, height, data);
}

/** Exact share of pixel [x, x+1) x [y, y+1) inside the rectangle. */
function boxCoverage(x: number, y: number, left: number, top: number, right: number, bottom: number): number {
  const w = Math.min(x + 1, right) - Math.max(x, left);
  const h = Math.min(y + 1, bottom) - Math.max(y, top);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Coverage from the signed distance to the ellipse edge (in pixels, first-order): a one-pixel ramp. */
function ellipseCoverage(dx: number, dy: number, rx: number, ry: number): number {
  const nx = dx / rx;
  const ny = dy / ry;
  const r = Math.sqrt(nx * nx + ny * ny);
  if (r === 0) return 1;
  // Gradient length of the implicit function r(x, y) gives the distance scale at this point.
  const g = Math.sqrt((nx / rx) ** 2 + (ny / ry) ** 2) / r;
  const distance = (1 - r) / g;
  return distance >= 0.5 ? 1 : distance <= -0.5 ? 0 : distance + 0.5;
}
