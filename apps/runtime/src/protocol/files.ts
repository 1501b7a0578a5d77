import { z } from 'zod';

export const FileFolderSchema = z.enum(['input', 'output', 'temp']);
export type FileFolder = z.infer<typeof FileFolderSchema>;

export const UploadKindSchema = z.enum(['image', 'audio', 'video', 'workflow']);
export type UploadKind = z.infer<typeof UploadKindSchema>;

/** POST /api/uploads?kind=...&filename=... (the body is the raw file). */
export const UploadQuerySchema = z.object({
  kind: UploadKindSchema,
  /** The user's file name; only used to make a readable stored name. */
  filename: z.string().min(1).max(255).optional(),
});
export type UploadQuery = z.infer<typeof UploadQuerySchema>;

export const UploadResponseSchema = z.object({
  /** Stored name inside the input folder: pass it to a node's file parameter. */
  name: z.string(),
  kind: UploadKindSchema,
  mime: z.string(),
  size: z.number().int(),
  url: z.string(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
});
export type UploadResponse = z.infer<typeof UploadResponseSchema>;

/** Builds the URL of a stored file (token appended by the client when one is set). */
export function fileUrl(folder: FileFolder, name: string): string {
  return `/files/${folder}/${encodeURIComponent(name)}`;
}
