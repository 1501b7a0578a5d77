import type { ParallaxScene } from '../scene.js';

/** A refinement, as previews see it (DetailRefiner). */
export interface RefinedDetail {
  /**
   * What draws the preview background: `base` (RGB, xs.length × ys.length) with, at each pixel, the mean detail
   * of the 2×2 canvas pixels from (xs[x], ys[y]); and which preview pixels take any.
   */
  previewer(xs: Int32Array, ys: Int32Array, base: Uint8Array): { draw: () => Uint8Array; pixels: Int32Array };
}

/**
 * The scene shrunk once to progress-preview size, so each denoise step renders its preview frame from a small
 * scene (about a millisecond to set up) instead of packing the whole full-resolution canvas again.
 * Every preview pixel averages the 2×2 full-resolution pixels at its centre: what a small frame rendered
 * straight from the full canvas samples (bilinear at the centre), here done once. Field cells (depth, masks,
 * detail) are averaged in blocks to keep about the same size in preview pixels, so camera and ambient
 * motion see the same scene. The refined detail is averaged the same way at every step (by the refinement).
 */
export class PreviewScene {
  private constructor(
    readonly scene: ParallaxScene,
    /** The preview background with the detail refined so far (a view, valid until the next call). */
    readonly background: () => Uint8Array,
  ) {}

  /** `detail`: the refinement whose progress the previews show. */
  static create(s: ParallaxScene, width: number, height: number, detail: RefinedDetail): PreviewScene {
    const steps = PreviewScene.steps(s, width, height, detail);
    let r = steps.next();
    while (!r.done) r = steps.next();
    return r.value;
  }

  /** The same scene, built a step at a time with `turn` awaited between steps (each tens of ms at 720p under load). */
  static async createInTurns(
    s: ParallaxScene,
    width: number,
    height: number,
    detail: RefinedDetail,
    turn: () => Promise<void>,
  ): Promise<PreviewScene> {
    const steps = PreviewScene.steps(s, width, height, detail);
    let r = steps.next();
    while (!r.done) {
      await turn();
      r = steps.next();
    }
    return r.value;
  }

  private static *steps(s: ParallaxScene, width: number, height: number, detail: RefinedDetail): Generator<void, PreviewScene> {
    const f = height / s.height;
    const pad = Math.round(s.pad * f);
    const pw = s.width + 2 * s.pad;
    const ph = s.height + 2 * s.pad;
    const vw = width + 2 * pad;
    const vh = height + 2 * pad;
    const rgb = shrink(s.rgb, s.width, s.height, 3, width, height);
    const matte = shrink(s.matte, s.width, s.height, 1, width, height);
    yield;
    const background = shrink(s.background, pw, ph, 3, vw, vh);
    yield;
    const xs = taps(pw, vw);
    const ys = taps(ph, vh);
    const refined = detail.previewer(xs, ys, background);
    yield;
    // 255 where the preview pixel shows synthesized background.
    const unknown = new Uint8Array(vw * vh);
    for (const i of refined.pixels) unknown[i] = 255;
    // Field cells merged m×m, so a cell stays about as many preview pixels wide as it was full-size pixels.
    const m = Math.max(1, Math.round(1 / f));
    const qw = Math.ceil(s.qw / m);
    const qh = Math.ceil(s.qh / m);
    const N = s.qw * s.qh;
    const planes = s.masks.length / N;
    const masks = new Float32Array(planes * qw * qh);
    for (let k = 0; k < planes; k++) masks.set(blockMean(s.masks.subarray(k * N, (k + 1) * N), s.qw, s.qh, m), k * qw * qh);
    const sx = width / s.width;
    const [x0, y0, x1, y1] = s.subjectBox;
    const scene: ParallaxScene = {
      ...s,
      width,
      height,
      pad,
      q: s.q * m * f,
      qw,
      qh,
      rgb,
      matte,
      foreground: undefined,
      background,
      unknown,
      depth: blockMean(s.depth, s.qw, s.qh, m),
      masks,
      detail: blockMean(s.detail, s.qw, s.qh, m),
      ...(s.still ? { still: blockMean(s.still, s.qw, s.qh, m) } : {}),
      ...(s.brush ? { brush: planesMean(s.brush, s.qw, s.qh, m, qw * qh) } : {}),
      subjectBox: [Math.floor(x0 * sx), Math.floor(y0 * f), Math.min(width, Math.ceil(x1 * sx)), Math.min(height, Math.ceil(y1 * f))],
      ...(s.faces ? { faces: s.faces.map(([a, b, c, d]) => [a * sx, b * f, c * sx, d * f] as [number, number, number, number]) } : {}),
    };
    return new PreviewScene(scene, refined.draw);
  }
}

/** For each of n output columns (or rows), the first of the two source ones around its centre. */
function taps(size: number, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.min(size - 2, Math.max(0, Math.floor(((i + 0.5) * size) / n - 0.5)));
  return out;
}

/** Resizes an image (w×h, `channels` bytes per pixel) to tw×th: each pixel the mean of the 2×2 source pixels at its centre. */
function shrink(src: Uint8Array, w: number, h: number, channels: 1 | 3, tw: number, th: number): Uint8Array {
  if (w === tw && h === th) return src;
  const xs = taps(w, tw);
  const ys = taps(h, th);
  const out = new Uint8Array(tw * th * channels);
  const stride = w * channels;
  for (let y = 0, j = 0; y < th; y++) {
    const row = ys[y] * stride;
    for (let x = 0; x < tw; x++) {
      const i = row + xs[x] * channels;
      for (let c = 0; c < channels; c++, j++) {
        out[j] = (src[i + c] + src[i + channels + c] + src[i + stride + c] + src[i + stride + channels + c] + 2) >> 2;
      }
    }
  }
  return out;
}

/** Means of m×m blocks of a w×h field (partial blocks at the edges average what they have). */
function blockMean(src: Float32Array, w: number, h: number, m: number): Float32Array {
  if (m === 1) return src;
  const bw = Math.ceil(w / m);
  const bh = Math.ceil(h / m);
  const out = new Float32Array(bw * bh);
  const sums = new Float64Array(bw);
  for (let by = 0; by < bh; by++) {
    sums.fill(0);
    const y0 = by * m;
    const y1 = Math.min(h, y0 + m);
    for (let y = y0; y < y1; y++) {
      for (let bx = 0, o = y * w; bx < bw; bx++) {
        const end = Math.min(o + m, (y + 1) * w);
        let sum = 0;
        for (; o < end; o++) sum += src[o];
        sums[bx] += sum;
      }
    }
    for (let bx = 0; bx < bw; bx++) out[by * bw + bx] = sums[bx] / ((y1 - y0) * (Math.min(w, bx * m + m) - bx * m));
  }
  return out;
}

/** blockMean over each plane of a stack of fields. */
function planesMean(src: Float32Array, w: number, h: number, m: number, n: number): Float32Array {
  const planes = src.length / (w * h);
  const out = new Float32Array(planes * n);
  for (let k = 0; k < planes; k++) out.set(blockMean(src.subarray(k * w * h, (k + 1) * w * h), w, h, m), k * n);
  return out;
}
