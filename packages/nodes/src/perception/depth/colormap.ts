import sharp from 'sharp';
import type { DepthValue } from '../../values/depth.js';
import { shrinkArea } from '../filter/area-resize.js';

export type DepthColormap = 'turbo' | 'grey';

/**
 * Turbo (Mikhailov 2019) by its published polynomial fit: perceptually ordered from dark blue (far) to dark
 * red (near), so a preview reads as depth at a glance; grey is the plain value (white = near).
 */
function turbo(x: number): [number, number, number] {
  const r = 0.13572138 + x * (4.6153926 + x * (-42.66032258 + x * (132.13108234 + x * (-152.94239396 + x * 59.28637943))));
  const g = 0.09140261 + x * (2.19418839 + x * (4.84296658 + x * (-14.18503333 + x * (4.27729857 + x * 2.82956604))));
  const b = 0.1066733 + x * (12.64194608 + x * (-60.58204836 + x * (110.36276771 + x * (-89.90310912 + x * 27.34824973))));
  const c = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)));
  return [c(r), c(g), c(b)];
}

const LUTS: Record<DepthColormap, Uint8Array> = {
  turbo: Uint8Array.from({ length: 256 * 3 }, (_, i) => turbo(Math.floor(i / 3) / 255)[i % 3]),
  grey: Uint8Array.from({ length: 256 * 3 }, (_, i) => Math.floor(i / 3)),
};

/** RGB bytes of depth values through a colour map. */
export function depthToRgb(data: Float32Array, colormap: DepthColormap): Uint8Array {
  const lut = LUTS[colormap];
  const out = new Uint8Array(data.length * 3);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // round(255·v) for v in [0, 1]: + 0.5 then truncation (v is never negative here).
    const k = 3 * ((255 * (v > 0 ? (v < 1 ? v : 1) : 0) + 0.5) | 0);
    out[3 * i] = lut[k];
    out[3 * i + 1] = lut[k + 1];
    out[3 * i + 2] = lut[k + 2];
  }
  return out;
}

/**
 * A PNG of the depth, longer side at most `maxSide` (0: full size); deterministic bytes. A smaller preview
 * averages the depth down first and colours only the preview's pixels: a 720p depth is never turned into
 * full-size RGB just to be shrunk.
 */
export async function depthPreviewPng(
  depth: DepthValue,
  colormap: DepthColormap,
  maxSide = 0,
): Promise<{ png: Buffer; width: number; height: number }> {
  const scale = maxSide > 0 ? Math.min(1, maxSide / Math.max(depth.width, depth.height)) : 1;
  const width = Math.max(1, Math.round(depth.width * scale));
  const height = Math.max(1, Math.round(depth.height * scale));
  const data =
    width === depth.width && height === depth.height ? depth.data : shrinkArea(depth.data, depth.width, depth.height, width, height);
  const png = await sharp(depthToRgb(data, colormap), { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 6, adaptiveFiltering: false })
    .toBuffer();
  return { png, width, height };
}
