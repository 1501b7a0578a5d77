import type { EngineEvent } from '@kinegraph/graph-core';

/** An engine event as one JSON line; preview pictures are replaced by their size (bytes don't belong in a log). */
export function eventJsonLine(e: EngineEvent): string {
  if (e.type === 'preview') {
    const { data, ...image } = e.image;
    return JSON.stringify({ ...e, image: { ...image, bytes: data.byteLength } });
  }
  return JSON.stringify(e);
}
