import { describe, expect, it } from 'vitest';
import { testSchemas } from '../test-fixtures.js';
import { buildSearchIndex, searchNodes } from './search-index.js';

describe('node search', () => {
  const entries = testSchemas.map((schema) => ({ schema }));
  const index = buildSearchIndex(entries);

  it('finds by fuzzy title, with typos', () => {
    expect(searchNodes(index, entries, 'load img')[0]?.schema.type).toBe('LoadImage');
    expect(searchNodes(index, entries, 'denose')[0]?.schema.type).toBe('Denoise');
    expect(searchNodes(index, entries, 'resize')[0]?.schema.type).toBe('ResizeImage');
  });

  it('lists everything by category when the query is empty', () => {
    expect(searchNodes(index, entries, '').map((e) => e.schema.category)).toEqual(['audio', 'image', 'image', 'image', 'sampling']);
  });

  it('answers a query on 300 types within the 50 ms budget (median, on a busy machine)', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({
      schema: { ...testSchemas[i % testSchemas.length], type: `T${i}`, title: `Node ${i} ${testSchemas[i % 5].title}` },
    }));
    const idx = buildSearchIndex(many);
    const times: number[] = [];
    for (let i = 0; i < 21; i++) {
      const t0 = performance.now();
      searchNodes(idx, many, 'resze imag');
      times.push(performance.now() - t0);
    }
    expect(times.sort((a, b) => a - b)[10]).toBeLessThan(50);
  });
});
