import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import sharp from 'sharp';
import { hasPhotos, photoPath } from '../detect-faces.photos.js';
import { BUILTIN_UPSCALE_MODELS, builtinModelJson, type BuiltinUpscaleSpec } from '../../upscale/builtin-models.js';
import { convertedModelFile } from './converted-model.js';
import { readTfjsLayersModel } from './layers-model.js';
import { convertTfjsLayers } from './layers-to-onnx.js';

/**
 * The converter's ONNX graphs for the shipped upscalers against the original TF.js layers models run by
 * @tensorflow/tfjs-layers on the wasm backend, with UpscalerJS's own custom layers (MultiplyBeta:
 * x * 0.2; PixelShuffle<s>x: tf.depthToSpace(x, s, 'NHWC')) re-declared here exactly as the packages
 * declare them. Compared on random tiles and on tiles of real photos, on the 0-255 scale.
 */
class MultiplyBeta extends tfl.layers.Layer {
  static className = 'MultiplyBeta';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, 0.2);
  }
}

function pixelShuffle(className: string) {
  return class PixelShuffle extends tfl.layers.Layer {
    static className = className;
    readonly scale: number;
    constructor(config: { scale: number }) {
      super({});
      this.scale = config.scale;
    }
    override computeOutputShape(s: tfl.Shape): tfl.Shape {
      return [s[0], s[1] === null ? null : s[1] * this.scale, s[2] === null ? null : s[2] * this.scale, (s[3] as number) / this.scale ** 2];
    }
    override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
      return tf.depthToSpace((Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D, this.scale, 'NHWC');
    }
  };
}

for (const c of [
  MultiplyBeta,
  pixelShuffle('PixelShuffle'),
  pixelShuffle('PixelShuffle2x'),
  pixelShuffle('PixelShuffle3x'),
  pixelShuffle('PixelShuffle4x'),
]) {
  tf.serialization.registerClass(c as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
}

async function tfjsModel(json: string): Promise<tfl.LayersModel> {
  const doc = JSON.parse(await readFile(json, 'utf8'));
  const groups = doc.weightsManifest as { paths: string[]; weights: unknown[] }[];
  const shards = await Promise.all(groups.flatMap((g) => g.paths).map((p) => readFile(path.join(path.dirname(json), p))));
  const bin = Buffer.concat(shards);
  return tfl.loadLayersModel({
    load: async () => ({
      modelTopology: doc.modelTopology,
      weightSpecs: groups.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      format: doc.format,
    }),
  });
}

function randomTile(n: number, seed: number, range: number): Float32Array {
  const x = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] = (s / 2 ** 32) * range;
  }
  return x;
}

/** A crop of a real photo (left, top in a copy scaled to 640 wide), on the model's scale. */
async function photoTile(name: string, left: number, top: number, w: number, h: number, range: number): Promise<Float32Array> {
  const raw = await sharp(photoPath(name))
    .removeAlpha()
    .toColourspace('srgb')
    .resize(640)
    .extract({ left, top, width: w, height: h })
    .raw()
    .toBuffer();
  return Float32Array.from(raw, (v) => (v / 255) * range);
}

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

// thick (RRDN, 154 convolutions of 64 channels) is slow in tfjs-wasm: smaller tiles, one of each kind.
const FAST = (s: BuiltinUpscaleSpec) => s.family === 'slim' || s.family === 'medium';

describe.each(BUILTIN_UPSCALE_MODELS as readonly BuiltinUpscaleSpec[])('TF.js layers -> ONNX conversion of $id', (spec) => {
  let session: ort.InferenceSession;
  let original: tfl.LayersModel;
  let graphScale: number;

  beforeAll(async () => {
    const json = builtinModelJson(spec);
    const converted = convertTfjsLayers(await readTfjsLayersModel(json), spec.id);
    graphScale = converted.scale;
    session = await ort.InferenceSession.create(converted.onnx, { executionProviders: ['cpu'] });
    original = await tfjsModel(json);
    expect(tf.getBackend()).toBe('wasm');
  }, 300_000);

  afterAll(async () => {
    original?.dispose();
    await session?.release();
  });

  /** Max abs difference on the 0-255 scale, and the output's own spread (so a flat output can not pass). */
  async function compare(x: Float32Array, h: number, w: number): Promise<{ diff: number; spread: number }> {
    const shape = [1, h, w, 3];
    const ours = (await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, shape) }))[session.outputNames[0]];
    const input = tf.tensor(x, shape);
    const ref = original.predict(input) as tf.Tensor;
    const refData = (await ref.data()) as Float32Array;
    expect(ours.dims).toEqual(ref.shape);
    tf.dispose([input, ref]);
    const o = ours.data as Float32Array;
    let diff = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < o.length; i++) {
      diff = Math.max(diff, Math.abs(o[i] - refData[i]));
      lo = Math.min(lo, refData[i]);
      hi = Math.max(hi, refData[i]);
    }
    const to255 = 255 / spec.range;
    if (process.env.KINEGRAPH_REPORT) console.info(`${spec.id} ${h}x${w}: max abs diff ${(diff * to255).toExponential(2)} (0-255 scale)`);
    return { diff: diff * to255, spread: (hi - lo) * to255 };
  }

  it('reads the scale from the graph and takes NHWC tiles of any size', () => {
    expect(graphScale).toBe(spec.scale);
    expect(session.inputNames).toHaveLength(1);
    const dims = (session.inputMetadata[0] as ort.InferenceSession.TensorValueMetadata).shape;
    expect(dims).toEqual(['batch', 'height', 'width', 3]);
  });

  it('matches the original on random tiles within 1e-3 (0-255 scale)', async () => {
    const sizes: [number, number][] = FAST(spec)
      ? [
          [40, 56],
          [64, 64],
        ]
      : [[24, 32]];
    for (const [i, [h, w]] of sizes.entries()) {
      const d = await compare(randomTile(h * w * 3, i + 1, spec.range), h, w);
      expect(d.spread).toBeGreaterThan(50);
      expect(d.diff).toBeLessThan(1e-3);
    }
  }, 300_000);

  it.skipIf(!hasPhotos('people/grace_hopper.jpg', 'Kite.jpg'))(
    'matches the original on tiles of real photos within 1e-3 (0-255 scale)',
    async () => {
      const tiles: [string, number, number][] = FAST(spec)
        ? [
            ['people/grace_hopper.jpg', 200, 150],
            ['Kite.jpg', 300, 120],
          ]
        : [['people/grace_hopper.jpg', 200, 150]];
      const size = FAST(spec) ? 64 : 40;
      for (const [photo, left, top] of tiles) {
        const d = await compare(await photoTile(photo, left, top, size, size, spec.range), size, size);
        expect(d.spread).toBeGreaterThan(30); // a real picture came out, not a flat field
        expect(d.diff).toBeLessThan(1e-3);
      }
    },
    300_000,
  );
});

