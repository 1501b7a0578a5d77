import os from 'node:os';
import path from 'node:path';
import { defineNode, input, output, p, UserError, type NodeContext } from '@kinegraph/graph-core';
import { IMAGE, UPSCALE_MODEL, VIDEO } from '../sockets.js';
import { PathsToken } from '../services.js';
import { ImageValue } from '../values/image.js';
import { VideoValue, type VideoSource } from '../values/video.js';
import { FrameFileWriter } from './frame-file.js';
import { overlapForContext } from './tiling.js';
import { lanczos, tilesPerFrame, upscaleFrame, type TileOptions } from './upscale-frame.js';
import { UpscaleModel } from './upscale-model.js';
import { upscalePreview } from './upscale-preview.js';
import { upscaledSize } from './upscale-video.js';

const FACTORS = ['1.5', '2', '3', '4'] as const;
/** Largest result: 8K UHD. */
const MAX_PIXELS = 7680 * 4320;
/** Frames read ahead of the one being upscaled: the source decodes while the network runs, memory stays a few frames. */
const READ_AHEAD = 4;
/** At most one preview this often (ms): a JPEG per frame of a fast model would flood the socket. */
const PREVIEW_EVERY_MS = 500;

export const Upscale = defineNode({
  type: 'Upscale',
  category: 'upscale',
  title: 'Upscale',
  description:
    "Enlarges an IMAGE or a VIDEO with a super-resolution network (Load Upscale Model) or with Lanczos filtering. The network runs tile by tile; neighbouring tiles overlap and are feathered together, so the result equals an untiled run. Frames stream through a few at a time and the upscaled clip is kept on disk, so memory stays bounded for any length and later nodes never upscale again. When the factor is not the model's own scale, its output is resized to the factor with Lanczos.",
  version: 1,
  inputs: {
    image: input(IMAGE, { optional: true, description: 'Connect an image or a video' }),
    video: input(VIDEO, { optional: true }),
    upscale_model: input(UPSCALE_MODEL, { optional: true, description: 'Needed for method "model"' }),
  },
  outputs: {
    image: output(IMAGE, { description: 'When an image came in (else null)' }),
    video: output(VIDEO, { description: 'When a video came in (else null)' }),
  },
  params: {
    method: p.choice(['model', 'lanczos'], { default: 'model', label: 'Method' }),
    factor: p.choice(FACTORS, { default: '2', label: 'Factor' }),
    tile: p.int({
      default: 384,
      min: 32,
      max: 2048,
      step: 32,
      label: 'Tile size',
      description: 'Largest tile side in input pixels (memory per tile grows with its square)',
      advanced: true,
    }),
    overlap: p.int({
      default: -1,
      min: -1,
      max: 256,
      label: 'Overlap',
      description: "Input pixels neighbouring tiles share; -1: enough for the model's context, so tiled equals untiled",
      advanced: true,
    }),
  },
  cache: 'pure',
  async execute(ctx, inputs, params) {
    const { image, video } = inputs;
    if (image !== undefined && video !== undefined) throw new UserError('Connect an image or a video, not both', 'video');
    if (image === undefined && video === undefined) throw new UserError('Connect an image or a video to upscale', 'image');
    const factor = Number(params.factor);
    const src: ImageValue | VideoValue = image ?? video!;
    const isVideo = src instanceof VideoValue;
    const out = isVideo
      ? upscaledSize(src.width, src.height, factor)
      : { width: Math.round(src.width * factor), height: Math.round(src.height * factor) };
    if (out.width * out.height > MAX_PIXELS) {
      throw new UserError(
        `${src.width}x${src.height} upscaled ${params.factor}x is ${out.width}x${out.height}, larger than 8K (7680x4320)`,
        'factor',
      );
    }

    if (params.method === 'lanczos') {
      if (inputs.upscale_model !== undefined) ctx.warn('Method is lanczos: the upscale model is not used', 'method');
      if (src instanceof ImageValue)
        return {
          image: new ImageValue(out.width, out.height, await lanczos(src.data, src.width, src.height, out.width, out.height)),
          video: null,
        };
      return { image: null, video: new VideoValue(lanczosSource(src, out.width, out.height)) };
    }

    const model = inputs.upscale_model;
    if (model === undefined)
      throw new UserError('Method "model" needs an upscale model: connect Load Upscale Model, or choose lanczos', 'upscale_model');
    const overlap = params.overlap < 0 ? overlapForContext(model.info.context) : params.overlap;
    const tile = model.info.fixed ? Math.min(model.info.fixed.width, model.info.fixed.height) : params.tile;
    if (overlap >= tile / 2)
      throw new UserError(
        `Overlap ${overlap} must be under half the tile size (${tile}); raise the tile size or lower the overlap`,
        params.overlap < 0 ? 'tile' : 'overlap',
      );
    if (model.scale < factor)
      ctx.warn(
        `${model.info.id} enlarges ${model.scale}x; the rest of the ${params.factor}x is Lanczos. A ${Math.ceil(factor)}x model gives more detail`,
        'factor',
      );
    const options: TileOptions = { tile, overlap, check: () => ctx.throwIfAborted() };
    const job = { ctx, model, options, out };
    // The engine wants every declared output: the one that does not apply is null.
    if (src instanceof ImageValue) return { image: await upscaleImage(job, src), video: null };
    return { image: null, video: await upscaleVideo(job, src) };
  },
});

