import type { Manifest } from './manifest.js';

/**
 * Video latents keep the denoiser's own axis order without the batch axis, so a step never transposes:
 * edm-video [F, C, h, w] (diffusers' UNetSpatioTemporal), flow-video [C, F, h, w] (Wan / LTX-Video).
 */
export type LatentLayout = 'FCHW' | 'CFHW';

export interface VideoLatentShape {
  layout: LatentLayout;
  frames: number;
  channels: number;
  height: number;
  width: number;
}

export function layoutOf(m: Manifest): LatentLayout {
  return m.family === 'edm-video' ? 'FCHW' : 'CFHW';
}

export function dimsOf(s: VideoLatentShape): number[] {
  return s.layout === 'FCHW' ? [s.frames, s.channels, s.height, s.width] : [s.channels, s.frames, s.height, s.width];
}

export function sizeOf(s: VideoLatentShape): number {
  return s.frames * s.channels * s.height * s.width;
}

export function shapeFromDims(layout: LatentLayout, dims: number[]): VideoLatentShape {
  const [a, b, height, width] = dims;
  return layout === 'FCHW' ? { layout, frames: a, channels: b, height, width } : { layout, frames: b, channels: a, height, width };
}

/** Offset of plane (frame f, channel c): planes of h*w values are contiguous in both layouts. */
export function planeOffset(s: VideoLatentShape, f: number, c: number): number {
  const plane = s.height * s.width;
  return (s.layout === 'FCHW' ? f * s.channels + c : c * s.frames + f) * plane;
}

/** Copies frame f ([C, h, w]) out of a video latent. */
export function readFrame(s: VideoLatentShape, data: Float32Array, f: number, out: Float32Array): void {
  const plane = s.height * s.width;
  for (let c = 0; c < s.channels; c++) out.set(data.subarray(planeOffset(s, f, c), planeOffset(s, f, c) + plane), c * plane);
}

/** Writes frame f from [C, h, w] values. */
export function writeFrame(s: VideoLatentShape, data: Float32Array, f: number, frame: Float32Array): void {
  const plane = s.height * s.width;
  for (let c = 0; c < s.channels; c++) data.set(frame.subarray(c * plane, (c + 1) * plane), planeOffset(s, f, c));
}

/** Latent frames for a pixel frame count (causal video VAEs: 1 + (frames - 1) / temporal compression). */
export function latentFrames(m: Manifest, frames: number): number {
  const t = m.latent.temporalCompression;
  return t === 1 ? frames : 1 + Math.round((frames - 1) / t);
}

export function pixelFrames(m: Manifest, latent: number): number {
  const t = m.latent.temporalCompression;
  return t === 1 ? latent : 1 + (latent - 1) * t;
}
