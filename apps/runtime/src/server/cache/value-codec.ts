import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { AudioValue, ConditioningValue, DepthValue, FacesValue, ImageValue, LatentValue, MaskValue, VideoValue, videoFromFrames } from '@kinegraph/nodes';
import { decodeSafetensors, encodeSafetensors, type TensorData } from './safetensors.js';

/**
 * How one output value is kept on disk. Values of any other kind (model handles, cameras with their sampling
 * function, videos whose frames are rendered on demand) are not stored: the result is then skipped.
 */
export type StoredValue =
  | { codec: 'json'; value: unknown }
  | { codec: 'latent'; file: string; bytes: number }
  | { codec: 'conditioning'; file: string; bytes: number }
  | { codec: 'image'; file: string; bytes: number; width: number; height: number }
  | { codec: 'audio'; file: string; bytes: number }
  | { codec: 'video'; file: string; bytes: number }
  | { codec: 'mask'; file: string; bytes: number }
  | { codec: 'depth'; file: string; bytes: number }
  | { codec: 'faces'; value: unknown };

/** Returns undefined when the value can not be stored (the whole result is then skipped). */
export async function encodeValue(value: unknown, dir: string, name: string): Promise<StoredValue | undefined> {
  if (isJsonValue(value, 0)) return { codec: 'json', value };
  if (value instanceof LatentValue) {
    const file = `${name}.safetensors`;
    const bytes = await writeSafetensors(path.join(dir, file), value.tensors, {
      kinegraph: 'latent',
      family: value.family,
      meta: JSON.stringify(value.meta),
    });
    return { codec: 'latent', file, bytes };
  }
  if (value instanceof ConditioningValue) {
    const file = `${name}.safetensors`;
    const bytes = await writeSafetensors(path.join(dir, file), value.tensors, {
      kinegraph: 'conditioning',
      family: value.family,
      text: value.text,
      parsed: JSON.stringify(value.parsed),
    });
    return { codec: 'conditioning', file, bytes };
  }
  if (value instanceof ImageValue) {
    const file = `${name}.png`;
    // Lossless and quick: a cache file is read back by us, so speed beats size.
    const info = await sharp(Buffer.from(value.data.buffer, value.data.byteOffset, value.data.byteLength), {
      raw: { width: value.width, height: value.height, channels: 3 },
    })
      .png({ compressionLevel: 1, adaptiveFiltering: false })
      .toFile(path.join(dir, file));
    return { codec: 'image', file, bytes: info.size, width: value.width, height: value.height };
  }
  if (value instanceof AudioValue) {
    const file = `${name}.safetensors`;
    const samples = { dtype: 'float32' as const, shape: [value.samples.length], data: value.samples };
    const bytes = await writeSafetensors(path.join(dir, file), { samples }, {
      kinegraph: 'audio',
      sample_rate: String(value.sampleRate),
      channels: String(value.channels),
    });
    return { codec: 'audio', file, bytes };
  }
  if (value instanceof MaskValue) {
    // float32 as it is: a PNG would round soft edges to 8 bits.
    const file = `${name}.safetensors`;
    const mask = { dtype: 'float32' as const, shape: [value.height, value.width], data: value.data };
    const bytes = await writeSafetensors(path.join(dir, file), { mask }, { kinegraph: 'mask' });
    return { codec: 'mask', file, bytes };
  }
  if (value instanceof DepthValue) {
    // float32 as it is, like a MASK; the estimator's name rides in the metadata.
    const file = `${name}.safetensors`;
    const depth = { dtype: 'float32' as const, shape: [value.height, value.width], data: value.data };
    const bytes = await writeSafetensors(path.join(dir, file), { depth }, { kinegraph: 'depth', model: value.model });
    return { codec: 'depth', file, bytes };
  }
  // A few boxes and landmarks: kept inside the entry itself, no file.
  if (value instanceof FacesValue) return { codec: 'faces', value: value.toJSON() };
  if (value instanceof VideoValue) {
    // Only decoded frames held in memory: a video rendered on demand would be rendered whole just to be cached.
    const frameBytes = value.width * value.height * 3;
    if (value.byteSize() < frameBytes * value.frameCount) return undefined;
    const frames = new Uint8Array(frameBytes * value.frameCount);
    for (let i = 0; i < value.frameCount; i++) frames.set(await value.frameAt(i), i * frameBytes);
    const file = `${name}.safetensors`;
    const tensor = { dtype: 'uint8' as const, shape: [value.frameCount, value.height, value.width, 3], data: frames };
    const bytes = await writeSafetensors(path.join(dir, file), { frames: tensor }, { kinegraph: 'video', fps: String(value.fps) });
    return { codec: 'video', file, bytes };
  }
  return undefined;
}

