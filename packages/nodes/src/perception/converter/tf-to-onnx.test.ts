import { copyFile, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import sharp from 'sharp';
import { hasPhotos, photoPath } from '../detect-faces.photos.js';
import { personModelJson, PERSON_MODELS, type PersonModelSpec } from '../person-matte/person-models.js';
import { convertedModelFile } from './converted-model.js';
import { convertTfjsGraph } from './tf-to-onnx.js';
import { readTfjsGraphModel } from './tfjs-model.js';

/**
 * The converter's ONNX graphs against the original TF.js graph models run by @tensorflow/tfjs on its wasm
 * backend, on random inputs and on real photos. Compared: the final output and the logits before the
 * last sigmoid (where a saturated sigmoid would hide differences). Measured max abs differences (tfjs 4.22
 * wasm vs onnxruntime-node 1.30 CPU): selfie probabilities ≤ 7.4e-5, logits ≤ 3e-3 on a range of ±885
 * (relative 3.4e-6); meet logits ≤ 2e-3 on ±21. tfjs's own CPU backend differs from its wasm backend by
 * the same order, so this is float32 rounding, not a conversion error.
 */
const LOGITS: Record<string, string> = { selfie: 'segment_add', meet: 'segment' };

async function tfjsModel(json: string): Promise<GraphModel> {
  const doc = JSON.parse(await readFile(json, 'utf8'));
  const bin = await readFile(path.join(path.dirname(json), doc.weightsManifest[0].paths[0]));
  return loadGraphModel({
    load: async () => ({
      modelTopology: doc.modelTopology,
      weightSpecs: doc.weightsManifest[0].weights,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      format: doc.format,
      signature: doc.signature,
    }),
  });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function maxAbs(a: Float32Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

async function photoInput(name: string, spec: PersonModelSpec): Promise<Float32Array> {
  const raw = await sharp(photoPath(name))
    .removeAlpha()
    .toColourspace('srgb')
    .resize(spec.width, spec.height, { fit: 'fill' })
    .raw()
    .toBuffer();
  return Float32Array.from(raw, (v) => v / 255);
}

function randomInput(n: number, seed: number): Float32Array {
  const x = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] = s / 2 ** 32;
  }
  return x;
}

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

describe.each(Object.values(PERSON_MODELS))('TF.js -> ONNX conversion of $id', (spec) => {
  let session: ort.InferenceSession;
  let original: GraphModel;
  const shape = [1, spec.height, spec.width, 3];
  const outName = () => session.outputNames[0].replace(/:0$/, '');

  beforeAll(async () => {
    const json = personModelJson(spec);
    const onnx = convertTfjsGraph(await readTfjsGraphModel(json), spec.id, { extraOutputs: [LOGITS[spec.id]] });
    session = await ort.InferenceSession.create(onnx, { executionProviders: ['cpu'] });
    original = await tfjsModel(json);
    expect(tf.getBackend()).toBe('wasm');
  });

  async function compare(x: Float32Array): Promise<{ output: number; logits: number; logitRange: number }> {
    const ours = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, shape) });
    const input = tf.tensor(x, shape);
    const refs = original.execute(input, [outName(), LOGITS[spec.id]]) as tf.Tensor[];
    const refOut = (await refs[0].data()) as Float32Array;
    const refLogits = (await refs[1].data()) as Float32Array;
    tf.dispose([input, ...refs]);
    const logitsName = session.outputNames.find((n, i) => i > 0 || n.startsWith(LOGITS[spec.id]))!;
    return {
      output: maxAbsDiff(ours[session.outputNames[0]].data as Float32Array, refOut),
      logits: maxAbsDiff(ours[logitsName].data as Float32Array, refLogits),
      logitRange: maxAbs(refLogits),
    };
  }

  it('has the original interface: NHWC input, the same output shape', () => {
    expect(session.inputNames).toEqual(['input_1']);
    const dims = (session.outputMetadata[0] as ort.InferenceSession.TensorValueMetadata).shape;
    expect(dims).toEqual([1, spec.height, spec.width, spec.output === 'sigmoid' ? 1 : 2]);
  });

  it('matches the original on random inputs', async () => {
    for (const seed of [1, 2]) {
      const d = await compare(
        randomInput(
          shape.reduce((a, b) => a * b, 1),
          seed,
        ),
      );
      expect(d.logits / d.logitRange).toBeLessThan(1e-4);
      expect(d.output).toBeLessThan(spec.output === 'sigmoid' ? 1e-4 : 5e-3);
    }
  });

  it.skipIf(!hasPhotos('people/grace_hopper.jpg', 'people/messi5.jpg', 'Kite.jpg'))('matches the original on real photos', async () => {
    for (const photo of ['people/grace_hopper.jpg', 'people/messi5.jpg', 'Kite.jpg']) {
      const d = await compare(await photoInput(photo, spec));
      expect(d.logitRange).toBeGreaterThan(10); // a real, unsaturated signal was compared
      expect(d.logits / d.logitRange).toBeLessThan(2e-4);
      if (spec.output === 'sigmoid') expect(d.output).toBeLessThan(2e-4);
    }
  });
});

