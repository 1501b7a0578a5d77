import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinModelJson, builtinUpscaleSpec } from '../../upscale/builtin-models.js';
import { quantizedUpscaleSpec } from '../../upscale/quantized-models.js';
import { hasPhotos, photoPath } from '../detect-faces.photos.js';
import { calibrateRanges } from './calibrate.js';
import { convertedModelFile } from './converted-model.js';
import { activationParams, calibrationModel, quantizeQdq, quantizeWeights } from './quantize-qdq.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;

describe('int8 weights and activation parameters', () => {
  it('quantizes each output channel on its own scale, symmetric, in 7 bits (no saturation without VNNI), within half a step', () => {
    const w = Float32Array.from([0.5, -0.25, 0.125, 0.01, -8, 4, 2, 1]); // two channels of 4
    const { data, scales } = quantizeWeights(w, [2, 4]);
    expect([...scales]).toEqual([Math.fround(0.5 / 63), Math.fround(8 / 63)]);
    expect(data[0]).toBe(63);
    expect(data[4]).toBe(-63);
    expect(Math.max(...[...data].map(Math.abs))).toBe(63);
    for (let i = 0; i < w.length; i++) expect(Math.abs(data[i] * scales[i >> 2] - w[i])).toBeLessThanOrEqual(scales[i >> 2] / 2 + 1e-6);
  });

  it('covers the range and zero exactly (zero padding stays zero)', () => {
    const p = activationParams([-50, 205]);
    expect(p.scale).toBeCloseTo(1, 6);
    expect(p.zeroPoint).toBe(50);
    expect(activationParams([3, 255])).toEqual({ scale: 1, zeroPoint: 0 }); // a range above zero still starts at it
  });
});

describe('QDQ quantization of the converted slim-x2', () => {
  const q = quantizedUpscaleSpec('slim-x2-int8')!;
  let fp32: Uint8Array;
  let int8: Uint8Array;
  beforeAll(async () => {
    const spec = builtinUpscaleSpec(q.base)!;
    const file = await convertedModelFile(
      builtinModelJson(spec),
      spec.id,
      path.join(os.tmpdir(), `kinegraph-models-${process.getuid?.() ?? 'user'}`),
      spec.sha256,
    );
    fp32 = await readFile(file.file);
    int8 = quantizeQdq(fp32, q.ranges, 'test', q.options);
  }, 120_000);

  it('gives int8 weights to every conv but the ones kept float, and a Q/DQ pair to every calibrated activation', () => {
    const g = onnx.ModelProto.decode(int8).graph!;
    const convs = g.node!.filter((n) => n.opType === 'Conv');
    const byName = new Map(g.node!.flatMap((n) => n.output!.map((o) => [o, n] as const)));
    for (const c of convs) {
      const weight = c.input![1];
      const quantized = byName.get(weight)?.opType === 'DequantizeLinear';
      expect(quantized, c.name!).toBe(!q.options.keepFloat!.includes(c.name!));
      if (quantized) expect(g.initializer!.find((t) => t.name === byName.get(weight)!.input![0])!.dataType).toBe(DT.INT8);
    }
    expect(g.node!.filter((n) => n.opType === 'QuantizeLinear')).toHaveLength(Object.keys(q.ranges).length);
    expect(g.node!.filter((n) => n.opType === 'Relu')).toHaveLength(1); // UPN2's (a float conv); the others fold into their Q
    expect(int8.length).toBeLessThan(fp32.length / 2);
  });

  it('lists exactly the activations the table calibrates, and refuses a table that misses one', () => {
    expect(calibrationModel(fp32, q.options).targets.sort()).toEqual(Object.keys(q.ranges).sort());
    const { FDF: _, ...missing } = q.ranges;
    expect(() => quantizeQdq(fp32, missing, 'test', q.options)).toThrow(/no calibrated range for activation "FDF"/);
  });

  it.skipIf(!hasPhotos('people/baboon.jpg', ...q.calibration))(
    'the kept table is what calibration on its photos gives, and int8 keeps over 45 dB PSNR against fp32 on a photo it was not calibrated on',
    async () => {
      const pictures = await Promise.all(
        q.calibration.map(async (name) => {
          const { data, info } = await sharp(photoPath(name))
            .removeAlpha()
            .toColourspace('srgb')
            .resize(200)
            .raw()
            .toBuffer({ resolveWithObject: true });
          return { data: Float32Array.from(data), width: info.width, height: info.height };
        }),
      );
      const ranges = await calibrateRanges(fp32, pictures, q.options);
      for (const [k, [lo, hi]] of Object.entries(q.ranges)) {
        expect(ranges[k][0], k).toBeCloseTo(lo, 2);
        expect(ranges[k][1], k).toBeCloseTo(hi, 2);
      }
      const { data, info } = await sharp(photoPath('people/baboon.jpg'))
        .removeAlpha()
        .resize(96, 96)
        .raw()
        .toBuffer({ resolveWithObject: true });
      const x = new ort.Tensor('float32', Float32Array.from(data), [1, info.height, info.width, 3]);
      const run = async (bytes: Uint8Array) => {
        const s = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
        const out = (await s.run({ [s.inputNames[0]]: x }))[s.outputNames[0]].data as Float32Array;
        await s.release();
        return out;
      };
      const [a, b] = [await run(int8), await run(fp32)];
      let e = 0;
      for (let i = 0; i < a.length; i++) e += (a[i] - b[i]) ** 2;
      const psnr = 10 * Math.log10((255 * 255) / (e / a.length));
      if (process.env.KINEGRAPH_REPORT) console.info(`slim-x2-int8 vs slim-x2 on baboon 96x96: ${psnr.toFixed(2)} dB`);
      expect(psnr).toBeGreaterThan(45);
      expect(psnr).toBeLessThan(80); // it did quantize
    },
    120_000,
  );
});
