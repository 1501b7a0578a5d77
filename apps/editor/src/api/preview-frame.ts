import { decodePreviewFrame, type PreviewFrame } from '@kinegraph/runtime/protocol';

/** Decodes a binary socket frame with the runtime's own decoder; null for a frame this editor does not know. */
export function parsePreviewFrame(buf: ArrayBuffer): PreviewFrame | null {
  try {
    return decodePreviewFrame(buf);
  } catch {
    return null;
  }
}
