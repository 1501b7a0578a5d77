import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { packagedModelPath } from '../perception/packaged-model.js';
import { U2NETP, U2NETP_INPUT, U2NETP_OUTPUT, U2NETP_SIZE } from '../perception/salient/u2netp-model.js';
import { WorkerInferenceSession } from './worker-session.js';

const options: ort.InferenceSession.SessionOptions = { executionProviders: ['cpu'], graphOptimizationLevel: 'all', logSeverityLevel: 3 };

function input(): ort.Tensor {
  const n = 3 * U2NETP_SIZE * U2NETP_SIZE;
  const x = new Float32Array(n);
  for (let i = 0, s = 7; i < n; i++) x[i] = ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 4 - 2; // fixed pseudo-random
  return new ort.Tensor('float32', x, [1, 3, U2NETP_SIZE, U2NETP_SIZE]);
}

describe('ONNX sessions on the inference thread', () => {
  const file = packagedModelPath(U2NETP);

  it('give the same bytes as a session on the calling thread, and leave that thread free while they run', async () => {
    const [here, there] = await Promise.all([ort.InferenceSession.create(file, options), WorkerInferenceSession.create(file, options)]);
    expect(there.inputNames).toEqual(here.inputNames);
    expect(there.outputNames).toEqual(here.outputNames);
    expect(there.inputMetadata).toEqual(here.inputMetadata);
    const expected = (await here.run({ [U2NETP_INPUT]: input() }))[U2NETP_OUTPUT];
    const feeds = { [U2NETP_INPUT]: input() };
    let turned = false;
    const running = there.run(feeds, [U2NETP_OUTPUT]);
    setImmediate(() => (turned = true));
    const out = await running;
    // On the calling thread ORT's run would have blocked before this turn of the event loop.
    expect(turned).toBe(true);
    expect(Object.keys(out)).toEqual([U2NETP_OUTPUT]);
    expect(out[U2NETP_OUTPUT].dims).toEqual(expected.dims);
    expect(Buffer.from((out[U2NETP_OUTPUT].data as Float32Array).buffer)).toEqual(Buffer.from((expected.data as Float32Array).buffer));
    // A pre-allocated output tensor is filled in place, as ORT does on the calling thread.
    const into = new ort.Tensor('float32', new Float32Array(expected.data.length), expected.dims);
    const filled = await there.run({ [U2NETP_INPUT]: input() }, { [U2NETP_OUTPUT]: into });
    expect(filled[U2NETP_OUTPUT]).toBe(into);
    expect(Buffer.from((into.data as Float32Array).buffer)).toEqual(Buffer.from((expected.data as Float32Array).buffer));
    // The caller's feeds are copied, never taken.
    expect((feeds[U2NETP_INPUT].data as Float32Array).length).toBe(3 * U2NETP_SIZE * U2NETP_SIZE);
    await Promise.all([here.release(), there.release()]);
    await expect(there.run({ [U2NETP_INPUT]: input() })).rejects.toThrow(/released/);
  });

  it('report a missing or broken file with ORT’s own message, as on the calling thread', async () => {
    await expect(WorkerInferenceSession.create('/nonexistent/model.onnx', options)).rejects.toThrow(/nonexistent\/model\.onnx/);
  });
});
