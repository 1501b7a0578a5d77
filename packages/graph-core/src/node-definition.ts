import { z } from 'zod';
import type { SocketDef, SocketTypeName } from './socket-types.js';
import type { Workflow } from './workflow-schema.js';

/** What a node's cached result depends on; the cache follows this declaration. */
export const CachePolicy = {
  /** Type, version, params and input keys. */
  pure: 'pure',
  /**
   * Like pure, and the node's randomness comes only from its seed-role parameters (p.seed), which the
   * registry checks it has: a batch offsets them, so each run of a batch differs and each is reproducible.
   */
  seeded: 'seeded',
  /** Like pure, plus the content hash of every file named by `fileRefs(params)`. */
  file: 'file',
  /** Never cached: runs every time, and so do its descendants. */
  never: 'never',
} as const;
export type CachePolicyName = (typeof CachePolicy)[keyof typeof CachePolicy];

export interface InputSpec<T = unknown> {
  type: SocketTypeName;
  /** The declaration behind `type` (see `input()`): the engine checks values against it before execute. */
  socket?: SocketDef<T>;
  optional?: boolean;
  description?: string;
}

export interface OutputSpec<T = unknown> {
  type: SocketTypeName;
  /** The declaration behind `type` (see `output()`): the engine checks what execute returns against it. */
  socket?: SocketDef<T>;
  description?: string;
}

/** An input of a declared socket type; `execute` receives it typed. */
export function input<T, const O extends { optional?: boolean; description?: string } = {}>(socket: SocketDef<T>, o?: O): InputSpec<T> & O {
  return { type: socket.name, socket, ...(o ?? ({} as O)) };
}

/** An output of a declared socket type. */
export function output<T>(socket: SocketDef<T>, o: { description?: string } = {}): OutputSpec<T> {
  return { type: socket.name, socket, ...o };
}

export type InputShape = Record<string, InputSpec<any>>;
export type OutputShape = Record<string, OutputSpec<any>>;
/** What `execute` receives: each input's declared type, `| undefined` where it is optional. */
export type InputsOf<I extends InputShape> = {
  [K in keyof I]: I[K] extends InputSpec<infer T> ? (I[K] extends { optional: true } ? T | undefined : T) : unknown;
};

/** A preview picture: already-encoded bytes (JPEG/WebP/PNG), small. */
export interface PreviewImage {
  mime: 'image/jpeg' | 'image/webp' | 'image/png';
  data: Uint8Array;
  width?: number;
  height?: number;
}

export interface Logger {
  debug(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

/** A typed key for a service the host (CLI, server, test) provides to nodes. */
export interface ServiceToken<T> {
  readonly name: string;
  /** Phantom field, never set: carries T. */
  readonly __type?: T;
}
export function serviceToken<T>(name: string): ServiceToken<T> {
  return { name };
}
export interface Services {
  get<T>(token: ServiceToken<T>): T;
  has(token: ServiceToken<unknown>): boolean;
}

/** A file or other result an output node shows to the user (kept in history, shown in the editor). */
export const UiOutputSchema = z.object({
  /** Free-form kind the editor understands: 'video' | 'image' | 'audio' | 'text' | ... */
  kind: z.string(),
  /** For files: the name inside the host's output/temp folder. */
  filename: z.string().optional(),
  folder: z.enum(['output', 'temp', 'input']).optional(),
  mime: z.string().optional(),
  text: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type UiOutput = z.infer<typeof UiOutputSchema>;

export interface NodeContext {
  readonly runId: string;
  readonly nodeId: string;
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly services: Services;
  /** The workflow document being run (output nodes embed it in the files they write). */
  readonly workflow: Workflow;
  /** Report progress. Throws an AbortError when the run has been interrupted, so a step loop stops within one step. */
  progress(value: number, max: number, preview?: PreviewImage): void;
  /** Throws an AbortError when the run has been interrupted. */
  throwIfAborted(): void;
  /** A warning the user should see on this node (e.g. prompt words that were ignored). */
  warn(message: string, field?: string): void;
  /** Something the node shows to the user; kept with the cached result. */
  ui(output: UiOutput): void;
}

export type ParamShape = Record<string, z.ZodType>;
export type ParamsOf<S extends ParamShape> = { [K in keyof S]: z.output<S[K]> };

export interface NodeDefinition<P extends ParamShape = ParamShape, I extends InputShape = InputShape> {
  /** Unique type name, PascalCase: 'LoadImage'. */
  type: string;
  /** Category path used by the palette: 'image', 'model', 'video', 'audio', 'upscale', 'primitive'. */
  category: string;
  title: string;
  description: string;
  /** Bumped whenever params change shape; `migrateParams` upgrades older saved params. */
  version: number;
  inputs: I;
  outputs: OutputShape;
  /** Each parameter is a zod schema with a default and a UI hint (see `p` in param-hints.ts). */
  params: P;
  /** An output node: a run executes what output nodes (or chosen targets) need. */
  isOutput?: boolean;
  cache: CachePolicyName;
  /** For cache 'file': the file references in params whose content hash joins the key. */
  fileRefs?(params: ParamsOf<P>): string[];
  /** May run at the same time as other concurrency-safe nodes of independent branches. */
  concurrencySafe?: boolean;
  /** Upgrade params saved by an older version of this node type. */
  migrateParams?(fromVersion: number, params: Record<string, unknown>): Record<string, unknown>;
  /**
   * Whether a cached result still stands for the world outside the cache (an output node's file may have
   * been deleted since). A false answer makes the engine run the node again.
   */
  isResultValid?(result: { outputs: Record<string, unknown>; ui: UiOutput[] }, services: Services): boolean | Promise<boolean>;
  /**
   * Params that are only valid together (e.g. end after start): return problems as [field, message].
   * `linked`: the names of the node's inputs fed by a link (an optional input may only fit some params).
   */
  checkParams?(params: ParamsOf<P>, linked?: ReadonlySet<string>): Array<[field: string, message: string]>;
  /**
   * Checks that need the host's services (an API key the host can find, say). Not run by the pure validator
   * (it has no services); the runtime's pre-run check (`kinegraph validate`, `kinegraph run`, the server's
   * submit) runs it, so a run that would fail for want of something outside the document is refused before
   * it is queued. A node that needs the thing must still check for it when it runs. Field: undefined for the
   * node as a whole.
   */
  checkHost?(params: ParamsOf<P>, services: Services): Array<[field: string | undefined, message: string]>;
  execute(ctx: NodeContext, inputs: InputsOf<I>, params: ParamsOf<P>): Promise<Record<string, unknown>> | Record<string, unknown>;
}

/** Identity helper that keeps the params' and inputs' inferred types for `execute`. */
export function defineNode<P extends ParamShape, I extends InputShape>(def: NodeDefinition<P, I>): NodeDefinition<P, I> {
  return def;
}

/** Heavy values (frames, tensors) may carry their own size so the cache never walks them. */
export interface Sized {
  byteSize(): number;
}
/** Values may describe themselves for the node-finished event ("LATENT 16x90x160, 144 frames"). */
export interface Summarizable {
  summary(): string;
}
