import { UserError, type NodeContext } from '@kinegraph/graph-core';
import type { EncodeImageOptions, ModelInfo, VaeHandle } from '../model/handles.js';
import type { ImageValue } from '../values/image.js';
import { LatentValue } from '../values/latent.js';
import { float32Tensor } from '../values/tensor.js';
import { VideoValue } from '../values/video.js';
import { layoutOf, pixelFrames, planeOffset, shapeFromDims, type VideoLatentShape } from './latent-layout.js';
import type { OnnxModel } from './onnx-model.js';
import { encodeSize, fromPlanar, resizeRgb, toPlanar } from './pixels.js';
import { dimsOf as tensorDims, floatTensor, readFloat } from './tensors.js';

/** EncodeImage / DecodeVideo for an ONNX model: the VAE (and, for edm-video, the image embedding encoder). */
export class OnnxVae implements VaeHandle {
  readonly kind = 'vae' as const;
  constructor(
    readonly info: ModelInfo,
    private readonly model: OnnxModel,
  ) {}

  /** What events and logs show; handles hold sessions and timers that must never be serialised. */
  summary(): string {
    return `VAE ${this.info.id} (${this.info.family})`;
  }
  toJSON() {
    return { kind: this.kind, id: this.info.id, hash: this.info.hash };
  }

  async encode(ctx: NodeContext, image: ImageValue, options: EncodeImageOptions): Promise<LatentValue> {
    const m = this.model.manifest;
    const multiple = Math.max(m.size.multiple, m.latent.spatialCompression);
    // A size outside the model's range is scaled (keeping its aspect) into it, rather than failing the run:
    // the default workflow asks for 720p, SVD tops out at 1024 a side.
    const longest = Math.max(options.width, options.height);
    const shortest = Math.min(options.width, options.height);
    const scale = longest > m.size.max ? m.size.max / longest : shortest < m.size.min ? m.size.min / shortest : 1;
    const wanted = { width: Math.round(options.width * scale), height: Math.round(options.height * scale) };
    const size = encodeSize(image, wanted.width, wanted.height, options.resizeMode, multiple);
    size.width = Math.min(size.width, Math.floor(m.size.max / multiple) * multiple);
    size.height = Math.min(size.height, Math.floor(m.size.max / multiple) * multiple);
    if (size.width < m.size.min || size.height < m.size.min) {
      throw new UserError(
        `${this.info.title} takes sizes from ${m.size.min} to ${m.size.max} pixels a side; got ${size.width}x${size.height}`,
        'width',
      );
    }
    if (size.width !== options.width || size.height !== options.height) {
      ctx.warn(
        `Size ${options.width}x${options.height} became ${size.width}x${size.height} (${this.info.title}: ${m.size.min} to ${m.size.max} pixels a side, multiples of ${multiple})`,
        'width',
      );
    }
    const rgb = await resizeRgb(image, size.width, size.height, options.resizeMode);
    const pixels = toPlanar(rgb, size.width, size.height, [2, 2, 2], [-1, -1, -1]);
    const edm = m.family === 'edm-video';
    const enc = m.components.vaeEncoder;
    const type = await this.model.floatType('vaeEncoder');
    const dims = edm ? [1, 3, size.height, size.width] : [1, 3, 1, size.height, size.width];
    ctx.throwIfAborted();
    const out = await this.model.run('vaeEncoder', { [enc.inputs.image]: floatTensor(type, pixels, dims) });
    const latentTensor = out[enc.outputs.latent];
    const raw = readFloat(latentTensor);
    const ld = tensorDims(latentTensor);
    const latent = new Float32Array(raw.length);
    const { scalingFactor, shiftFactor } = m.latent;
    for (let i = 0; i < raw.length; i++) latent[i] = (raw[i] - shiftFactor) * scalingFactor;
    // [1, C, h, w] is already FCHW with F = 1; [1, C, 1, h, w] drops its batch axis to CFHW.
    const samples = edm ? float32Tensor([1, ld[1], ld[2], ld[3]], latent) : float32Tensor([ld[1], 1, ld[3], ld[4]], latent);
    const tensors: LatentValue['tensors'] = { samples };
    if (edm && m.components.imageEncoder) tensors.image_embeds = await this.embedImage(ctx, image);
    return new LatentValue(m.family, tensors, {
      model: this.info.id,
      layout: layoutOf(m),
      width: size.width,
      height: size.height,
      kind: 'image',
    });
  }

