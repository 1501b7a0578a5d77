import type * as ort from 'onnxruntime-node';
import type { ProviderName } from '../onnx/execution-provider.js';

/** What an upscaling network is, as far as tiling it goes (read from the graph or measured once). */
export interface UpscaleModelInfo {
  /** "slim-x2" for a built-in model, "upscale/<file>.onnx" for one from the models folder. */
  id: string;
  title: string;
  /** Output pixels per input pixel (an integer >= 2). */
  scale: number;
  /** The tensor layout of its input and output. */
  layout: 'nhwc' | 'nchw';
  /** The value range it reads and writes: 1 for 0-1, 255 for 0-255. */
  range: 1 | 255;
  /** Input pixels past a tile's edge that still change its output by 1e-3 or more (measured; sets the default overlap). */
  context: number;
  /** Input size when the network takes only one (fixed ONNX dims), else undefined. */
  fixed?: { width: number; height: number };
  /** Content hash of the source files (cache keys, history). */
  hash: string;
}

/**
 * UPSCALE_MODEL: an open ONNX session plus how to feed it. Tiles go in and out as HWC floats on the 0-255
 * scale; the layout and range conversions happen here. Small: the cache keys it by LoadUpscaleModel's
 * content key, never by its weights.
 */
export class UpscaleModel {
  readonly kind = 'upscale_model' as const;
  constructor(
    readonly info: UpscaleModelInfo,
    private readonly session: ort.InferenceSession,
    readonly provider: ProviderName,
    private readonly ort: typeof import('onnxruntime-node'),
  ) {}

  get scale(): number {
    return this.info.scale;
  }

  /** Runs one tile: `tile` is h x w x 3 on 0-255; the result is (h*scale) x (w*scale) x 3 on 0-255 (not clamped). */
  async run(tile: Float32Array, width: number, height: number): Promise<Float32Array> {
    const { layout, range, scale } = this.info;
    const k = range / 255;
    const n = width * height;
    // An NHWC 0-255 network (every built-in slim/medium) takes the tile as it is and gives back its own buffer.
    const same = layout === 'nhwc' && k === 1;
    let input = tile.subarray(0, n * 3);
    if (!same) {
      input = new Float32Array(n * 3);
      if (layout === 'nhwc') for (let i = 0; i < input.length; i++) input[i] = tile[i] * k;
      else for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) input[c * n + i] = tile[i * 3 + c] * k;
    }
    const dims = layout === 'nhwc' ? [1, height, width, 3] : [1, 3, height, width];
    const feeds = { [this.session.inputNames[0]]: new this.ort.Tensor('float32', input, dims) };
    const result = (await this.session.run(feeds))[this.session.outputNames[0]];
    const data = result.data as Float32Array;
    const on = width * scale * height * scale;
    if (data.length !== on * 3)
      throw new Error(`${this.info.id}: a ${width}x${height} tile gave [${result.dims}], expected ${width * scale}x${height * scale}x3`);
    if (same) return data;
    const out = new Float32Array(on * 3);
    if (layout === 'nhwc') for (let i = 0; i < out.length; i++) out[i] = data[i] / k;
    else for (let i = 0; i < on; i++) for (let c = 0; c < 3; c++) out[i * 3 + c] = data[c * on + i] / k;
    return out;
  }

  /** What events and logs show; the session must never be serialised. */
  summary(): string {
    return `UPSCALE_MODEL ${this.info.id} (${this.info.scale}x, ${this.provider})`;
  }
  toJSON() {
    return { kind: this.kind, id: this.info.id, hash: this.info.hash };
  }
  byteSize(): number {
    return 1024;
  }
}
