import Fuse from 'fuse.js';
import type { NodeSchema } from '../api/types.js';

export interface SearchEntry {
  schema: NodeSchema;
  /** The socket a dragged link would attach to on this type (when searching from a link). */
  socket?: string;
}

/** A fuzzy index over node types: title first, then type name, category and description. */
export function buildSearchIndex(entries: SearchEntry[]): Fuse<SearchEntry> {
  return new Fuse(entries, {
    keys: [
      { name: 'schema.title', weight: 3 },
      { name: 'schema.type', weight: 2 },
      { name: 'schema.category', weight: 1 },
      { name: 'schema.description', weight: 0.5 },
    ],
    threshold: 0.4,
    ignoreLocation: true,
    includeScore: true,
  });
}

/** Results for a query; an empty query lists everything by category then title. */
export function searchNodes(index: Fuse<SearchEntry>, entries: SearchEntry[], query: string, limit = 50): SearchEntry[] {
  const q = query.trim();
  if (!q)
    return [...entries]
      .sort((a, b) => a.schema.category.localeCompare(b.schema.category) || a.schema.title.localeCompare(b.schema.title))
      .slice(0, limit);
  return index.search(q, { limit }).map((r) => r.item);
}
