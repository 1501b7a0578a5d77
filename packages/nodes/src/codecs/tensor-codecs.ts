import { type CodecStore, type StoredValue, type ValueCodec } from '@kinegraph/graph-core';
import { AudioValue } from '../values/audio.js';
import { ConditioningValue, reportOrEmpty } from '../values/conditioning.js';
import { DepthValue } from '../values/depth.js';
import { LatentValue } from '../values/latent.js';
import { MaskValue } from '../values/mask.js';
import { videoFromFrames, type VideoValue } from '../values/video.js';

/** Values kept as one .safetensors file per output: their tensors as they are, the rest in its metadata. */
const file = (name: string) => `${name}.safetensors`;
const stored = async (codec: string, name: string, bytes: Promise<number>): Promise<StoredValue> => ({
  codec,
  file: file(name),
  bytes: await bytes,
});
const read = (s: StoredValue, store: CodecStore) => store.readTensors(String(s.file));

export const latentCodec: ValueCodec<LatentValue> = {
  id: 'latent',
  encode: (v, store, name) =>
    stored(
      'latent',
      name,
      store.writeTensors(file(name), v.tensors, { kinegraph: 'latent', family: v.family, meta: JSON.stringify(v.meta) }),
    ),
  async decode(s, store) {
    const { tensors, metadata } = await read(s, store);
    return new LatentValue(metadata.family ?? 'unknown', tensors, JSON.parse(metadata.meta ?? '{}'));
  },
};

export const conditioningCodec: ValueCodec<ConditioningValue> = {
  id: 'conditioning',
  encode: (v, store, name) =>
    stored(
      'conditioning',
      name,
      store.writeTensors(file(name), v.tensors, {
        kinegraph: 'conditioning',
        family: v.family,
        text: v.text,
        parsed: JSON.stringify(v.payload),
        report: JSON.stringify(v.report),
      }),
    ),
  async decode(s, store) {
    const { tensors, metadata } = await read(s, store);
    return new ConditioningValue(
      metadata.family ?? 'unknown',
      metadata.text ?? '',
      reportOrEmpty(JSON.parse(metadata.report ?? '{}')),
      JSON.parse(metadata.parsed ?? '{}'),
      tensors,
    );
  },
};

export const audioCodec: ValueCodec<AudioValue> = {
  id: 'audio',
  encode: (v, store, name) =>
    stored(
      'audio',
      name,
      store.writeTensors(
        file(name),
        { samples: { dtype: 'float32', shape: [v.samples.length], data: v.samples } },
        { kinegraph: 'audio', sample_rate: String(v.sampleRate), channels: String(v.channels) },
      ),
    ),
  async decode(s, store) {
    const { tensors, metadata } = await read(s, store);
    const samples = tensors.samples;
    if (samples?.dtype !== 'float32') throw new Error('cached audio has no float32 samples');
    return new AudioValue(Number(metadata.sample_rate), Number(metadata.channels), samples.data as Float32Array);
  },
};

/** float32 as it is: a PNG would round soft edges to 8 bits. */
export const maskCodec: ValueCodec<MaskValue> = {
  id: 'mask',
  encode: (v, store, name) =>
    stored(
      'mask',
      name,
      store.writeTensors(file(name), { mask: { dtype: 'float32', shape: [v.height, v.width], data: v.data } }, { kinegraph: 'mask' }),
    ),
  async decode(s, store) {
    const t = (await read(s, store)).tensors.mask;
    if (t?.dtype !== 'float32' || t.shape.length !== 2) throw new Error('cached mask has no float32 [height, width] tensor');
    const [h, w] = t.shape as [number, number];
    return new MaskValue(w, h, t.data as Float32Array);
  },
};

/** float32 as it is, like a MASK; the estimator's name rides in the metadata. */
export const depthCodec: ValueCodec<DepthValue> = {
  id: 'depth',
  encode: (v, store, name) =>
    stored(
      'depth',
      name,
      store.writeTensors(
        file(name),
        { depth: { dtype: 'float32', shape: [v.height, v.width], data: v.data } },
        { kinegraph: 'depth', model: v.model },
      ),
    ),
  async decode(s, store) {
    const { tensors, metadata } = await read(s, store);
    const t = tensors.depth;
    if (t?.dtype !== 'float32' || t.shape.length !== 2) throw new Error('cached depth has no float32 [height, width] tensor');
    const [h, w] = t.shape as [number, number];
    return new DepthValue(w, h, t.data as Float32Array, metadata.model ?? 'unknown');
  },
};

/** Only decoded frames held in memory: a video rendered on demand would be rendered whole just to be cached. */
export const videoCodec: ValueCodec<VideoValue> = {
  id: 'video',
  async encode(v, store, name) {
    const frameBytes = v.width * v.height * 3;
    // A clip read from its file (a short one reports as many bytes as its frames) would be decoded whole here,
    // hundreds of MB for a few 8K frames, only to store what the file already holds.
    if (v.source.decodesFromFile || v.byteSize() < frameBytes * v.frameCount) return undefined;
    const frames = new Uint8Array(frameBytes * v.frameCount);
    for (let i = 0; i < v.frameCount; i++) frames.set(await v.frameAt(i), i * frameBytes);
    const tensor = { dtype: 'uint8' as const, shape: [v.frameCount, v.height, v.width, 3], data: frames };
    return stored('video', name, store.writeTensors(file(name), { frames: tensor }, { kinegraph: 'video', fps: String(v.fps) }));
  },
  async decode(s, store) {
    const { tensors, metadata } = await read(s, store);
    const t = tensors.frames;
    if (t?.dtype !== 'uint8' || t.shape.length !== 4) throw new Error('cached video has no frames');
    const [n, h, w] = t.shape as [number, number, number];
    const data = t.data as Uint8Array;
    const frames = Array.from({ length: n }, (_, i) => data.subarray(i * w * h * 3, (i + 1) * w * h * 3));
    return videoFromFrames(w, h, Number(metadata.fps), frames);
  },
};
