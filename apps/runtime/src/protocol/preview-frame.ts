import { z } from 'zod';

/**
 * Binary WebSocket frames carry preview pictures without base64:
 *   byte 0     kind (1 = preview)
 *   byte 1     format (1 = jpeg, 2 = webp, 3 = png)
 *   bytes 2..3 uint16 big-endian length L of a UTF-8 JSON header { runId, nodeId, width, height }
 *   L bytes    header
 *   rest       the encoded image
 * Browser-safe: Uint8Array, DataView and TextEncoder only.
 */
export const BinaryKind = { preview: 1 } as const;
export const PreviewFormat = { jpeg: 1, webp: 2, png: 3 } as const;
export type PreviewMime = 'image/jpeg' | 'image/webp' | 'image/png';

const MIME_TO_FORMAT: Record<PreviewMime, number> = { 'image/jpeg': 1, 'image/webp': 2, 'image/png': 3 };
const FORMAT_TO_MIME: Record<number, PreviewMime> = { 1: 'image/jpeg', 2: 'image/webp', 3: 'image/png' };

export const PreviewHeaderSchema = z.object({
  runId: z.string(),
  nodeId: z.string(),
  width: z.number().optional(),
  height: z.number().optional(),
  /** Live motion preview frames (preview-session.ts): the session, its edit and the frame index. */
  preview: z.object({ session: z.string(), generation: z.number().int(), frame: z.number().int() }).optional(),
});
export type PreviewHeader = z.infer<typeof PreviewHeaderSchema>;

export interface PreviewFrame {
  header: PreviewHeader;
  mime: PreviewMime;
  image: Uint8Array;
}

export function encodePreviewFrame(header: PreviewHeader, mime: PreviewMime, image: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  if (json.length > 0xffff) throw new Error('preview header too long');
  const out = new Uint8Array(4 + json.length + image.length);
  out[0] = BinaryKind.preview;
  out[1] = MIME_TO_FORMAT[mime];
  new DataView(out.buffer).setUint16(2, json.length, false);
  out.set(json, 4);
  out.set(image, 4 + json.length);
  return out;
}

/** Decodes a binary frame; throws on a malformed or unknown frame. */
export function decodePreviewFrame(frame: Uint8Array | ArrayBuffer): PreviewFrame {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.length < 4) throw new Error('binary frame too short');
  if (bytes[0] !== BinaryKind.preview) throw new Error(`unknown binary frame kind ${bytes[0]}`);
  const mime = FORMAT_TO_MIME[bytes[1]!];
  if (!mime) throw new Error(`unknown preview format ${bytes[1]}`);
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(2, false);
  if (4 + len > bytes.length) throw new Error('preview header overruns the frame');
  const header = PreviewHeaderSchema.parse(JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + len))));
  return { header, mime, image: bytes.subarray(4 + len) };
}
