import sharp from 'sharp';
import type { Sized, Summarizable } from '@kinegraph/graph-core';

/**
 * MASK: one float per pixel at image size, 0 = outside, 1 = inside (values between are soft edges).
 * Float rather than bytes so feathering, combining and thresholding never lose precision on the way
 * (ComfyUI's masks are float too). Values are kept in [0, 1]; constructors clamp NaN to 0.
 */
export class MaskValue implements Sized, Summarizable {
  readonly kind = 'mask' as const;
  constructor(
    readonly width: number,
    readonly height: number,
    /** width*height values, row-major. */
    readonly data: Float32Array,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new Error(`MASK needs a positive integer size, got ${width}x${height}`);
    }
    if (data.length !== width * height) throw new Error(`MASK ${width}x${height} needs ${width * height} values, got ${data.length}`);
  }

  /** A mask filled with one value. */
  static filled(width: number, height: number, value: number): MaskValue {
    return new MaskValue(width, height, new Float32Array(width * height).fill(clamp01(value)));
  }

  /** From any float array: every value clamped to [0, 1] (NaN becomes 0) into a new array. */
  static fromValues(width: number, height: number, values: ArrayLike<number>): MaskValue {
    const data = new Float32Array(width * height);
    if (values.length !== data.length) throw new Error(`MASK ${width}x${height} needs ${data.length} values, got ${values.length}`);
    for (let i = 0; i < data.length; i++) data[i] = clamp01(values[i]);
    return new MaskValue(width, height, data);
  }

  byteSize(): number {
    return this.data.byteLength;
  }

  /** Share of the area inside the mask (mean value). */
  coverage(): number {
    let s = 0;
    for (let i = 0; i < this.data.length; i++) s += this.data[i];
    return s / this.data.length;
  }

  summary(): string {
    return `MASK ${this.width}x${this.height}, ${(this.coverage() * 100).toFixed(1)}% covered`;
  }

  /** 8-bit grey values, round-to-nearest (what previews and PNG files hold). */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.data.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.round(clamp01(this.data[i]) * 255);
    return out;
  }
}

export function clamp01(v: number): number {
  return v > 0 ? (v < 1 ? v : 1) : 0; // NaN fails both tests and becomes 0
}

/**
 * A grey PNG of the mask (white = inside), scaled so its longer side is at most `maxSide` (0: full size).
 * Deterministic bytes: fixed compression settings, no metadata.
 */
export async function maskPreviewPng(mask: MaskValue, maxSide = 0): Promise<{ png: Buffer; width: number; height: number }> {
  const scale = maxSide > 0 ? Math.min(1, maxSide / Math.max(mask.width, mask.height)) : 1;
  const width = Math.max(1, Math.round(mask.width * scale));
  const height = Math.max(1, Math.round(mask.height * scale));
  let img = sharp(mask.toBytes(), { raw: { width: mask.width, height: mask.height, channels: 1 } });
  if (width !== mask.width || height !== mask.height) img = img.resize(width, height, { kernel: 'lanczos3', fit: 'fill' });
  const png = await img.toColourspace('b-w').png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
  return { png, width, height };
}