  /** The CLIP-style image embedding edm-video models attend to. */
  private async embedImage(ctx: NodeContext, image: ImageValue) {
    const spec = this.model.manifest.components.imageEncoder!;
    const rgb = await resizeRgb(image, spec.size, spec.size, 'crop');
    const scale = spec.std.map((s) => 1 / s);
    const offset = spec.mean.map((mu, c) => -mu / spec.std[c]);
    const pixels = toPlanar(rgb, spec.size, spec.size, scale, offset);
    const type = await this.model.floatType('imageEncoder');
    ctx.throwIfAborted();
    const out = await this.model.run('imageEncoder', { [spec.inputs.image]: floatTensor(type, pixels, [1, 3, spec.size, spec.size]) });
    const embedding = out[spec.outputs.embedding];
    return float32Tensor(tensorDims(embedding), Float32Array.from(readFloat(embedding)));
  }

  async decode(ctx: NodeContext, latent: LatentValue): Promise<VideoValue> {
    const m = this.model.manifest;
    if (latent.family !== m.family)
      throw new UserError(`This LATENT comes from a ${latent.family} model; ${this.info.title} decodes ${m.family}`, 'latent');
    const samples = latent.tensors.samples;
    if (!samples || samples.dtype !== 'float32' || samples.shape.length !== 4)
      throw new UserError('The LATENT has no video samples to decode', 'latent');
    const shape = shapeFromDims(layoutOf(m), samples.shape);
    if (shape.channels !== m.latent.channels) {
      throw new UserError(`This LATENT has ${shape.channels} channels; ${this.info.title} decodes ${m.latent.channels}`, 'latent');
    }
    if (typeof latent.meta.model === 'string' && latent.meta.model !== this.info.id) {
      ctx.warn(`This LATENT was made with ${latent.meta.model}; decoding it with ${this.info.id}'s VAE`, 'latent');
    }
    const data = samples.data as Float32Array;
    const scale = m.latent.spatialCompression;
    const width = shape.width * scale;
    const height = shape.height * scale;
    const fps = typeof latent.meta.fps === 'number' ? latent.meta.fps : 8;
    const decoder = new ChunkedDecoder(this.model, shape, data, width, height);
    ctx.throwIfAborted();
    await this.model.component('vaeDecoder');
    return new VideoValue({
      width,
      height,
      fps,
      frameCount: decoder.frameCount,
      frameAt: (i) => decoder.frame(i),
      byteSize: () => data.byteLength,
    });
  }
}

/**
 * Decodes on demand, a time chunk at a time, so a long clip never holds all its frames. edm-video decoders
 * see frames as a batch: chunks overlap by `overlapFrames` and overlapping frames are blended linearly.
 * flow-video decoders are causal over time: each chunk after the first is decoded with the previous latent
 * frame in front (as its first frame) and that frame's output dropped.
 */
class ChunkedDecoder {
  readonly frameCount: number;
  private windows: Array<{ start: number; end: number }> = [];
  private cache = new Map<number, Uint8Array[]>();

  constructor(
    private readonly model: OnnxModel,
    private readonly shape: VideoLatentShape,
    private readonly data: Float32Array,
    private readonly width: number,
    private readonly height: number,
  ) {
    const spec = model.manifest.components.vaeDecoder;
    const chunk = Math.max(1, spec.chunkFrames);
    const edm = shape.layout === 'FCHW';
    const overlap = edm ? Math.min(spec.overlapFrames, chunk - 1) : 0;
    for (let start = 0; start < shape.frames; start += chunk - overlap) {
      this.windows.push({ start, end: Math.min(shape.frames, start + chunk) });
      if (start + chunk >= shape.frames) break;
    }
    this.frameCount = edm ? shape.frames : pixelFrames(model.manifest, shape.frames);
  }

