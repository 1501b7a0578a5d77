import { describe, expect, it } from 'vitest';
import { sampleWorkflow, schemaMap } from '../test-fixtures.js';
import { findMissing, isEmptyReport } from './missing.js';

describe('missing node types and models', () => {
  it('lists unknown node types with their nodes, and models not installed', () => {
    const doc = sampleWorkflow();
    doc.nodes['9'] = { type: 'FancyUpscaler', params: { factor: 4 }, inputs: { image: ['2', 'image'] } };
    doc.nodes['4'].params.model = 'someone/else-v3';
    const r = findMissing(doc, schemaMap, [{ id: 'builtin/parallax-v1', kind: 'video' }]);
    expect(r.nodeTypes).toEqual({ FancyUpscaler: ['9'] });
    expect(r.models).toEqual({ 'someone/else-v3': ['4.model'] });
  });

  it('says nothing when all is installed', () => {
    expect(isEmptyReport(findMissing(sampleWorkflow(), schemaMap, [{ id: 'builtin/parallax-v1' }]))).toBe(true);
  });
});
