import { describe, expect, it } from 'vitest';
import { sampleWorkflow, schemaMap } from '../test-fixtures.js';
import type { ModelInfo } from '../api/types.js';
import { findMissing, isEmptyReport } from './missing.js';

const model = (id: string): ModelInfo => ({ id, kind: 'video', family: 'parallax', title: id, hash: 'h', samplers: [], schedulers: [] });

describe('missing node types and models', () => {
  it('lists unknown node types with their nodes, and models not installed', () => {
    const doc = sampleWorkflow();
    doc.nodes['9'] = { type: 'FancyUpscaler', params: { factor: 4 }, inputs: { image: ['2', 'image'] } };
    doc.nodes['4'].params.model = 'someone/else-v3';
    const r = findMissing(doc, schemaMap, [model('builtin/parallax-v1')]);
    expect(r.nodeTypes).toEqual({ FancyUpscaler: ['9'] });
    expect(r.models).toEqual({ 'someone/else-v3': ['4.model'] });
  });

  it('says nothing when all is installed', () => {
    expect(isEmptyReport(findMissing(sampleWorkflow(), schemaMap, [model('builtin/parallax-v1')]))).toBe(true);
  });
});
