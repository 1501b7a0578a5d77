import { describe, expect, it } from 'vitest';
import { sampleWorkflow, schemaMap } from '../test-fixtures.js';
import { checkConnection, createsCycle, socketsCompatible, typesAccepting, typesProducing } from './compat.js';

describe('connection checks', () => {
  it('follows graph-core rules: same type, ANY, INT widens to FLOAT', () => {
    expect(socketsCompatible('IMAGE', 'IMAGE')).toBe(true);
    expect(socketsCompatible('ANY', 'LATENT')).toBe(true);
    expect(socketsCompatible('INT', 'FLOAT')).toBe(true);
    expect(socketsCompatible('FLOAT', 'INT')).toBe(false);
  });

  it('refuses a type mismatch with a reason naming both types', () => {
    const r = checkConnection(schemaMap, sampleWorkflow(), { source: '1', sourceHandle: 'image', target: '4', targetHandle: 'latent' });
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/IMAGE.*LATENT/) });
  });

  it('accepts a link into a parameter that can be a socket (INT output into FLOAT param)', () => {
    const r = checkConnection(schemaMap, sampleWorkflow(), { source: '1', sourceHandle: 'width', target: '2', targetHandle: 'scale' });
    expect(r.ok).toBe(true);
  });

  it('refuses cycles and self links', () => {
    const doc = sampleWorkflow();
    expect(createsCycle(doc, '3', '1')).toBe(true);
    expect(createsCycle(doc, '1', '3')).toBe(false);
    const self = checkConnection(schemaMap, doc, { source: '2', sourceHandle: 'image', target: '2', targetHandle: 'image' });
    expect(self.ok ? '' : self.reason).toMatch(/itself/);
  });

  it('keeps links of placeholder (unknown) nodes valid', () => {
    const doc = sampleWorkflow();
    doc.nodes['5'] = { type: 'NotInstalled', params: {}, inputs: {} };
    expect(checkConnection(schemaMap, doc, { source: '5', sourceHandle: 'out', target: '3', targetHandle: 'image' }).ok).toBe(true);
  });

  it('lists the types a dragged link can reach', () => {
    expect(
      typesAccepting(schemaMap, 'IMAGE')
        .map((x) => x.schema.type)
        .sort(),
    ).toEqual(['ResizeImage', 'SaveImage']);
    expect(typesAccepting(schemaMap, 'INT').map((x) => `${x.schema.type}.${x.input}`)).toContain('ResizeImage.width');
    expect(typesProducing(schemaMap, 'LATENT').map((x) => x.schema.type)).toEqual(['Denoise']);
  });
});
