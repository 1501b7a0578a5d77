import sharp from 'sharp';
import type { ImageValue } from '../../values/image.js';
import { shrinkArea } from '../filter/area-resize.js';
import { applyCoefficients, guidedCoefficients } from '../person-matte/guided-filter.js';
import { MattingLaplacian } from './matting-laplacian.js';
import { resizeBilinear } from '../person-matte/resample.js';
import { solveAlpha, type SolveResult } from './solve-alpha.js';
import { BG, FG, UNKNOWN, type Trimap } from './trimap.js';

export interface ClosedFormOptions {
  /** Window radius of the matting Laplacian at the working resolution (1: Levin et al.'s 3x3). */
  radius: number;
  /** Regulariser ε (on [0, 1] colours): larger smooths alpha, smaller follows colour lines more tightly. */
  epsilon: number;
  /** Longest side alpha is solved at; larger photos are solved there and upsampled by a guided filter. */
  workSide: number;
  maxIterations: number;
  tolerance: number;
  /** Initial alpha in the unknown band at the photo's size (a rough mask's own values), else 0.5. */
  guess?: Float32Array;
  /** Weight of the guess as a soft data term in the unknown band (0: the guess only starts the solve). */
  guessWeight?: number;
  /** Coarse-to-fine levels below the working resolution (0: solve at the working size only). */
  levels: number;
  onIteration?: (iteration: number) => void;
}

export interface ClosedFormResult {
  alpha: Float32Array;
  workWidth: number;
  workHeight: number;
  unknown: number;
  iterations: number;
  residual: number;
}

/** Guided-filter upsampling of the solved alpha: radius 1 at the working size, ε small so alpha's own edges stay. */
const UPSAMPLE_RADIUS = 1;
const UPSAMPLE_EPS = 1e-4;

/**
 * Coarse to fine: the problem halved (colours 2x2-averaged, a pixel unknown when any of its four is, or
 * when its known ones disagree) is solved first and its alpha, upsampled bilinearly, starts the finer
 * solve. Conjugate gradients remove the fine error quickly and the coarse one slowly; the coarse level
 * removes exactly that one at a quarter of the cost per iteration.
 */
function solvePyramid(
  rgb: Float64Array,
  w: number,
  h: number,
  unknown: Uint8Array,
  start: Float64Array,
  o: ClosedFormOptions,
  levels: number,
  prior?: Float64Array,
): SolveResult {
  if (levels > 0 && Math.min(w, h) >= 2 * MIN_LEVEL_SIDE) {
    const cw = w >> 1,
      ch = h >> 1;
    const cprior = prior ? new Float64Array(cw * ch) : undefined;
    const crgb = new Float64Array(cw * ch * 3),
      cunknown = new Uint8Array(cw * ch),
      cstart = new Float64Array(cw * ch);
    for (let y = 0; y < ch; y++)
      for (let x = 0; x < cw; x++) {
        const c = y * cw + x;
        const taps = [2 * y * w + 2 * x, 2 * y * w + 2 * x + 1, (2 * y + 1) * w + 2 * x, (2 * y + 1) * w + 2 * x + 1];
        let anyUnknown = 0,
          sum = 0;
        for (const t of taps) {
          anyUnknown |= unknown[t];
          sum += start[t];
          if (cprior && prior) cprior[c] += prior[t] / 4;
          for (let k = 0; k < 3; k++) crgb[c * 3 + k] += rgb[t * 3 + k] / 4;
        }
        const mean = sum / 4;
        cunknown[c] = anyUnknown || (mean > 0 && mean < 1) ? 1 : 0;
        cstart[c] = mean;
      }
    const coarse = solvePyramid(crgb, cw, ch, cunknown, cstart, o, levels - 1, cprior);
    const up = resizeBilinear(Float32Array.from(coarse.alpha), cw, ch, w, h);
    start = Float64Array.from(start);
    for (let i = 0; i < start.length; i++) if (unknown[i]) start[i] = Math.min(1, Math.max(0, up[i]));
  }
  const L = new MattingLaplacian(rgb, w, h, o.radius, o.epsilon);
  const weight = o.guessWeight ?? 0;
  return solveAlpha(L, unknown, start, { ...o, prior: prior && weight > 0 ? { values: prior, weight } : undefined });
}

