import { Worker } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

/**
 * An ONNX Runtime session that lives on a worker thread (`inference-worker.mjs`). onnxruntime-node runs a
 * model synchronously on the calling thread, so on the main thread every inference froze the server (HTTP,
 * WebSocket progress, interrupts) for the network's whole run. Same runtime, same options, same bytes; the
 * feeds are copied to the worker and the outputs moved back. One worker per process holds every session
 * (runs queue there as they did on the main thread); it does not keep the process alive when idle.
 */
interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Created {
  session: number;
  inputNames: string[];
  outputNames: string[];
  inputMetadata: ort.InferenceSession.ValueMetadata[];
  outputMetadata: ort.InferenceSession.ValueMetadata[];
}

interface WireTensor {
  type: ort.Tensor.Type;
  data: ort.Tensor.DataType;
  dims: number[];
}

let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextCall = 1;

function failAll(error: Error): void {
  for (const p of pending.values()) p.reject(error);
  pending.clear();
}

function theWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./inference-worker.mjs', import.meta.url), { execArgv: workerExecArgv() });
  w.unref();
  w.on('message', (m: { id: number; result?: unknown; error?: { message: string; stack: string } }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0) w.unref();
    if (m.error) p.reject(Object.assign(new Error(m.error.message), { stack: m.error.stack || m.error.message }));
    else p.resolve(m.result);
  });
  w.on('error', (error: Error) => failAll(new Error(`The ONNX inference thread failed: ${error.message}`, { cause: error })));
  w.on('exit', (code) => {
    if (worker === w) worker = undefined;
    failAll(new Error(`The ONNX inference thread stopped (exit code ${code}); its sessions are gone.`));
  });
  worker = w;
  return w;
}

/** The process's flags minus those that only make sense for a main script (`node --input-type=module -e ...`
 * would otherwise stop the worker from starting). */
function workerExecArgv(): string[] {
  const out: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const a = process.execArgv[i];
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print') i++;
    else if (!a.startsWith('--input-type') && !a.startsWith('--eval=') && !a.startsWith('--print=')) out.push(a);
  }
  return out;
}

function call<T>(message: Record<string, unknown>): Promise<T> {
  const w = theWorker();
  const id = nextCall++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    w.ref(); // a run in flight keeps the process alive, as a main-thread run did
    w.postMessage({ id, ...message });
  });
}

function toWire(t: ort.Tensor): WireTensor {
  return { type: t.type, data: t.data, dims: [...t.dims] };
}

export class WorkerInferenceSession implements ort.InferenceSession {
  private constructor(
    private readonly key: number,
    readonly inputNames: readonly string[],
    readonly outputNames: readonly string[],
    readonly inputMetadata: readonly ort.InferenceSession.ValueMetadata[],
    readonly outputMetadata: readonly ort.InferenceSession.ValueMetadata[],
  ) {}

  static async create(file: string, options: ort.InferenceSession.SessionOptions): Promise<WorkerInferenceSession> {
    const c = await call<Created>({ op: 'create', file, options });
    return new WorkerInferenceSession(c.session, c.inputNames, c.outputNames, c.inputMetadata, c.outputMetadata);
  }

  run(feeds: ort.InferenceSession.FeedsType, options?: ort.InferenceSession.RunOptions): Promise<ort.InferenceSession.ReturnType>;
  run(
    feeds: ort.InferenceSession.FeedsType,
    fetches: ort.InferenceSession.FetchesType,
    options?: ort.InferenceSession.RunOptions,
  ): Promise<ort.InferenceSession.ReturnType>;
  async run(
    feeds: ort.InferenceSession.FeedsType,
    second?: ort.InferenceSession.FetchesType | ort.InferenceSession.RunOptions,
    third?: ort.InferenceSession.RunOptions,
  ): Promise<ort.InferenceSession.ReturnType> {
    // As onnxruntime-common tells them apart: fetches are a name list or a name-keyed object of tensors/null.
    const fetches = Array.isArray(second) || isFetchMap(second, this.outputNames) ? second : undefined;
    const runOptions = fetches ? third : (second as ort.InferenceSession.RunOptions | undefined);
    const wireFeeds = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, toWire(t)]));
    const wireFetches = fetches && !Array.isArray(fetches) ? Object.keys(fetches) : fetches;
    const out = await call<Record<string, WireTensor>>({
      op: 'run',
      session: this.key,
      feeds: wireFeeds,
      fetches: wireFetches,
      runOptions,
    });
    return Object.fromEntries(
      Object.entries(out).map(([name, t]) => {
        // A pre-allocated output tensor (fetches given as tensors) is filled, as ORT fills it in-thread.
        const given = fetches && !Array.isArray(fetches) ? (fetches as Record<string, ort.Tensor | null>)[name] : null;
        if (given) {
          (given.data as Float32Array).set(t.data as Float32Array);
          return [name, given];
        }
        return [name, new ort.Tensor(t.type, t.data as never, t.dims)];
      }),
    );
  }

  async release(): Promise<void> {
    await call({ op: 'release', session: this.key });
  }

  startProfiling(): void {
    void call({ op: 'profiling', session: this.key, start: true });
  }

  endProfiling(): void {
    void call({ op: 'profiling', session: this.key, start: false });
  }
}

function isFetchMap(value: unknown, outputNames: readonly string[]): value is ort.InferenceSession.FetchesType {
  if (!value || typeof value !== 'object') return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => outputNames.includes(k));
}
