import { describe, expect, it } from 'vitest';
import { describeNode } from '@kinegraph/graph-core';
import { allNodes, createNodeRegistry } from './index.js';

describe('node registry', () => {
  it('registers every node once, each describable for the editor', () => {
    const registry = createNodeRegistry();
    expect(registry.list().length).toBe(allNodes.length);
    for (const type of [
      'LoadImage',
      'ResizeImage',
      'SaveImage',
      'Int',
      'Float',
      'String',
      'Seed',
      'Boolean',
      'SaveVideo',
      'PreviewVideo',
      'LoadVideo',
      'LoadAudio',
      'SaveAudio',
      'Soundtrack',
      'UpscaleVideo',
    ]) {
      expect(registry.has(type), type).toBe(true);
    }
    for (const def of allNodes) {
      const d = describeNode(def);
      expect(d.version).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    }
  });
});
