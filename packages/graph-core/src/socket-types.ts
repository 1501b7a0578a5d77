/**
 * Socket types: what may flow along a link. graph-core declares the primitives; a node library declares
 * its own (IMAGE, LATENT, ...) with `defineSocket`, so graph-core knows each type by its declaration,
 * never by what an IMAGE *is*. A declaration carries the runtime check the engine applies at node
 * boundaries, a one-line description of a value for events, its byte size for the memory cache and,
 * registered separately by the library (see codecs.ts), how the disk tier stores it.
 */
export interface SocketDef<T = unknown> {
  /** The name links and documents use: 'IMAGE'. */
  readonly name: string;
  /** What the type carries, for `kinegraph nodes` and docs. */
  readonly summary: string;
  /** Whether a value is of this type (the engine checks every input and output with it). */
  is(value: unknown): value is T;
  /** One short line for the node-finished event ("IMAGE 1280x720"). */
  describe(value: T): string;
  /** Bytes the value holds, for the memory cache's budget. */
  byteSize(value: T): number;
  /** Added to the message when a value of another type arrives ("connect it to Load Model"). */
  readonly hint?: string;
}

export interface SocketOptions<T> {
  name: string;
  summary: string;
  is(value: unknown): value is T;
  describe?(value: T): string;
  byteSize?(value: T): number;
  hint?: string;
}

const declared = new Map<string, SocketDef>();

/** Declares a socket type once; a second declaration of the same name is a bug. */
export function defineSocket<T>(o: SocketOptions<T>): SocketDef<T> {
  if (declared.has(o.name)) throw new Error(`Socket type "${o.name}" is declared twice`);
  const def: SocketDef<T> = {
    name: o.name,
    summary: o.summary,
    is: o.is,
    hint: o.hint,
    describe: o.describe ?? ((v) => describeSelf(v) ?? `${o.name} ${jsonPreview(v)}`),
    byteSize: o.byteSize ?? ((v) => sizeOfSelf(v) ?? 64),
  };
  declared.set(o.name, def as SocketDef);
  return def;
}

/** The declaration of a socket type name, if one was made. */
export function socketNamed(name: string): SocketDef | undefined {
  return declared.get(name);
}

/** Every declared socket type. */
export function declaredSockets(): SocketDef[] {
  return [...declared.values()];
}

export const INT = defineSocket<number>({ name: 'INT', summary: 'A whole number', is: (v): v is number => typeof v === 'number' });
export const FLOAT = defineSocket<number>({ name: 'FLOAT', summary: 'A number', is: (v): v is number => typeof v === 'number' });
export const STRING = defineSocket<string>({ name: 'STRING', summary: 'Text', is: (v): v is string => typeof v === 'string' });
export const BOOLEAN = defineSocket<boolean>({
  name: 'BOOLEAN',
  summary: 'True or false',
  is: (v): v is boolean => typeof v === 'boolean',
});
export const ANY = defineSocket<unknown>({ name: 'ANY', summary: 'A value of any type', is: (_v): _v is unknown => true });

/**
 * Socket type names the built-in node library uses, as plain names (what documents and the editor see).
 * Types are open: a node library may declare a name not listed here; `ANY` accepts every type.
 */
export const SocketType = {
  IMAGE: 'IMAGE',
  LATENT: 'LATENT',
  CONDITIONING: 'CONDITIONING',
  CAMERA: 'CAMERA',
  MODEL: 'MODEL',
  VAE: 'VAE',
  TEXT_ENCODER: 'TEXT_ENCODER',
  UPSCALE_MODEL: 'UPSCALE_MODEL',
  VIDEO: 'VIDEO',
  AUDIO: 'AUDIO',
  MASK: 'MASK',
  INT: 'INT',
  FLOAT: 'FLOAT',
  STRING: 'STRING',
  BOOLEAN: 'BOOLEAN',
  ANY: 'ANY',
} as const;
export type SocketTypeName = (typeof SocketType)[keyof typeof SocketType] | (string & {});

/** Whether an output of type `from` may feed an input of type `to`. INT widens to FLOAT. */
export function socketsCompatible(from: string, to: string): boolean {
  if (from === to || from === SocketType.ANY || to === SocketType.ANY) return true;
  return from === SocketType.INT && to === SocketType.FLOAT;
}

function describeSelf(v: unknown): string | undefined {
  const s = v as { summary?: unknown } | null;
  return s && typeof s === 'object' && typeof s.summary === 'function' ? String((s.summary as () => unknown).call(s)) : undefined;
}

function sizeOfSelf(v: unknown): number | undefined {
  const s = v as { byteSize?: unknown } | null;
  return s && typeof s === 'object' && typeof s.byteSize === 'function' ? Number((s.byteSize as () => unknown).call(s)) : undefined;
}

function jsonPreview(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? text.slice(0, 57) + '...' : text;
}
