import path from 'node:path';
import { z } from 'zod';

/**
 * Where a run found its relative input files, kept in the workflow's `meta` so the copy embedded in an
 * output file says it too: each folder relative to the folder the output was written to, with '/'
 * separators. Relative, so the record still holds when the whole tree moves, and no absolute path (the
 * machine's layout from its root) goes into a file one may share. `kinegraph run <that file>` looks there,
 * so a video made from `workflows/assets/evening-glow.jpg` into `out/` reruns as it is.
 */
export const INPUT_FOLDERS_KEY = 'inputFolders';

const InputFoldersSchema = z
  .array(
    z
      .string()
      .min(1)
      .max(4096)
      .regex(/^[^\x00-\x1f\x7f]*$/),
  )
  .max(16);

/** The document with `meta.inputFolders` set to these folders (relative to `outputDir`), or removed when none. */
export function withInputFolders<T>(doc: T, folders: string[], outputDir: string): T {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return doc;
  const relative = [...new Set(folders.map((f) => path.relative(outputDir, f).split(path.sep).join('/') || '.'))].slice(0, 16);
  const d = doc as Record<string, unknown>;
  const meta = typeof d.meta === 'object' && d.meta !== null && !Array.isArray(d.meta) ? { ...(d.meta as Record<string, unknown>) } : {};
  if (relative.length) meta[INPUT_FOLDERS_KEY] = relative;
  else delete meta[INPUT_FOLDERS_KEY];
  const out: Record<string, unknown> = { ...d };
  if (Object.keys(meta).length) out.meta = meta;
  else delete out.meta;
  return out as T;
}

/** The recorded folders as absolute paths, resolved against the folder of the file that carried them; [] when none or malformed. */
export function recordedInputFolders(doc: unknown, fileDir: string): string[] {
  const meta = (doc as { meta?: Record<string, unknown> } | null)?.meta;
  const parsed = InputFoldersSchema.safeParse(meta?.[INPUT_FOLDERS_KEY]);
  return parsed.success ? parsed.data.map((f) => path.resolve(fileDir, f)) : [];
}