describe('conversion errors and the cache', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kinegraph-convert-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function copyModel(name: string): Promise<string> {
    const src = personModelJson(PERSON_MODELS.selfie);
    const sub = path.join(dir, name);
    await rm(sub, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(sub, { recursive: true }));
    await copyFile(src, path.join(sub, 'selfie.json'));
    await copyFile(src.replace(/\.json$/, '.bin'), path.join(sub, 'selfie.bin'));
    return path.join(sub, 'selfie.json');
  }

  it('converts once: the second call finds the cached file', async () => {
    const json = await copyModel('cache');
    const cache = path.join(dir, 'cache-out');
    const first = await convertedModelFile(json, 'selfie', cache, PERSON_MODELS.selfie.sha256);
    const second = await convertedModelFile(json, 'selfie', cache, PERSON_MODELS.selfie.sha256);
    expect(first.converted).toBe(true);
    expect(second.converted).toBe(false);
    expect(second.file).toBe(first.file);
    // Deterministic: converting again gives the same bytes.
    const bytes = await readFile(first.file);
    expect(
      Buffer.from(convertTfjsGraph(await readTfjsGraphModel(json), `selfie: converted from selfie.json (sha256 ${first.sha256})`)).equals(
        bytes,
      ),
    ).toBe(true);
  });

  it('names the file when the weights are missing, truncated or different', async () => {
    const json = await copyModel('broken');
    const bin = json.replace(/\.json$/, '.bin');
    await truncate(bin, 1000);
    await expect(convertedModelFile(json, 'selfie', path.join(dir, 'c1'))).rejects.toThrow(/selfie\.json is truncated/);
    await expect(convertedModelFile(json, 'selfie', path.join(dir, 'c1'), PERSON_MODELS.selfie.sha256)).rejects.toThrow(
      /selfie\.bin is damaged/,
    );
    await rm(bin);
    await expect(convertedModelFile(json, 'selfie', path.join(dir, 'c1'))).rejects.toThrow(/weight file .*selfie\.bin .* is missing/);
    await rm(json);
    await expect(convertedModelFile(json, 'selfie', path.join(dir, 'c1'))).rejects.toThrow(/model file .*selfie\.json is missing/);
  });

  it('names the file when model.json is not JSON or not a graph model', async () => {
    const json = await copyModel('notjson');
    await writeFile(json, '{"format": "graph-model", ');
    await expect(convertedModelFile(json, 'selfie', path.join(dir, 'c2'))).rejects.toThrow(/selfie\.json is not valid JSON/);
    await writeFile(json, JSON.stringify({ format: 'layers-model' }));
    await expect(readTfjsGraphModel(json)).rejects.toThrow(/selfie\.json is not a TF\.js graph model/);
  });

  it('refuses an op it does not convert, by name', async () => {
    const model = await readTfjsGraphModel(personModelJson(PERSON_MODELS.selfie));
    const nodes = model.nodes.map((n) => (n.op === 'Sigmoid' ? { ...n, op: 'Erf' } : n));
    expect(() => convertTfjsGraph({ ...model, nodes }, 'x')).toThrow(
      /op Erf \(node "activation(_\d+)?"\) is not supported by the converter/,
    );
  });
});
