/**
 * Push-pull hole filling (Gortler et al.): average known pixels down a pyramid, then pull the coarse
 * averages back up into the unknown pixels. Fills any shape of hole smoothly from its surroundings.
 * `rgb` is planar float (3 planes of w*h), `weight` 0..1 per pixel. Returns filled planes.
 */
export function pushPull(rgb: Float32Array[], weight: Float32Array, w: number, h: number): Float32Array[] {
  type Level = { w: number; h: number; c: Float32Array[]; wt: Float32Array };
  const levels: Level[] = [{ w, h, c: rgb.map((p) => p.map((v, i) => v * weight[i])), wt: weight }];
  while (levels[levels.length - 1].w > 1 || levels[levels.length - 1].h > 1) {
    const prev = levels[levels.length - 1];
    const lw = Math.max(1, Math.ceil(prev.w / 2));
    const lh = Math.max(1, Math.ceil(prev.h / 2));
    const c = [new Float32Array(lw * lh), new Float32Array(lw * lh), new Float32Array(lw * lh)];
    const wt = new Float32Array(lw * lh);
    for (let y = 0; y < prev.h; y++) {
      const oy = (y >> 1) * lw;
      for (let x = 0; x < prev.w; x++) {
        const i = y * prev.w + x;
        const o = oy + (x >> 1);
        wt[o] += prev.wt[i];
        c[0][o] += prev.c[0][i];
        c[1][o] += prev.c[1][i];
        c[2][o] += prev.c[2][i];
      }
    }
    // Keep colours premultiplied by a weight capped at 1: a cell fully covered is "known".
    for (let o = 0; o < wt.length; o++) {
      if (wt[o] > 1) {
        const s = 1 / wt[o];
        c[0][o] *= s;
        c[1][o] *= s;
        c[2][o] *= s;
        wt[o] = 1;
      }
    }
    levels.push({ w: lw, h: lh, c, wt });
  }
  // Pull: each level's unknown share comes from the (bilinearly upsampled) filled level above.
  const top = levels[levels.length - 1];
  let filled = top.c.map((p) => p.map((v) => (top.wt[0] > 0 ? v / top.wt[0] : 0)));
  for (let l = levels.length - 2; l >= 0; l--) {
    const L = levels[l];
    const up = levels[l + 1];
    const out = [new Float32Array(L.w * L.h), new Float32Array(L.w * L.h), new Float32Array(L.w * L.h)];
    for (let y = 0; y < L.h; y++) {
      let sy = (y + 0.5) / 2 - 0.5;
      if (sy < 0) sy = 0;
      if (sy > up.h - 1) sy = up.h - 1;
      const y0 = sy | 0;
      const y1 = Math.min(up.h - 1, y0 + 1);
      const fy = sy - y0;
      for (let x = 0; x < L.w; x++) {
        let sx = (x + 0.5) / 2 - 0.5;
        if (sx < 0) sx = 0;
        if (sx > up.w - 1) sx = up.w - 1;
        const x0 = sx | 0;
        const x1 = Math.min(up.w - 1, x0 + 1);
        const fx = sx - x0;
        const i = y * L.w + x;
        const wk = L.wt[i];
        for (let ch = 0; ch < 3; ch++) {
          const f = filled[ch];
          const a = f[y0 * up.w + x0] + (f[y0 * up.w + x1] - f[y0 * up.w + x0]) * fx;
          const b = f[y1 * up.w + x0] + (f[y1 * up.w + x1] - f[y1 * up.w + x0]) * fx;
          const coarse = a + (b - a) * fy;
          // Known colour is premultiplied by wk (≤ 1): add the missing share from the coarse level.
          out[ch][i] = L.c[ch][i] + coarse * (1 - wk);
        }
      }
    }
    filled = out;
  }
  return filled;
}
