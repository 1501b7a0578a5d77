import { createHash } from 'node:crypto';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '@kinegraph/graph-core';
import type { z } from 'zod';
import type { ModelInfo } from '../model/handles.js';
import { ManifestSchema, type Manifest } from './manifest.js';
import { familySamplers } from './sampling/families.js';
import { schedulerNames } from './sampling/schedulers.js';

export interface ModelFolder {
  id: string;
  dir: string;
  manifest: Manifest;
  info: ModelInfo;
}

/** Folder names under video/ that may be models (no hidden folders, nothing that could escape). */
function isModelName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name);
}

export function formatZodIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

/** Reads and validates `<dir>/model.json`; every problem is a UserError naming the folder and field. */
export async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, 'model.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError(`${path.basename(dir)}: no model.json in the model folder`, 'model');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${path.basename(dir)}: model.json is not valid JSON (${(error as Error).message})`, 'model');
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) throw new UserError(`${path.basename(dir)}: model.json: ${formatZodIssues(parsed.error)}`, 'model');
  return parsed.data;
}

/** The component files a manifest names (tokenizer files included). */
export function manifestFiles(m: Manifest): string[] {
  const c = m.components;
  const files = [c.vaeEncoder.file, c.vaeDecoder.file, c.denoiser.file];
  if (c.imageEncoder) files.push(c.imageEncoder.file);
  if (c.textEncoder) {
    files.push(c.textEncoder.file, c.textEncoder.tokenizer);
    if (c.textEncoder.tokenizerConfig) files.push(c.textEncoder.tokenizerConfig);
  }
  return files;
}

const EDGE = 1 << 20;

/**
 * Content hash of a model: the manifest text, and per file its size plus its first and last MiB.
 * Reading multi-gigabyte weights in full on every listing would stall the server; a re-export that keeps
 * the size and both ends of every file identical is not a case we guard against (documented).
 */
const hashCache = new Map<string, { stamp: string; hash: string }>();

/** Size and mtime of the manifest and every file: when none changed, the last hash still holds. */
async function folderStamp(dir: string, m: Manifest): Promise<string> {
  const names = ['model.json', ...manifestFiles(m)];
  const stats = await Promise.all(names.map((n) => stat(path.join(dir, n)).catch(() => undefined)));
  return stats.map((s, i) => `${names[i]}:${s?.size ?? -1}:${s?.mtimeMs ?? 0}`).join('|');
}

export async function hashModel(dir: string, m: Manifest): Promise<string> {
  const stamp = await folderStamp(dir, m);
  const known = hashCache.get(dir);
  if (known?.stamp === stamp) return known.hash;
  const hash = await hashModelFiles(dir, m);
  hashCache.set(dir, { stamp, hash });
  return hash;
}

async function hashModelFiles(dir: string, m: Manifest): Promise<string> {
  const h = createHash('sha256');
  h.update(await readFile(path.join(dir, 'model.json')));
  for (const name of manifestFiles(m)) {
    const full = path.join(dir, name);
    const info = await stat(full).catch(() => undefined);
    h.update(`\0${name}\0${info?.size ?? -1}\0`);
    if (!info?.isFile()) continue;
    const fh = await open(full, 'r');
    try {
      const head = Buffer.alloc(Math.min(EDGE, info.size));
      await fh.read(head, 0, head.length, 0);
      h.update(head);
      if (info.size > EDGE) {
        const tail = Buffer.alloc(Math.min(EDGE, info.size - EDGE));
        await fh.read(tail, 0, tail.length, info.size - tail.length);
        h.update(tail);
      }
    } finally {
      await fh.close();
    }
  }
  return h.digest('hex').slice(0, 32);
}

export async function describeFolder(modelsDir: string, name: string): Promise<ModelFolder> {
  const dir = path.join(modelsDir, 'video', name);
  const manifest = await readManifest(dir);
  const info: ModelInfo = {
    id: `video/${name}`,
    kind: 'video',
    family: manifest.family,
    title: manifest.title,
    description: manifest.description,
    hash: await hashModel(dir, manifest),
    // Denoise's 'default' takes the first entry: the manifest's defaults come first.
    samplers: preferFirst(familySamplers(manifest.family), manifest.defaults.sampler),
    schedulers: preferFirst(schedulerNames(), manifest.defaults.scheduler ?? (manifest.family === 'edm-video' ? 'karras' : 'flow_shift')),
  };
  return { id: info.id, dir, manifest, info };
}

/** Folders under `<modelsDir>/video/` that hold a model.json. */
export async function scanModelFolders(modelsDir: string): Promise<string[]> {
  const root = path.join(modelsDir, 'video');
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const names: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || !isModelName(e.name)) continue;
    const has = await stat(path.join(root, e.name, 'model.json')).catch(() => undefined);
    if (has?.isFile()) names.push(e.name);
  }
  return names.sort();
}

function preferFirst(names: string[], first: string | undefined): string[] {
  return first && names.includes(first) ? [first, ...names.filter((n) => n !== first)] : names;
}