function unknownBox(unknown: Uint8Array, w: number, h: number, margin: number): { x: number; y: number; w: number; h: number } {
  let x0 = w,
    y0 = h,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (!unknown[y * w + x]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  x0 = Math.max(0, x0 - margin);
  y0 = Math.max(0, y0 - margin);
  x1 = Math.min(w - 1, x1 + margin);
  y1 = Math.min(h - 1, y1 + margin);
  return { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/** Coarse levels stop at this shorter side. */
const MIN_LEVEL_SIDE = 48;

/**
 * Closed-form matting (Levin et al. 2008) of the unknown region of a trimap at a working resolution, then
 * upsampled to the photo by a colour guided filter (its coefficients fitted to the solved alpha and
 * applied at full resolution, so hair-width detail of the photo comes back) and the trimap's known
 * regions set exactly. Deterministic: fixed iteration order, float64.
 */
export async function closedFormMatte(image: ImageValue, trimap: Trimap, o: ClosedFormOptions): Promise<ClosedFormResult> {
  const { width, height } = image;
  const scale = Math.min(1, o.workSide / Math.max(width, height));
  const ww = Math.max(1, Math.round(width * scale)),
    wh = Math.max(1, Math.round(height * scale));
  const full = ww === width && wh === height;
  const guide = full
    ? image.data
    : new Uint8Array(
        await sharp(image.data, { raw: { width, height, channels: 3 } })
          .resize(ww, wh, { fit: 'fill', kernel: 'cubic' })
          .raw()
          .toBuffer(),
      );
  const n = ww * wh;
  const rgb = new Float64Array(n * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = guide[i] / 255;
  // The working trimap: a pixel is known only when every photo pixel it covers is known alike.
  const unknown = new Uint8Array(n);
  const start = new Float64Array(n);
  const guess = o.guess && !full ? shrinkArea(o.guess, width, height, ww, wh) : o.guess;
  if (full) {
    for (let i = 0; i < n; i++) {
      unknown[i] = trimap[i] === UNKNOWN ? 1 : 0;
      start[i] = trimap[i] === FG ? 1 : trimap[i] === UNKNOWN ? (guess?.[i] ?? 0.5) : 0;
    }
  } else {
    const fg = new Float32Array(width * height),
      bg = new Float32Array(width * height);
    for (let i = 0; i < fg.length; i++) {
      fg[i] = trimap[i] === FG ? 1 : 0;
      bg[i] = trimap[i] === BG ? 1 : 0;
    }
    const fgShare = shrinkArea(fg, width, height, ww, wh),
      bgShare = shrinkArea(bg, width, height, ww, wh);
    for (let i = 0; i < n; i++) {
      if (fgShare[i] > 0.999) start[i] = 1;
      else if (bgShare[i] <= 0.999) {
        unknown[i] = 1;
        start[i] = guess?.[i] ?? 0.5;
      }
    }
  }
  let unknownCount = 0;
  for (const u of unknown) unknownCount += u;
  let solved: Float64Array = start,
    iterations = 0,
    residual = 0;
  if (unknownCount > 0) {
    // The guess as it stands in the band (known pixels are never read as a prior).
    const prior = guess ? Float64Array.from(start) : undefined;
    // Only the unknown region's bounding box, with the reach of every level's windows around it, takes
    // part: outside it alpha is known and no window there touches an unknown pixel.
    const box = unknownBox(unknown, ww, wh, 2 * o.radius * 2 ** o.levels + 2);
    const crop = <T extends Float64Array | Uint8Array>(src: T, channels: number): T => {
      const out = new (src.constructor as new (n: number) => T)(box.w * box.h * channels);
      for (let y = 0; y < box.h; y++) {
        const from = ((box.y + y) * ww + box.x) * channels;
        out.set(src.subarray(from, from + box.w * channels), y * box.w * channels);
      }
      return out;
    };
    const result = solvePyramid(crop(rgb, 3), box.w, box.h, crop(unknown, 1), crop(start, 1), o, o.levels, prior && crop(prior, 1));
    solved = Float64Array.from(start);
    for (let y = 0; y < box.h; y++) solved.set(result.alpha.subarray(y * box.w, (y + 1) * box.w), (box.y + y) * ww + box.x);
    iterations = result.iterations;
    residual = result.residual;
  }
  const workAlpha = new Float32Array(n);
  for (let i = 0; i < n; i++) workAlpha[i] = solved[i] > 0 ? (solved[i] < 1 ? solved[i] : 1) : 0;
  const alpha = full
    ? workAlpha
    : applyCoefficients(guidedCoefficients(guide, workAlpha, ww, wh, UPSAMPLE_RADIUS, UPSAMPLE_EPS), image.data, width, height);
  for (let i = 0; i < alpha.length; i++) {
    if (trimap[i] === FG) alpha[i] = 1;
    else if (trimap[i] === BG) alpha[i] = 0;
  }
  return { alpha, workWidth: ww, workHeight: wh, unknown: unknownCount, iterations, residual };
}