  async frame(i: number): Promise<Uint8Array> {
    if (i < 0 || i >= this.frameCount) throw new RangeError(`frame ${i} of ${this.frameCount}`);
    if (this.shape.layout === 'CFHW') {
      const t = this.model.manifest.latent.temporalCompression;
      const latentFrame = i === 0 ? 0 : 1 + Math.floor((i - 1) / t);
      const w = this.windows.findIndex((x) => latentFrame >= x.start && latentFrame < x.end);
      const frames = await this.window(w);
      const first = this.windows[w].start === 0 ? 0 : 1 + (this.windows[w].start - 1) * t;
      return frames[i - first];
    }
    const covering = this.windows.map((w, index) => ({ ...w, index })).filter((w) => i >= w.start && i < w.end);
    if (covering.length === 1) return (await this.window(covering[0].index))[i - covering[0].start];
    // Blend overlapping windows: weight rises from the start of each window's overlap.
    const parts = await Promise.all(covering.map(async (w) => ({ w, frame: (await this.window(w.index))[i - w.start] })));
    const weights = parts.map(({ w }) => Math.min(i - w.start + 1, w.end - i));
    const total = weights.reduce((a, b) => a + b, 0);
    const out = new Uint8Array(parts[0].frame.length);
    for (let k = 0; k < out.length; k++) {
      let v = 0;
      parts.forEach((p, j) => (v += p.frame[k] * weights[j]));
      out[k] = Math.round(v / total);
    }
    return out;
  }

  private async window(index: number): Promise<Uint8Array[]> {
    const hit = this.cache.get(index);
    if (hit) return hit;
    const frames = await this.decodeWindow(this.windows[index]);
    this.cache.set(index, frames);
    // Keep the two most recent windows: frames are asked in order, overlaps need two.
    for (const key of this.cache.keys()) if (this.cache.size > 2 && key !== index) this.cache.delete(key);
    return frames;
  }

  private async decodeWindow({ start, end }: { start: number; end: number }): Promise<Uint8Array[]> {
    const m = this.model.manifest;
    const spec = m.components.vaeDecoder;
    const { height: h, width: w } = this.shape;
    const edm = this.shape.layout === 'FCHW';
    const from = edm || start === 0 ? start : start - 1;
    const n = end - from;
    const s = m.latent.spatialCompression;
    const H = h * s;
    const W = w * s;
    const plane = H * W;
    const skip = edm || start === 0 ? 0 : 1;
    const rows = tiles(h, spec.tileLatent, spec.tileOverlap);
    const cols = tiles(w, spec.tileLatent, spec.tileOverlap);
    // Channel c of frame f in the decoder's output: edm [n, 3, H, W], flow [1, 3, F, H, W].
    const at = (frames: number, f: number, c: number, tilePlane: number) => (edm ? f * 3 + c : c * frames + f) * tilePlane;

    if (rows.length === 1 && cols.length === 1) {
      const tile = await this.decodeTile(from, n, 0, h, 0, w);
      const out: Uint8Array[] = [];
      for (let f = skip; f < tile.frames; f++)
        out.push(fromPlanar(tile.pixels, W, H, at(tile.frames, f, 0, plane), edm ? plane : tile.frames * plane));
      return out;
    }

    // Tiles blend with linear ramps across their overlaps (on sides that touch another tile).
    const ramp = spec.tileOverlap * s;
    const weight = new Float32Array(plane);
    for (const [y0, th] of rows) {
      for (const [x0, tw] of cols) {
        const wy = rampWeights(th * s, y0 > 0 ? ramp : 0, y0 + th < h ? ramp : 0);
        const wx = rampWeights(tw * s, x0 > 0 ? ramp : 0, x0 + tw < w ? ramp : 0);
        for (let y = 0; y < th * s; y++) for (let x = 0; x < tw * s; x++) weight[(y0 * s + y) * W + x0 * s + x] += wy[y] * wx[x];
      }
    }
    let sum: Float32Array | undefined;
    let frameCount = 0;
    for (const [y0, th] of rows) {
      for (const [x0, tw] of cols) {
        const tile = await this.decodeTile(from, n, y0, th, x0, tw);
        frameCount = tile.frames;
        sum ??= new Float32Array(frameCount * 3 * plane);
        const tileH = th * s;
        const tileW = tw * s;
        const wy = rampWeights(tileH, y0 > 0 ? ramp : 0, y0 + th < h ? ramp : 0);
        const wx = rampWeights(tileW, x0 > 0 ? ramp : 0, x0 + tw < w ? ramp : 0);
        for (let f = skip; f < frameCount; f++) {
          for (let c = 0; c < 3; c++) {
            const src = at(frameCount, f, c, tileH * tileW);
            const dst = (f * 3 + c) * plane + y0 * s * W + x0 * s;
            for (let y = 0; y < tileH; y++) {
              const row = src + y * tileW;
              const out = dst + y * W;
              const ky = wy[y];
              for (let x = 0; x < tileW; x++) sum[out + x] += ky * wx[x] * tile.pixels[row + x];
            }
          }
        }
      }
    }
    const frames: Uint8Array[] = [];
    for (let f = skip; f < frameCount; f++) {
      const planar = sum!.subarray(f * 3 * plane, (f + 1) * 3 * plane);
      for (let c = 0; c < 3; c++) for (let p = 0; p < plane; p++) planar[c * plane + p] /= weight[p];
      frames.push(fromPlanar(planar, W, H));
    }
    return frames;
  }

