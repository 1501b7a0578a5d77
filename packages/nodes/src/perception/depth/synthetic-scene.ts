import { ImageValue } from '../../values/image.js';

/**
 * A ray-cast room for depth tests, with its exact inverse depth: a corridor (floor, ceiling, two walls, an
 * end wall) with checkered, distance-shaded surfaces and a box standing on the floor in front. Camera at
 * the origin looking down +z, vertical field of view 60°.
 */
export function corridorScene(width: number, height: number): { image: ImageValue; inverseDepth: Float32Array } {
  const rgb = new Uint8Array(width * height * 3);
  const inv = new Float32Array(width * height);
  const f = height / 2 / Math.tan(Math.PI / 6);
  const box = { x0: -0.9, x1: 0.1, y0: -1, y1: -0.2, z0: 3, z1: 4 };
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      const u = (px + 0.5 - width / 2) / f;
      const v = (height / 2 - (py + 0.5)) / f;
      // Nearest surface along the ray (u, v, 1): z equals the ray parameter t.
      let t = 12;
      let colour: [number, number, number] = [150, 160, 175]; // end wall
      let a = u * t;
      let b = v * t;
      const hit = (tt: number, c: [number, number, number], pa: number, pb: number) => {
        if (tt > 0 && tt < t) {
          t = tt;
          colour = c;
          a = pa;
          b = pb;
        }
      };
      if (v < 0) hit(-1 / v, [150, 105, 60], u * (-1 / v), -1 / v); // floor, checkered in x and z
      if (v > 0) hit(1.2 / v, [225, 225, 215], u * (1.2 / v), 1.2 / v);
      if (u < 0) hit(-1.5 / u, [200, 185, 150], v * (-1.5 / u), -1.5 / u);
      if (u > 0) hit(1.5 / u, [185, 195, 160], v * (1.5 / u), 1.5 / u);
      const tb = rayBox(u, v, box);
      if (tb !== undefined) hit(tb, [190, 40, 35], u * tb * 4, v * tb * 4);
      const checker = (Math.floor(a * 2) + Math.floor(b * 2)) & 1 ? 0.8 : 1;
      const shade = checker / (1 + 0.06 * t); // light falls off down the corridor
      const i = py * width + px;
      for (let c = 0; c < 3; c++) rgb[3 * i + c] = Math.round(Math.min(255, colour[c] * shade));
      inv[i] = 1 / t;
    }
  }
  return { image: new ImageValue(width, height, rgb), inverseDepth: inv };
}

function rayBox(u: number, v: number, b: { x0: number; x1: number; y0: number; y1: number; z0: number; z1: number }): number | undefined {
  let lo = -Infinity;
  let hi = Infinity;
  for (const [d, p0, p1] of [
    [u, b.x0, b.x1],
    [v, b.y0, b.y1],
    [1, b.z0, b.z1],
  ] as const) {
    if (Math.abs(d) < 1e-12) {
      if (p0 > 0 || p1 < 0) return undefined;
      continue;
    }
    const ta = p0 / d;
    const tb = p1 / d;
    lo = Math.max(lo, Math.min(ta, tb));
    hi = Math.min(hi, Math.max(ta, tb));
  }
  return hi >= lo && lo > 0 ? lo : undefined;
}

/** Spearman rank correlation of two equally long samples (ties get their mean rank). */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = ra.length;
  const mean = (n - 1) / 2;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (ra[i] - mean) * (rb[i] - mean);
    saa += (ra[i] - mean) ** 2;
    sbb += (rb[i] - mean) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

function ranks(x: ArrayLike<number>): Float64Array {
  const idx = Array.from({ length: x.length }, (_, i) => i).sort((p, q) => x[p] - x[q]);
  const r = new Float64Array(x.length);
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && x[idx[j + 1]] === x[idx[i]]) j++;
    for (let k = i; k <= j; k++) r[idx[k]] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}

/** Every `step`-th pixel of a width x height map, on a grid. */
export function sampleGrid(data: Float32Array, width: number, height: number, step: number): number[] {
  const out: number[] = [];
  for (let y = Math.floor(step / 2); y < height; y += step)
    for (let x = Math.floor(step / 2); x < width; x += step) out.push(data[y * width + x]);
  return out;
}
