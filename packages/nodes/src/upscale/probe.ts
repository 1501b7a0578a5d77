import type * as ort from 'onnxruntime-node';
import type { UpscaleModelInfo } from './upscale-model.js';

type Probed = Pick<UpscaleModelInfo, 'scale' | 'layout' | 'range' | 'context' | 'fixed'>;

/** Largest context measured for a dropped-in model (a deeper network still blends well at this margin). */
const MAX_CONTEXT = 32;

/**
 * What an ONNX file in models/upscale/ is, measured once when it is loaded: one float image in, one out;
 * the layout from the channel axis; the scale from the output of a probe picture; the value range by
 * which scale (0-1 or 0-255) gives back a picture like the probe; the context by comparing a tile with a
 * crop of it. Anything else is an error that says why the file is not an image upscaler.
 */
export async function probeUpscaler(name: string, session: ort.InferenceSession, Tensor: typeof ort.Tensor): Promise<Probed> {
  const not = (why: string) => new Error(`${name} is not an image upscaler: ${why}`);
  if (session.inputNames.length !== 1 || session.outputNames.length !== 1) {
    throw not(
      `it has ${session.inputNames.length} inputs (${session.inputNames.join(', ')}) and ${session.outputNames.length} outputs; an upscaler takes one image and returns one`,
    );
  }
  const meta = session.inputMetadata[0];
  if (!meta.isTensor || meta.type !== 'float32' || meta.shape.length !== 4) {
    const shape = meta.isTensor ? `${meta.type} [${meta.shape.join(', ')}]` : 'not a tensor';
    throw not(`its input "${session.inputNames[0]}" is ${shape}, not a float32 image [1, 3, H, W] or [1, H, W, 3]`);
  }
  const s = meta.shape;
  const layout = s[1] === 3 ? 'nchw' : s[3] === 3 ? 'nhwc' : undefined;
  if (!layout) throw not(`its input "${session.inputNames[0]}" has shape [${s.join(', ')}]: no axis of 3 colour channels`);
  const [hDim, wDim] = layout === 'nchw' ? [s[2], s[3]] : [s[1], s[2]];
  const fixed = typeof hDim === 'number' && typeof wDim === 'number' && hDim > 0 && wDim > 0 ? { width: wDim, height: hDim } : undefined;
  const size = fixed ?? { width: 32, height: 32 };

  const run = async (picture: Float32Array, w: number, h: number, range: number) => {
    const n = w * h;
    const input = new Float32Array(n * 3);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < 3; c++) input[layout === 'nhwc' ? i * 3 + c : c * n + i] = (picture[i * 3 + c] * range) / 255;
    const dims = layout === 'nhwc' ? [1, h, w, 3] : [1, 3, h, w];
    let out: ort.Tensor;
    try {
      out = (await session.run({ [session.inputNames[0]]: new Tensor('float32', input, dims) }))[session.outputNames[0]];
    } catch (error) {
      throw not(`it fails on a ${w}x${h} RGB picture (${(error as Error).message.split('\n')[0]})`);
    }
    return out;
  };

  const first = await run(pattern(size.width, size.height), size.width, size.height, 1);
  const d = first.dims;
  const [oc, oh, ow] = layout === 'nchw' ? [d[1], d[2], d[3]] : [d[3], d[1], d[2]];
  if (d.length !== 4 || oc !== 3 || first.type !== 'float32')
    throw not(`for a ${size.width}x${size.height} picture it returns ${first.type} [${d.join(', ')}], not an RGB image`);
  const scale = oh / size.height;
  if (!Number.isInteger(scale) || ow / size.width !== scale)
    throw not(`a ${size.width}x${size.height} picture comes out ${ow}x${oh}, not a whole multiple of its size`);
  if (scale < 2) throw not(`a ${size.width}x${size.height} picture comes out the same size (it does not enlarge)`);

  // The range: which input scale reconstructs a test chart better from its downscaled copy (box filter).
  // Both are tried. A ReLU network with small biases is nearly scale-free and reconstructs about as well
  // either way (its picture barely changes); within 5 % the common 0-1 is taken.
  const lr = chart(size.width, size.height, 4 * scale);
  const hr = chart(size.width * scale, size.height * scale, 4);
  const error = async (range: 1 | 255) =>
    reconstructionError(await run(lr, size.width, size.height, range), hr, size, scale, layout, range);
  const errors = { 1: await error(1), 255: await error(255) };
  const range = errors[255] < errors[1] * 0.95 ? 255 : 1;
  if (errors[range] > 30)
    throw not(
      `its output does not resemble its input on the 0-1 or the 0-255 scale (mean difference ${errors[range].toFixed(0)} of 255 on a test chart)`,
    );

  const context = fixed ? 16 : await measureContext(async (pic, w, h) => run(pic, w, h, range), layout, scale, range);
  return { scale, layout, range, context, fixed };
}

