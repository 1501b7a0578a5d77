import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { codecById, codecForValue, type CodecStore, type StoredValue, type TensorData } from '@kinegraph/graph-core';
import '@kinegraph/nodes'; // registers the node library's codecs
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

export type { StoredValue };

/**
 * How one output value is kept on disk: JSON inside the entry, or the codec its socket type registered
 * (see packages/nodes/src/codecs). Values of a type without a codec (model handles, cameras with their
 * sampling function) are not stored: the result is then skipped. `socketType`: the output's declared type.
 */
export async function encodeValue(value: unknown, dir: string, name: string, socketType?: string): Promise<StoredValue | undefined> {
  if (isJsonValue(value, 0)) return { codec: 'json', value };
  const codec = codecForValue(value, socketType);
  return codec ? codec.encode(value, folderStore(dir), name) : undefined;
}

export async function decodeValue(stored: StoredValue, dir: string): Promise<unknown> {
  if (stored.codec === 'json') return stored.value;
  const codec = codecById(stored.codec);
  if (!codec) throw new Error(`no codec "${stored.codec}" for a cached value`);
  return codec.decode(stored, folderStore(dir));
}

/** One cache entry's folder, as the codecs see it. */
function folderStore(dir: string): CodecStore {
  return {
    writeTensors: (file, tensors, metadata) => writeSafetensors(path.join(dir, file), tensors, metadata),
    readTensors: async (file) => decodeSafetensors(await readFile(path.join(dir, file))),
    async writeBytes(file, bytes) {
      await writeFile(path.join(dir, file), bytes);
      return bytes.byteLength;
    },
    readBytes: async (file) => readFile(path.join(dir, file)),
  };
}

function isJsonValue(v: unknown, depth: number): boolean {
  if (depth > 32) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.length <= 100_000 && v.every((x) => isJsonValue(x, depth + 1));
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.values(v as Record<string, unknown>).every((x) => isJsonValue(x, depth + 1));
  }
  return false;
}

async function writeSafetensors(file: string, tensors: Record<string, TensorData>, metadata: Record<string, string>): Promise<number> {
  const parts = encodeSafetensors(tensors, metadata);
  // Streamed chunk by chunk: a 100 MB latent is never copied into one more buffer.
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(file);
    out.on('error', reject);
    out.on('finish', resolve);
    out.write(parts.head);
    for (const c of parts.chunks) out.write(c);
    out.end();
  });
  return parts.byteLength;
}
