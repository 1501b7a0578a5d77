/** Luma plane of an RGB frame. */
export function luma(rgb: Uint8Array, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let i = 0; i < out.length; i++) out[i] = 0.299 * rgb[i * 3] + 0.587 * rgb[i * 3 + 1] + 0.114 * rgb[i * 3 + 2];
  return out;
}

export type Rect = [x0: number, y0: number, x1: number, y1: number];

/**
 * How far the content of `rect` in frame A moved in frame B: the integer shift (within ±range) with the
 * least mean absolute difference, refined to sub-pixel by a parabola through the neighbours.
 */
export function regionShift(a: Float32Array, b: Float32Array, w: number, h: number, rect: Rect, range = 24): { dx: number; dy: number } {
  const cost = (dx: number, dy: number) => {
    let s = 0;
    let n = 0;
    for (let y = rect[1]; y < rect[3]; y += 1) {
      const yb = y + dy;
      if (yb < 0 || yb >= h) continue;
      for (let x = rect[0]; x < rect[2]; x += 1) {
        const xb = x + dx;
        if (xb < 0 || xb >= w) continue;
        s += Math.abs(a[y * w + x] - b[yb * w + xb]);
        n++;
      }
    }
    return n ? s / n : Infinity;
  };
  let best = { dx: 0, dy: 0, c: Infinity };
  for (let dy = -range; dy <= range; dy++) {
    for (let dx = -range; dx <= range; dx++) {
      const c = cost(dx, dy);
      if (c < best.c) best = { dx, dy, c };
    }
  }
  const sub = (cm: number, c0: number, cp: number) => {
    const den = cm - 2 * c0 + cp;
    return den > 1e-9 ? (0.5 * (cm - cp)) / den : 0;
  };
  return {
    dx: best.dx + sub(cost(best.dx - 1, best.dy), best.c, cost(best.dx + 1, best.dy)),
    dy: best.dy + sub(cost(best.dx, best.dy - 1), best.c, cost(best.dx, best.dy + 1)),
  };
}

export function psnr(a: Uint8Array, b: Uint8Array): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i] - b[i]) ** 2;
  const mse = se / a.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}