/** A smooth picture any super-resolution network reproduces closely (0-255, HWC). */
export function pattern(w: number, h: number): Float32Array {
  const out = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++)
        out[(y * w + x) * 3 + c] = 128 + 70 * Math.sin((2 * Math.PI * x) / 29 + c) * Math.cos((2 * Math.PI * y) / 37) + (x - w / 2) * 0.5;
    }
  }
  return out;
}

/**
 * A test chart (0-255, HWC): a disc, diagonal stripes and a step edge in three colours, each pixel the
 * average of ss x ss samples, so chart(w, h, 4s) is chart(ws, hs, 4) box-filtered down by s.
 */
export function chart(w: number, h: number, ss: number): Float32Array {
  const out = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const acc = [0, 0, 0];
      for (let j = 0; j < ss; j++) {
        for (let i = 0; i < ss; i++) {
          const u = (x + (i + 0.5) / ss) / w;
          const v = (y + (j + 0.5) / ss) / h;
          const disc = Math.hypot(u - 0.35, v - 0.4) < 0.22 ? 1 : 0;
          const stripes = Math.sin(2 * Math.PI * (u * 7 + v * 3)) > 0 ? 1 : 0;
          const step = u + 0.3 * v > 0.75 ? 1 : 0;
          acc[0] += 40 + 150 * disc + 50 * stripes;
          acc[1] += 60 + 120 * step + 40 * disc;
          acc[2] += 50 + 100 * stripes * (1 - disc) + 60 * step;
        }
      }
      for (let c = 0; c < 3; c++) out[(y * w + x) * 3 + c] = acc[c] / (ss * ss);
    }
  }
  return out;
}

/** Mean absolute difference (0-255) of the output from the full-size chart, away from the edges (zero padding). */
function reconstructionError(
  out: ort.Tensor,
  hr: Float32Array,
  size: { width: number; height: number },
  s: number,
  layout: 'nhwc' | 'nchw',
  range: number,
): number {
  const data = out.data as Float32Array;
  const W = size.width * s;
  const H = size.height * s;
  const bx = Math.min(6, Math.floor(size.width / 4)) * s;
  const by = Math.min(6, Math.floor(size.height / 4)) * s;
  let sum = 0;
  let count = 0;
  for (let y = by; y < H - by; y++) {
    for (let x = bx; x < W - bx; x++) {
      for (let c = 0; c < 3; c++) {
        const p = y * W + x;
        const got = (data[layout === 'nhwc' ? p * 3 + c : c * W * H + p] * 255) / range;
        sum += Number.isFinite(got) ? Math.min(255, Math.abs(got - hr[p * 3 + c])) : 255;
        count++;
      }
    }
  }
  return sum / count;
}

/** Input pixels from a cut edge within which the output still differs by 1e-3 or more (0-255 scale), up to MAX_CONTEXT. */
async function measureContext(
  run: (pic: Float32Array, w: number, h: number) => Promise<ort.Tensor>,
  layout: 'nhwc' | 'nchw',
  s: number,
  range: number,
): Promise<number> {
  const n = MAX_CONTEXT + 16;
  const h = 16;
  const full = pattern(n + 16, h);
  const cut = new Float32Array(n * h * 3);
  for (let y = 0; y < h; y++) cut.set(full.subarray((y * (n + 16) + 16) * 3, (y * (n + 16) + n + 16) * 3), y * n * 3);
  const [a, b] = [await run(full, n + 16, h), await run(cut, n, h)];
  const at = (t: ort.Tensor, w: number, x: number, y: number, c: number) => {
    const W = w * s;
    const p = y * W + x;
    return (t.data as Float32Array)[layout === 'nhwc' ? p * 3 + c : c * W * h * s + p];
  };
  let context = 0;
  for (let d = 0; d < n; d++) {
    let m = 0;
    // Rows away from the top and bottom edges, which both runs cut alike.
    for (let y = (h / 4) * s; y < (3 * h * s) / 4; y++)
      for (let i = 0; i < s; i++)
        for (let c = 0; c < 3; c++) {
          m = Math.max(m, Math.abs(at(a, n + 16, (d + 16) * s + i, y, c) - at(b, n, d * s + i, y, c)) * (255 / range));
        }
    if (m >= 1e-3) context = d + 1;
  }
  return Math.min(context, MAX_CONTEXT);
}