interface Job {
  ctx: NodeContext;
  model: UpscaleModel;
  options: TileOptions;
  out: { width: number; height: number };
}

/** One frame: the network, then Lanczos to the requested size when the model's scale is not the factor. */
async function upscaleOne(job: Job, rgb: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const s = job.model.scale;
  const hr = await upscaleFrame(job.model, rgb, width, height, job.options);
  return lanczos(hr, width * s, height * s, job.out.width, job.out.height);
}

async function upscaleImage(job: Job, img: ImageValue): Promise<ImageValue> {
  const tiles = tilesPerFrame(job.model, img.width, img.height, job.options);
  let done = 0;
  // Progress per tile (ctx.progress also stops an interrupted run between tiles).
  const options = { ...job.options, check: () => job.ctx.progress(done++, tiles) };
  const data = await upscaleOne({ ...job, options }, img.data, img.width, img.height);
  const result = new ImageValue(job.out.width, job.out.height, data);
  job.ctx.progress(tiles, tiles, await upscalePreview(data, result.width, result.height));
  return result;
}

/** Every frame in order, a few read ahead, each written to the frame file as soon as it is done. */
async function upscaleVideo(job: Job, video: VideoValue): Promise<VideoValue> {
  const { ctx } = job;
  const n = video.frameCount;
  const paths = ctx.services.has(PathsToken) ? ctx.services.get(PathsToken) : undefined;
  const writer = await FrameFileWriter.create(path.join(paths?.tempDir ?? os.tmpdir(), 'upscaled'), job.out.width, job.out.height);
  const t0 = performance.now();
  try {
    const ahead: Promise<Uint8Array>[] = [];
    const request = (i: number) => {
      const p = video.frameAt(i);
      p.catch(() => undefined); // awaited in order below; never an unhandled rejection meanwhile
      ahead.push(p);
    };
    for (let i = 0; i < Math.min(n, READ_AHEAD); i++) request(i);
    ctx.progress(0, n);
    let lastPreview = -Infinity;
    for (let i = 0; i < n; i++) {
      const frame = await ahead.shift()!;
      if (i + READ_AHEAD < n) request(i + READ_AHEAD);
      const up = await upscaleOne(job, frame, video.width, video.height);
      await writer.append(up);
      const now = performance.now();
      const preview =
        now - lastPreview >= PREVIEW_EVERY_MS || i === n - 1 ? await upscalePreview(up, job.out.width, job.out.height) : undefined;
      if (preview) lastPreview = now;
      ctx.progress(i + 1, n, preview);
    }
  } catch (error) {
    await writer.discard();
    throw error;
  }
  const seconds = (performance.now() - t0) / 1000;
  ctx.log.info(`upscale: ${n} frames ${video.width}x${video.height} -> ${job.out.width}x${job.out.height} with ${job.model.info.id}`, {
    seconds: Math.round(seconds * 10) / 10,
    fps: Math.round((n / seconds) * 100) / 100,
    provider: job.model.provider,
  });
  return writer.finish(video.fps);
}

/** Lanczos is cheap: frames are scaled when a later node reads them, as UpscaleVideo does. */
function lanczosSource(src: VideoValue, width: number, height: number): VideoSource {
  return {
    width,
    height,
    fps: src.fps,
    frameCount: src.frameCount,
    frameAt: async (i) => lanczos(await src.frameAt(i), src.width, src.height, width, height),
    byteSize: () => src.byteSize(),
  };
}