describe('layers conversion errors and the cache', () => {
  let dir: string;
  const slim = BUILTIN_UPSCALE_MODELS[0];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kinegraph-layers-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function copySlim(name: string): Promise<string> {
    const src = builtinModelJson(slim);
    const sub = path.join(dir, name);
    await mkdir(sub, { recursive: true });
    await copyFile(src, path.join(sub, 'model.json'));
    await copyFile(path.join(path.dirname(src), 'group1-shard1of1.bin'), path.join(sub, 'group1-shard1of1.bin'));
    return path.join(sub, 'model.json');
  }

  it('converts a layers model once through the same cache as graph models', async () => {
    const json = await copySlim('cache');
    const cache = path.join(dir, 'cache-out');
    const first = await convertedModelFile(json, 'slim-x2', cache, slim.sha256);
    const second = await convertedModelFile(json, 'slim-x2', cache, slim.sha256);
    expect([first.converted, second.converted]).toEqual([true, false]);
    expect(second.file).toBe(first.file);
    // Deterministic: converting again gives the same bytes.
    const again = convertTfjsLayers(await readTfjsLayersModel(json), `slim-x2: converted from model.json (sha256 ${first.sha256})`).onnx;
    expect(Buffer.from(again).equals(await readFile(first.file))).toBe(true);
    const s = await ort.InferenceSession.create(first.file, { executionProviders: ['cpu'] });
    expect(s.inputNames).toEqual(['LR']);
    await s.release();
  });

  it('refuses a layer class it does not convert, by name', async () => {
    const model = await readTfjsLayersModel(builtinModelJson(slim));
    const layers = model.layers.map((l) => (l.name === 'UPsample' ? { ...l, class_name: 'Conv2DTranspose' } : l));
    expect(() => convertTfjsLayers({ ...model, layers }, 'x')).toThrow(
      /layer class Conv2DTranspose \(layer "UPsample"\) is not supported by the converter/,
    );
  });

  it('refuses settings it does not convert, naming the layer and the setting', async () => {
    const model = await readTfjsLayersModel(builtinModelJson(slim));
    const swap = (name: string, patch: Record<string, unknown>) => ({
      ...model,
      layers: model.layers.map((l) => (l.name === name ? { ...l, config: { ...l.config, ...patch } } : l)),
    });
    expect(() => convertTfjsLayers(swap('UPsample', { interpolation: 'bilinear' }), 'x')).toThrow(
      /UpSampling2D "UPsample": config interpolation/,
    );
    expect(() => convertTfjsLayers(swap('UPN1_Relu', { activation: 'gelu' }), 'x')).toThrow(
      /Activation "UPN1_Relu": config activation .*"gelu"/,
    );
    expect(() => convertTfjsLayers(swap('SR', { data_format: 'channels_first' }), 'x')).toThrow(/Conv2D "SR": config data_format/);
  });

  it('names the file when model.json is not a layers model or a weight is missing', async () => {
    const json = await copySlim('broken');
    const doc = JSON.parse(await readFile(json, 'utf8'));
    await writeFile(
      json,
      JSON.stringify({ ...doc, modelTopology: { model_config: { class_name: 'Sequential', config: { layers: [] } } } }),
    );
    await expect(readTfjsLayersModel(json)).rejects.toThrow(/model class Sequential is not supported/);
    doc.weightsManifest[0].weights = doc.weightsManifest[0].weights.filter((w: { name: string }) => w.name !== 'UPN1/kernel');
    doc.weightsManifest[0].weights.push({ name: 'pad', shape: [102400], dtype: 'float32' });
    await writeFile(json, JSON.stringify(doc));
    const model = await readTfjsLayersModel(json);
    expect(() => convertTfjsLayers(model, 'x')).toThrow(/Conv2D "UPN1": the weights have no "UPN1\/kernel"/);
    await writeFile(json, JSON.stringify({ format: 'layers-model' }));
    await expect(readTfjsLayersModel(json)).rejects.toThrow(/model\.json is not a TF\.js layers model/);
  });
});
