import { createRng } from '../rng.js';
import { cbOf, crOf, lumaOf } from './yuv.js';

/** The colour of a drop or flake, and the same in BT.709 YCbCr. */
const INK = [235, 240, 248] as const;
const INK_Y = lumaOf(...INK);
const INK_U = cbOf(...INK);
const INK_V = crOf(...INK);

/** Falling rain streaks or snowflakes drawn over a frame; positions are a pure function of seed and time. */
export class Particles {
  private readonly xs: Float32Array;
  private readonly ys: Float32Array;
  private readonly size: Float32Array;
  private readonly speed: Float32Array;
  private readonly phase: Float32Array;

  constructor(
    readonly kind: 'rain' | 'snow',
    readonly amount: number,
    readonly dir: [number, number],
    seed: number,
  ) {
    const n = Math.round((kind === 'rain' ? 900 : 700) * Math.min(1.5, amount) * 2);
    const rnd = createRng(seed, kind);
    this.xs = Float32Array.from({ length: n }, () => rnd());
    this.ys = Float32Array.from({ length: n }, () => rnd());
    this.size = Float32Array.from({ length: n }, () => 0.3 + rnd() * 0.7);
    this.speed = Float32Array.from({ length: n }, () => 0.7 + rnd() * 0.6);
    this.phase = Float32Array.from({ length: n }, () => rnd() * Math.PI * 2);
  }

  /** Draws onto RGB bytes. */
  draw(rgb: Uint8Array, w: number, h: number, t: number): void {
    this.forEachDot(w, h, t, (cx, cy, r, a) => dotRgb(rgb, w, h, cx, cy, r, a));
  }

  /** Draws onto an I420 frame (luma per pixel, chroma per 2×2 block). */
  drawI420(yuv: Uint8Array, w: number, h: number, t: number): void {
    this.forEachDot(w, h, t, (cx, cy, r, a) => dotI420(yuv, w, h, cx, cy, r, a));
  }

  /** Every dot of the frame at time t: centre, radius, opacity. */
  private forEachDot(w: number, h: number, t: number, dot: (cx: number, cy: number, r: number, a: number) => void): void {
    // Fade in over the first half second: frame 0 stays the photo.
    const fade = Math.min(1, t / 0.5);
    if (fade <= 0) return;
    const S = h / 720;
    for (let i = 0; i < this.xs.length; i++) {
      const near = this.size[i];
      if (this.kind === 'snow') {
        const v = (40 + 80 * near) * this.speed[i] * S;
        const x = (this.xs[i] * w + this.dir[0] * v * t + Math.sin(t * 1.3 + this.phase[i]) * 6 * S) % w;
        const y = (this.ys[i] * h + v * t) % h;
        dot(x < 0 ? x + w : x, y, (0.8 + 2.2 * near) * S, 0.85 * fade);
      } else {
        const v = (700 + 900 * near) * this.speed[i] * S;
        const x0 = (((this.xs[i] * w + this.dir[0] * v * t * 0.15) % w) + w) % w;
        const y0 = (this.ys[i] * h + v * t) % h;
        const len = (10 + 18 * near) * S;
        for (let k = 0; k < len; k++) dot(x0 + this.dir[0] * 0.15 * k, y0 + k, 0.6 * S, 0.22 * fade * near);
      }
    }
  }
}

/** Opacity of a soft round dot of radius r centred at (cx, cy), at pixel centre (x, y). */
function coverage(x: number, y: number, cx: number, cy: number, r: number, a: number): number {
  const d = Math.hypot(x - cx, y - cy) / (r + 0.5);
  return d >= 1 ? 0 : a * (1 - d * d);
}

/** Calls `paint(x, y, k)` for every pixel of a w×h frame the dot covers, with its opacity k there. */
function forEachCovered(
  w: number,
  h: number,
  cx: number,
  cy: number,
  r: number,
  a: number,
  paint: (x: number, y: number, k: number) => void,
): void {
  const y1 = Math.min(h - 1, Math.ceil(cy + r));
  const x1 = Math.min(w - 1, Math.ceil(cx + r));
  for (let y = Math.max(0, Math.floor(cy - r)); y <= y1; y++) {
    for (let x = Math.max(0, Math.floor(cx - r)); x <= x1; x++) {
      const k = coverage(x, y, cx, cy, r, a);
      if (k !== 0) paint(x, y, k);
    }
  }
}

function dotRgb(rgb: Uint8Array, w: number, h: number, cx: number, cy: number, r: number, a: number): void {
  forEachCovered(w, h, cx, cy, r, a, (x, y, k) => {
    const i = (y * w + x) * 3;
    rgb[i] += (INK[0] - rgb[i]) * k;
    rgb[i + 1] += (INK[1] - rgb[i + 1]) * k;
    rgb[i + 2] += (INK[2] - rgb[i + 2]) * k;
  });
}

function dotI420(yuv: Uint8Array, w: number, h: number, cx: number, cy: number, r: number, a: number): void {
  forEachCovered(w, h, cx, cy, r, a, (x, y, k) => (yuv[y * w + x] += (INK_Y - yuv[y * w + x]) * k));
  // Chroma: each 2×2 block the dot touches, with the dot's coverage at the block's centre.
  const x0 = Math.max(0, Math.floor(cx - r));
  const x1 = Math.min(w - 1, Math.ceil(cx + r));
  const y0 = Math.max(0, Math.floor(cy - r));
  const y1 = Math.min(h - 1, Math.ceil(cy + r));
  const cw = w >> 1;
  const u = w * h;
  const v = u + cw * (h >> 1);
  for (let by = y0 >> 1; by <= y1 >> 1; by++) {
    for (let bx = x0 >> 1; bx <= x1 >> 1; bx++) {
      const k = coverage(2 * bx + 0.5, 2 * by + 0.5, cx, cy, r, a);
      if (k === 0) continue;
      const c = by * cw + bx;
      yuv[u + c] += (INK_U - yuv[u + c]) * k;
      yuv[v + c] += (INK_V - yuv[v + c]) * k;
    }
  }
}
