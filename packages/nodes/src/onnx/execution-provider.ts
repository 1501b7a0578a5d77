import { OperationalError, type Logger } from '@kinegraph/graph-core';
import * as ort from 'onnxruntime-node';
import { describeAutoProvider, gpuAbsenceReason } from './gpu-presence.js';
import { WorkerInferenceSession } from './worker-session.js';

export type ProviderChoice = 'auto' | 'cpu' | 'webgpu';
export type ProviderName = 'cpu' | 'webgpu';

/**
 * Picks the execution provider. onnxruntime-node's prebuilt binary holds the CPU and WebGPU (Dawn)
 * providers; a session listing ['webgpu', 'cpu'] does NOT fall back when no WebGPU adapter exists (it
 * throws), so 'auto' tries WebGPU once per process and remembers the outcome. The environment variable
 * KINEGRAPH_ONNX_PROVIDER (auto | cpu | webgpu) overrides the host's choice.
 */
let webgpuVerdict: { ok: boolean; reason?: string } | undefined;

export function providerFromEnv(choice: ProviderChoice | undefined): ProviderChoice {
  const env = process.env.KINEGRAPH_ONNX_PROVIDER;
  if (env === 'auto' || env === 'cpu' || env === 'webgpu') return env;
  return choice ?? 'auto';
}

function sessionOptions(provider: ProviderName, extra?: ort.InferenceSession.SessionOptions): ort.InferenceSession.SessionOptions {
  return {
    graphOptimizationLevel: 'all',
    // Video latents change shape between runs only when the user changes size: let ORT reuse its arena.
    enableCpuMemArena: true,
    ...extra,
    executionProviders: [provider],
  };
}

export interface CreatedSession {
  session: ort.InferenceSession;
  provider: ProviderName;
}

/**
 * CPU sessions live on the inference thread (see worker-session.ts) so that a model run never freezes the
 * server; KINEGRAPH_ONNX_THREAD=main keeps them on the calling thread. WebGPU sessions stay on the main
 * thread: their device is opened there, and GPU runs are short.
 */
function createCpuSession(file: string, options: ort.InferenceSession.SessionOptions): Promise<ort.InferenceSession> {
  if (process.env.KINEGRAPH_ONNX_THREAD === 'main') return ort.InferenceSession.create(file, options);
  return WorkerInferenceSession.create(file, options);
}

/** Creates a session on the chosen provider; 'auto' falls back to the CPU (with a log line) when WebGPU fails. */
export async function createSession(
  file: string,
  choice: ProviderChoice,
  log?: Logger,
  /** Further options for this session (e.g. a quieter log level); the provider list is always the chosen one. */
  extra?: ort.InferenceSession.SessionOptions,
): Promise<CreatedSession> {
  const wanted = providerFromEnv(choice);
  if (wanted === 'auto' && !webgpuVerdict) {
    const absent = gpuAbsenceReason();
    if (absent) {
      log?.info('onnx: CPU execution provider in use (WebGPU not tried)', { reason: absent });
      webgpuVerdict = { ok: false, reason: absent };
    }
  }
  if (wanted === 'cpu' || (wanted === 'auto' && webgpuVerdict?.ok === false)) {
    return { session: await createCpuSession(file, sessionOptions('cpu', extra)), provider: 'cpu' };
  }
  try {
    const session = await ort.InferenceSession.create(file, sessionOptions('webgpu', extra));
    if (!webgpuVerdict) log?.info('onnx: WebGPU execution provider in use');
    webgpuVerdict = { ok: true };
    return { session, provider: 'webgpu' };
  } catch (error) {
    const reason = firstLine(error);
    if (isModelFileError(reason)) throw error;
    if (wanted === 'webgpu') throw new OperationalError(`The WebGPU execution provider is not available here: ${reason}`, { cause: error });
    if (!webgpuVerdict) log?.info('onnx: WebGPU unavailable, using the CPU execution provider', { reason });
    webgpuVerdict = { ok: false, reason };
    return { session: await createCpuSession(file, sessionOptions('cpu', extra)), provider: 'cpu' };
  }
}

/** What 'auto' resolved to so far in this process (undefined until a session was created). */
export function webgpuStatus(): { ok: boolean; reason?: string } | undefined {
  return webgpuVerdict;
}

export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].slice(0, 400);
}

/** Errors about the file itself (not the provider): the CPU would fail the same way. */
function isModelFileError(reason: string): boolean {
  return /Protobuf parsing failed|Load model from|No such file|ModelProto/i.test(reason);
}

/** One line for a run's log: the provider a choice (after KINEGRAPH_ONNX_PROVIDER) means on this machine. */
export function describeProviderChoice(choice: ProviderChoice | undefined): string {
  const wanted = providerFromEnv(choice);
  if (wanted === 'cpu') return 'CPU (chosen)';
  if (wanted === 'webgpu') return 'WebGPU (chosen; a run fails if no adapter opens)';
  return `auto: ${describeAutoProvider()}`;
}