  /** Decodes latent frames [from, from + n) of the tile rows y0..y0+th, columns x0..x0+tw. */
  private async decodeTile(from: number, n: number, y0: number, th: number, x0: number, tw: number) {
    const m = this.model.manifest;
    const spec = m.components.vaeDecoder;
    const type = await this.model.floatType('vaeDecoder');
    const { channels: C, width: w } = this.shape;
    const edm = this.shape.layout === 'FCHW';
    const input = new Float32Array(n * C * th * tw);
    const { scalingFactor, shiftFactor } = m.latent;
    for (let f = 0; f < n; f++) {
      for (let c = 0; c < C; c++) {
        const src = planeOffset(this.shape, from + f, c);
        // edm input [n, C, th, tw]; flow input [1, C, n, th, tw].
        const dst = (edm ? f * C + c : c * n + f) * th * tw;
        for (let y = 0; y < th; y++) {
          for (let x = 0; x < tw; x++) input[dst + y * tw + x] = this.data[src + (y0 + y) * w + x0 + x] / scalingFactor + shiftFactor;
        }
      }
    }
    const dims = edm ? [n, C, th, tw] : [1, C, n, th, tw];
    const out = await this.model.run('vaeDecoder', { [spec.inputs.latent]: floatTensor(type, input, dims) });
    const image = out[spec.outputs.image];
    const od = tensorDims(image);
    const s = m.latent.spatialCompression;
    if (od[od.length - 2] !== th * s || od[od.length - 1] !== tw * s) {
      throw new Error(
        `${spec.file} decoded a ${tw}x${th} latent tile to ${od[od.length - 1]}x${od[od.length - 2]}, expected ${tw * s}x${th * s}`,
      );
    }
    return { pixels: readFloat(image), frames: edm ? od[0] : od[2] };
  }
}

/** Tile [start, size] pairs covering `extent` latent pixels, tiles of `tile` overlapping by `overlap`. */
export function tiles(extent: number, tile: number, overlap: number): Array<[number, number]> {
  if (extent <= tile) return [[0, extent]];
  const stride = Math.max(1, tile - overlap);
  const out: Array<[number, number]> = [];
  for (let start = 0; ; start += stride) {
    if (start + tile >= extent) {
      out.push([extent - tile, tile]);
      break;
    }
    out.push([start, tile]);
  }
  return out;
}

/** Per-pixel weights along one tile side: rising over `head` pixels, falling over `tail`, 1 between. */
function rampWeights(size: number, head: number, tail: number): Float32Array {
  const wts = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const a = head > 0 ? Math.min(1, (i + 0.5) / head) : 1;
    const b = tail > 0 ? Math.min(1, (size - i - 0.5) / tail) : 1;
    wts[i] = Math.min(a, b);
  }
  return wts;
}
