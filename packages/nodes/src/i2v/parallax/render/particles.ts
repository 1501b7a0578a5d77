import { createRng } from '../rng.js';

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

  draw(rgb: Uint8Array, w: number, h: number, t: number): void {
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
        this.dot(rgb, w, h, x < 0 ? x + w : x, y, (0.8 + 2.2 * near) * S, 0.85 * fade);
      } else {
        const v = (700 + 900 * near) * this.speed[i] * S;
        const x0 = (((this.xs[i] * w + this.dir[0] * v * t * 0.15) % w) + w) % w;
        const y0 = (this.ys[i] * h + v * t) % h;
        const len = (10 + 18 * near) * S;
        for (let k = 0; k < len; k++) this.dot(rgb, w, h, x0 + this.dir[0] * 0.15 * k, y0 + k, 0.6 * S, 0.22 * fade * near);
      }
    }
  }

  private dot(rgb: Uint8Array, w: number, h: number, cx: number, cy: number, r: number, a: number): void {
    const x0 = Math.max(0, Math.floor(cx - r));
    const x1 = Math.min(w - 1, Math.ceil(cx + r));
    const y0 = Math.max(0, Math.floor(cy - r));
    const y1 = Math.min(h - 1, Math.ceil(cy + r));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const d = Math.hypot(x - cx, y - cy) / (r + 0.5);
        if (d >= 1) continue;
        const k = a * (1 - d * d);
        const i = (y * w + x) * 3;
        rgb[i] += (235 - rgb[i]) * k;
        rgb[i + 1] += (240 - rgb[i + 1]) * k;
        rgb[i + 2] += (248 - rgb[i + 2]) * k;
      }
    }
  }
}
