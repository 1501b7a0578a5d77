import type { PreviewFrame } from './types.js';

const FORMATS: Record<number, string> = { 1: 'image/jpeg', 2: 'image/webp', 3: 'image/png' };

/**
 * Decodes a binary WS message: byte 0 kind (1 = preview), byte 1 format, bytes 2..3 big-endian header
 * length L, L bytes of UTF-8 JSON header, then the image bytes. Returns null for anything else.
 */
export function parsePreviewFrame(buf: ArrayBuffer): PreviewFrame | null {
  const bytes = new Uint8Array(buf);
  if (bytes.length < 4 || bytes[0] !== 1) return null;
  const mime = FORMATS[bytes[1]];
  if (!mime) return null;
  const len = (bytes[2] << 8) | bytes[3];
  if (4 + len > bytes.length) return null;
  let header: { runId?: unknown; nodeId?: unknown; width?: unknown; height?: unknown };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + len)));
  } catch {
    return null;
  }
  if (typeof header.nodeId !== 'string') return null;
  return {
    runId: String(header.runId ?? ''),
    nodeId: header.nodeId,
    width: typeof header.width === 'number' ? header.width : undefined,
    height: typeof header.height === 'number' ? header.height : undefined,
    mime,
    bytes: bytes.subarray(4 + len),
  };
}
