import sharp from 'sharp';
import { accumulateTile, axisWeights, extractTile, featherFor, planAxis, toBytes } from './tiling.js';
import type { UpscaleModel } from './upscale-model.js';

export interface TileOptions {
  /** Largest tile side, input pixels (a fixed-size model uses its own size). */
  tile: number;
  /** Input pixels neighbouring tiles share. */
  overlap: number;
  /** Called before every tile: throws to stop (an interrupted run). */
  check?: () => void;
}

/** One RGB frame through the network, tile by tile, feathered together: (width*scale) x (height*scale) RGB bytes. */
export async function upscaleFrame(
  model: UpscaleModel,
  frame: Uint8Array,
  width: number,
  height: number,
  o: TileOptions,
): Promise<Uint8Array> {
  return toBytes(await upscaleFrameFloat(model, frame, width, height, o));
}

/** The same before rounding: RGB floats on 0-255 (what the tiled-equals-untiled check compares). */
export async function upscaleFrameFloat(
  model: UpscaleModel,
  frame: Uint8Array,
  width: number,
  height: number,
  o: TileOptions,
): Promise<Float32Array> {
  const s = model.scale;
  const fixed = model.info.fixed;
  const px = planAxis(width, fixed?.width ?? o.tile, o.overlap, Boolean(fixed));
  const py = planAxis(height, fixed?.height ?? o.tile, o.overlap, Boolean(fixed));
  const feather = featherFor(o.overlap);
  const wx = px.starts.map((_, i) => axisWeights(px, i, s, feather));
  const wy = py.starts.map((_, i) => axisWeights(py, i, s, feather));
  const W = width * s;
  const H = height * s;
  const acc = new Float32Array(W * H * 3);
  const tile = new Float32Array(px.length * py.length * 3);
  for (let yi = 0; yi < py.starts.length; yi++) {
    for (let xi = 0; xi < px.starts.length; xi++) {
      o.check?.();
      extractTile(frame, width, height, px.starts[xi], py.starts[yi], px.length, py.length, tile);
      const out = await model.run(tile, px.length, py.length);
      accumulateTile(acc, W, H, out, px.length * s, py.length * s, px.starts[xi] * s, py.starts[yi] * s, wx[xi], wy[yi]);
    }
  }
  return acc;
}

/** Tiles per frame for these settings (progress and logs). */
export function tilesPerFrame(model: UpscaleModel, width: number, height: number, o: Pick<TileOptions, 'tile' | 'overlap'>): number {
  const fixed = model.info.fixed;
  return (
    planAxis(width, fixed?.width ?? o.tile, o.overlap, Boolean(fixed)).starts.length *
    planAxis(height, fixed?.height ?? o.tile, o.overlap, Boolean(fixed)).starts.length
  );
}

/** RGB bytes resized with Lanczos (sharp): the whole job for `lanczos`, and the last step when the model's scale is not the factor. */
export async function lanczos(frame: Uint8Array, width: number, height: number, outWidth: number, outHeight: number): Promise<Uint8Array> {
  if (width === outWidth && height === outHeight) return frame;
  const out = await sharp(frame, { raw: { width, height, channels: 3 } })
    .resize(outWidth, outHeight, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
