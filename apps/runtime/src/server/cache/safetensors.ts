/**
 * A small, complete writer/reader for the safetensors format (https://github.com/huggingface/safetensors),
 * so cached latents can be opened by Python tools:
 *   8 bytes   little-endian uint64 N = header length
 *   N bytes   UTF-8 JSON: { "<name>": { dtype, shape, data_offsets: [begin, end] }, "__metadata__": { string: string } }
 *             padded with spaces so the data starts 8-byte aligned
 *   rest      the tensors' bytes, little-endian, back to back (no holes), offsets relative to the data start
 * Tensors are written largest element size first, so every tensor starts aligned for its element type.
 */

import type { TensorData } from '@kinegraph/graph-core';

export type { TensorData };
export type DType = TensorData['dtype'];

const TO_ST: Record<DType, string> = { float32: 'F32', float16: 'F16', uint8: 'U8', int32: 'I32', int64: 'I64' };
const FROM_ST: Record<string, DType> = { F32: 'float32', F16: 'float16', U8: 'uint8', I32: 'int32', I64: 'int64' };
const ELEM: Record<DType, number> = { float32: 4, float16: 2, uint8: 1, int32: 4, int64: 8 };
const MAX_HEADER = 100 * 1024 * 1024;

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('safetensors codec needs a little-endian host');

export interface SafetensorsParts {
  /** Header (with its length prefix); write it, then each of `chunks`. */
  head: Uint8Array;
  chunks: Uint8Array[];
  byteLength: number;
}

/** Lays out a file without copying tensor data: the caller writes head + chunks. */
export function encodeSafetensors(tensors: Record<string, TensorData>, metadata: Record<string, string> = {}): SafetensorsParts {
  const names = Object.keys(tensors).sort((a, b) => ELEM[tensors[b]!.dtype] - ELEM[tensors[a]!.dtype] || (a < b ? -1 : a > b ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__') throw new Error('a tensor can not be named __metadata__');
    const t = tensors[name]!;
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new Error(`tensor ${name}: shape ${t.shape.join('x')} needs ${count} values, has ${t.data.length}`);
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    header[name] = { dtype: TO_ST[t.dtype], shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  const json = JSON.stringify(header);
  const enc = new TextEncoder();
  let jsonBytes = enc.encode(json);
  const pad = (8 - (jsonBytes.length % 8)) % 8;
  if (pad) jsonBytes = enc.encode(json + ' '.repeat(pad));
  const head = new Uint8Array(8 + jsonBytes.length);
  new DataView(head.buffer).setBigUint64(0, BigInt(jsonBytes.length), true);
  head.set(jsonBytes, 8);
  return { head, chunks, byteLength: head.length + offset };
}

export interface DecodedSafetensors {
  tensors: Record<string, TensorData>;
  metadata: Record<string, string>;
}

/** Reads a whole file's bytes. Tensor arrays view `bytes` where aligned, else copy. */
export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  if (bytes.length < 8) throw new Error('safetensors: file too short');
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (n > MAX_HEADER || 8 + n > bytes.length) throw new Error('safetensors: bad header length');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const tensors: Record<string, TensorData> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = raw as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const dtype = FROM_ST[e.dtype];
    if (!dtype) throw new Error(`safetensors: unsupported dtype ${e.dtype} for ${name}`);
    const [begin, end] = e.data_offsets;
    if (!(begin >= 0 && end >= begin && end <= dataLen)) throw new Error(`safetensors: bad offsets for ${name}`);
    const size = ELEM[dtype];
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * size) throw new Error(`safetensors: ${name} has ${end - begin} bytes, shape needs ${count * size}`);
    let at = bytes.byteOffset + dataStart + begin;
    let buffer = bytes.buffer as ArrayBuffer;
    if (at % size !== 0) {
      buffer = bytes.slice(dataStart + begin, dataStart + end).buffer as ArrayBuffer;
      at = 0;
    }
    tensors[name] = { dtype, shape: e.shape, data: view(dtype, buffer, at, count) };
  }
  return { tensors, metadata };
}

function view(dtype: DType, buffer: ArrayBuffer, at: number, count: number): TensorData['data'] {
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer, at, count);
    case 'float16':
      return new Uint16Array(buffer, at, count);
    case 'uint8':
      return new Uint8Array(buffer, at, count);
    case 'int32':
      return new Int32Array(buffer, at, count);
    case 'int64':
      return new BigInt64Array(buffer, at, count);
  }
}
