import type { SocketDef } from './socket-types.js';

/** A dense tensor as a disk tier stores it (one safetensors entry). */
export interface TensorData {
  dtype: 'float32' | 'float16' | 'uint8' | 'int32' | 'int64';
  shape: number[];
  data: Float32Array | Uint16Array | Uint8Array | Int32Array | BigInt64Array;
}

/** What a codec writes into a cache entry: its id plus JSON fields of its own (a file name, a size). */
export type StoredValue = { codec: string } & Record<string, unknown>;

/**
 * Where a codec keeps its files: one folder per cache entry, provided by the disk tier (the runtime).
 * Names are plain file names inside that folder.
 */
export interface CodecStore {
  writeTensors(file: string, tensors: Record<string, TensorData>, metadata: Record<string, string>): Promise<number>;
  readTensors(file: string): Promise<{ tensors: Record<string, TensorData>; metadata: Record<string, string> }>;
  writeBytes(file: string, bytes: Uint8Array): Promise<number>;
  readBytes(file: string): Promise<Uint8Array>;
}

/** How values of one socket type are kept by a disk tier. */
export interface ValueCodec<T> {
  /** Stored in each entry; decoding finds the codec by it, so it never changes once entries exist. */
  readonly id: string;
  /** undefined: this value is not worth storing (the whole result is then skipped). */
  encode(value: T, store: CodecStore, name: string): Promise<StoredValue | undefined>;
  decode(stored: StoredValue, store: CodecStore): Promise<T>;
}

interface Registered {
  socket: SocketDef;
  codec: ValueCodec<unknown>;
}
const bySocket = new Map<string, Registered>();
const byId = new Map<string, Registered>();

/** A node library registers how the disk tier keeps values of one of its socket types. */
export function registerCodec<T>(socket: SocketDef<T>, codec: ValueCodec<T>): void {
  if (bySocket.has(socket.name) || byId.has(codec.id)) throw new Error(`A codec for ${socket.name} (${codec.id}) is registered twice`);
  const entry = { socket: socket as SocketDef, codec: codec as ValueCodec<unknown> };
  bySocket.set(socket.name, entry);
  byId.set(codec.id, entry);
}

/**
 * The codec for a value: the one of its declared socket type when the value is of it, else the first
 * registered type whose check the value passes (outputs typed ANY).
 */
export function codecForValue(value: unknown, declaredType?: string): ValueCodec<unknown> | undefined {
  const declared = declaredType ? bySocket.get(declaredType) : undefined;
  if (declared?.socket.is(value)) return declared.codec;
  for (const r of bySocket.values()) if (r.socket.is(value)) return r.codec;
  return undefined;
}

/** The codec that wrote an entry. */
export function codecById(id: string): ValueCodec<unknown> | undefined {
  return byId.get(id)?.codec;
}
