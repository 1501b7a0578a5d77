/**
 * Push-pull hole filling (Gortler et al.): average known pixels down a pyramid, then pull the coarse
 * averages back up into the unknown pixels. Fills any shape of hole smoothly from its surroundings.
 * `rgb` is planar float (3 planes of w*h), `weight` 0..1 per pixel. Returns filled planes.
 */
export function pushPull(rgb: Float32Array[], weight: Float32Array, w: number, h: number): Float32Array[] {
  const premultiplied = rgb.map((p) => {
    const out = new Float32Array(p.length);
    for (let i = 0; i < p.length; i++) out[i] = p[i] * weight[i];
    return out;
  });
  const levels: Level[] = [{ w, h, c: premultiplied, wt: weight }];
  while (levels[levels.length - 1].w > 1 || levels[levels.length - 1].h > 1) levels.push(push(levels[levels.length - 1]));
  // Pull: each level's unknown share comes from the (bilinearly upsampled) filled level above.
  const top = levels[levels.length - 1];
  let filled: Float32Array[] = top.c.map((p) => p.map((v) => (top.wt[0] > 0 ? v / top.wt[0] : 0)));
  for (let l = levels.length - 2; l >= 0; l--) filled = pull(levels[l], levels[l + 1], filled);
  return filled;
}

type Level = { w: number; h: number; c: Float32Array[]; wt: Float32Array };

/** One level down: 2×2 sums, colours kept premultiplied by a weight capped at 1 (a cell fully covered is "known"). */
function push(prev: Level): Level {
  const lw = Math.max(1, Math.ceil(prev.w / 2));
  const lh = Math.max(1, Math.ceil(prev.h / 2));
  const c = [new Float32Array(lw * lh), new Float32Array(lw * lh), new Float32Array(lw * lh)];
  const wt = new Float32Array(lw * lh);
  for (let y = 0; y < prev.h; y++)
    sumPairsRow(prev.c[0], prev.c[1], prev.c[2], prev.wt, y * prev.w, prev.w, c[0], c[1], c[2], wt, (y >> 1) * lw);
  capWeights(c[0], c[1], c[2], wt);
  return { w: lw, h: lh, c, wt };
}

function sumPairsRow(
  p0: Float32Array,
  p1: Float32Array,
  p2: Float32Array,
  pwt: Float32Array,
  i0: number,
  w: number,
  c0: Float32Array,
  c1: Float32Array,
  c2: Float32Array,
  wt: Float32Array,
  o0: number,
): void {
  // Per cell its one or two pixels of this row, summed in registers (same float32 roundings, same order).
  for (let x = 0, i = i0, o = o0; x < w; x += 2, i += 2, o++) {
    let sw = Math.fround(wt[o] + pwt[i]);
    let s0 = Math.fround(c0[o] + p0[i]);
    let s1 = Math.fround(c1[o] + p1[i]);
    let s2 = Math.fround(c2[o] + p2[i]);
    if (x + 1 < w) {
      sw = Math.fround(sw + pwt[i + 1]);
      s0 = Math.fround(s0 + p0[i + 1]);
      s1 = Math.fround(s1 + p1[i + 1]);
      s2 = Math.fround(s2 + p2[i + 1]);
    }
    wt[o] = sw;
    c0[o] = s0;
    c1[o] = s1;
    c2[o] = s2;
  }
}

function capWeights(c0: Float32Array, c1: Float32Array, c2: Float32Array, wt: Float32Array): void {
  for (let o = 0; o < wt.length; o++) {
    if (wt[o] > 1) {
      const s = 1 / wt[o];
      c0[o] *= s;
      c1[o] *= s;
      c2[o] *= s;
      wt[o] = 1;
    }
  }
}

/** One level up: known colour (premultiplied by its weight ≤ 1) plus the missing share from the coarse level. */
function pull(L: Level, up: Level, filled: Float32Array[]): Float32Array[] {
  const out = [new Float32Array(L.w * L.h), new Float32Array(L.w * L.h), new Float32Array(L.w * L.h)];
  const x0s = new Int32Array(L.w);
  const x1s = new Int32Array(L.w);
  const fxs = new Float64Array(L.w);
  for (let x = 0; x < L.w; x++) {
    let sx = (x + 0.5) / 2 - 0.5;
    if (sx < 0) sx = 0;
    if (sx > up.w - 1) sx = up.w - 1;
    const x0 = sx | 0;
    x0s[x] = x0;
    x1s[x] = Math.min(up.w - 1, x0 + 1);
    fxs[x] = sx - x0;
  }
  for (let ch = 0; ch < 3; ch++) {
    for (let y = 0; y < L.h; y++) {
      let sy = (y + 0.5) / 2 - 0.5;
      if (sy < 0) sy = 0;
      if (sy > up.h - 1) sy = up.h - 1;
      const y0 = sy | 0;
      const r1 = Math.min(up.h - 1, y0 + 1) * up.w;
      pullRow(filled[ch], y0 * up.w, r1, sy - y0, x0s, x1s, fxs, L.c[ch], L.wt, out[ch], y * L.w, L.w);
    }
  }
  return out;
}

function pullRow(
  f: Float32Array,
  r0: number,
  r1: number,
  fy: number,
  x0s: Int32Array,
  x1s: Int32Array,
  fxs: Float64Array,
  known: Float32Array,
  wt: Float32Array,
  dst: Float32Array,
  i0: number,
  w: number,
): void {
  for (let x = 0, i = i0; x < w; x++, i++) {
    const x0 = x0s[x];
    const x1 = x1s[x];
    const fx = fxs[x];
    const a = f[r0 + x0] + (f[r0 + x1] - f[r0 + x0]) * fx;
    const b = f[r1 + x0] + (f[r1 + x1] - f[r1 + x0]) * fx;
    dst[i] = known[i] + (a + (b - a) * fy) * (1 - wt[i]);
  }
}