export async function decodeValue(stored: StoredValue, dir: string): Promise<unknown> {
  switch (stored.codec) {
    case 'json':
      return stored.value;
    case 'latent': {
      const { tensors, metadata } = decodeSafetensors(await readFile(path.join(dir, stored.file)));
      return new LatentValue(metadata.family ?? 'unknown', tensors, JSON.parse(metadata.meta ?? '{}'));
    }
    case 'conditioning': {
      const { tensors, metadata } = decodeSafetensors(await readFile(path.join(dir, stored.file)));
      return new ConditioningValue(metadata.family ?? 'unknown', metadata.text ?? '', JSON.parse(metadata.parsed ?? '{}'), tensors);
    }
    case 'audio': {
      const { tensors, metadata } = decodeSafetensors(await readFile(path.join(dir, stored.file)));
      const samples = tensors.samples;
      if (samples?.dtype !== 'float32') throw new Error('cached audio has no float32 samples');
      return new AudioValue(Number(metadata.sample_rate), Number(metadata.channels), samples.data as Float32Array);
    }
    case 'video': {
      const { tensors, metadata } = decodeSafetensors(await readFile(path.join(dir, stored.file)));
      const t = tensors.frames;
      if (t?.dtype !== 'uint8' || t.shape.length !== 4) throw new Error('cached video has no frames');
      const [n, h, w] = t.shape as [number, number, number];
      const data = t.data as Uint8Array;
      const frames = Array.from({ length: n }, (_, i) => data.subarray(i * w * h * 3, (i + 1) * w * h * 3));
      return videoFromFrames(w, h, Number(metadata.fps), frames);
    }
    case 'mask': {
      const { tensors } = decodeSafetensors(await readFile(path.join(dir, stored.file)));
      const t = tensors.mask;
      if (t?.dtype !== 'float32' || t.shape.length !== 2) throw new Error('cached mask has no float32 [height, width] tensor');
      const [h, w] = t.shape as [number, number];
      return new MaskValue(w, h, t.data as Float32Array);
    }
    case 'depth': {
      const { tensors, metadata } = decodeSafetensors(await readFile(path.join(dir, stored.file)));
      const t = tensors.depth;
      if (t?.dtype !== 'float32' || t.shape.length !== 2) throw new Error('cached depth has no float32 [height, width] tensor');
      const [h, w] = t.shape as [number, number];
      return new DepthValue(w, h, t.data as Float32Array, metadata.model ?? 'unknown');
    }
    case 'faces':
      return FacesValue.fromJSON(stored.value);
    case 'image': {
      const { data, info } = await sharp(path.join(dir, stored.file)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      if (info.width !== stored.width || info.height !== stored.height || info.channels !== 3) throw new Error('cached image does not match its entry');
      return new ImageValue(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
  }
}

function isJsonValue(v: unknown, depth: number): boolean {
  if (depth > 32) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.length <= 100_000 && v.every((x) => isJsonValue(x, depth + 1));
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.values(v as Record<string, unknown>).every((x) => isJsonValue(x, depth + 1));
  }
  return false;
}

async function writeSafetensors(file: string, tensors: Record<string, TensorData>, metadata: Record<string, string>): Promise<number> {
  const parts = encodeSafetensors(tensors, metadata);
  // Streamed chunk by chunk: a 100 MB latent is never copied into one more buffer.
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(file);
    out.on('error', reject);
    out.on('finish', resolve);
    out.write(parts.head);
    for (const c of parts.chunks) out.write(c);
    out.end();
  });
  return parts.byteLength;
}
