import { describe, expect, it } from 'vitest';
import { defineNode } from './node-definition.js';
import { p, paramsWithRole } from './param-hints.js';
import { NodeRegistry } from './registry.js';

const node = (cache: 'seeded' | 'pure', params: Record<string, ReturnType<typeof p.int>>) =>
  defineNode({
    type: `T${Object.keys(params).join('')}${cache}`,
    category: 't',
    title: 'T',
    description: '',
    version: 1,
    inputs: {},
    outputs: {},
    params,
    cache,
    execute: () => ({}),
  });

describe('parameter roles', () => {
  it('come from the builders, whatever the widget', () => {
    const params = {
      seed: p.seed(),
      photo: p.file({ accept: 'image' }),
      clip: p.file({ accept: 'any' }),
      model: p.model({ kind: 'video', default: 'm' }),
      steps: p.int({ default: 1 }),
    };
    expect([paramsWithRole(params, 'seed'), paramsWithRole(params, 'file'), paramsWithRole(params, 'model')]).toEqual([
      ['seed'],
      ['photo', 'clip'],
      ['model'],
    ]);
  });

  it("make 'seeded' mean something: a node cached so must have a seed", () => {
    expect(() => new NodeRegistry([node('seeded', { steps: p.int({ default: 1 }) })])).toThrow(/no seed parameter/);
    expect(() => new NodeRegistry([node('seeded', { noise: p.seed() })])).not.toThrow();
  });
});
