// Holds ONNX Runtime sessions on a worker thread: onnxruntime-node's `run` executes synchronously on the
// calling thread (wrapped in a promise), so a model run on the main thread blocked the server for as long as
// the network took (U²-Net-p 150-270 ms, a video model step seconds). Plain JavaScript: it needs only ORT.
// Messages: { id, op: 'create', file, options } | { id, op: 'run', session, feeds, fetches, runOptions }
// | { id, op: 'release', session } | { id, op: 'profiling', session, start }; answers { id, result } or { id, error }.
import { parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

const sessions = new Map();
let nextSession = 1;

const toTensor = (t) => new ort.Tensor(t.type, t.data, t.dims);

function fromTensor(t) {
  return { type: t.type, data: t.data, dims: [...t.dims] };
}

async function handle(m) {
  switch (m.op) {
    case 'create': {
      const session = await ort.InferenceSession.create(m.file, m.options);
      const key = nextSession++;
      sessions.set(key, session);
      return {
        session: key,
        inputNames: [...session.inputNames],
        outputNames: [...session.outputNames],
        inputMetadata: structuredClone(session.inputMetadata),
        outputMetadata: structuredClone(session.outputMetadata),
      };
    }
    case 'run': {
      const session = sessions.get(m.session);
      if (!session) throw new Error('This ONNX session was released.');
      const feeds = Object.fromEntries(Object.entries(m.feeds).map(([name, t]) => [name, toTensor(t)]));
      const out = m.fetches ? await session.run(feeds, m.fetches, m.runOptions) : await session.run(feeds, m.runOptions);
      return Object.fromEntries(Object.entries(out).map(([name, t]) => [name, fromTensor(t)]));
    }
    case 'release': {
      const session = sessions.get(m.session);
      sessions.delete(m.session);
      await session?.release();
      return null;
    }
    case 'profiling': {
      const session = sessions.get(m.session);
      if (m.start) session?.startProfiling();
      else session?.endProfiling();
      return null;
    }
    default:
      throw new Error(`unknown operation ${m.op}`);
  }
}

/** The outputs' buffers move to the main thread instead of being copied. */
function buffersOf(result) {
  if (!result || typeof result !== 'object' || 'session' in result) return [];
  const buffers = new Set();
  for (const t of Object.values(result)) if (ArrayBuffer.isView(t.data)) buffers.add(t.data.buffer);
  return [...buffers];
}

parentPort.on('message', async (m) => {
  try {
    const result = await handle(m);
    try {
      parentPort.postMessage({ id: m.id, result }, buffersOf(result));
    } catch {
      // A buffer ORT owns natively cannot be moved: copy it instead.
      parentPort.postMessage({ id: m.id, result });
    }
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: { message: String(err?.message ?? err), stack: String(err?.stack ?? '') } });
  }
});
