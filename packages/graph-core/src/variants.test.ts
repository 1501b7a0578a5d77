import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode } from './node-definition.js';
import { NodeRegistry } from './registry.js';
import {
  applyVariant,
  expandVariants,
  parseEach,
  parseSweep,
  variantLabel,
  variantParams,
  variantSuffix,
  VariantSyntaxError,
} from './variants.js';

describe('parseSweep', () => {
  it('reads ranges (both directions, with a step), lists and @files', () => {
    expect(parseSweep('denoise.seed=1..4')).toEqual({ nodeId: 'denoise', param: 'seed', kind: 'sweep', values: [1, 2, 3, 4] });
    expect(parseSweep('d.seed=3..1').values).toEqual([3, 2, 1]);
    expect(parseSweep('d.seed=0..10:5').values).toEqual([0, 5, 10]);
    expect(parseSweep('a.b.motion=low, medium,high')).toMatchObject({ nodeId: 'a.b', param: 'motion', values: ['low', 'medium', 'high'] });
    const files: Record<string, string> = { 'p.txt': 'a cat, walking\n\n# skipped\n  a dog  \n' };
    expect(parseSweep('prompt.text=@p.txt', { readList: (n) => files[n] }).values).toEqual(['a cat, walking', 'a dog']);
  });

  it('refuses bad syntax with messages that say what to write', () => {
    const msg = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(VariantSyntaxError);
        return (e as Error).message;
      }
      throw new Error('did not throw');
    };
    expect(msg(() => parseSweep('seed=1..2'))).toMatch(/should look like <nodeId>\.<param>=<values>/);
    expect(msg(() => parseSweep('d.seed'))).toMatch(/should look like/);
    expect(msg(() => parseSweep('d.seed=1.5..3'))).toMatch(/two whole numbers like 1\.\.8/);
    expect(msg(() => parseSweep('d.seed=1..9:0'))).toMatch(/step after ':' must be 1 or more/);
    expect(msg(() => parseSweep('d.seed=1..100000'))).toMatch(/at most 10000 values/);
    expect(msg(() => parseSweep('d.m=a,,b'))).toMatch(/empty value in the list/);
    expect(msg(() => parseSweep('p.text=@x.txt'))).toMatch(/read by the command line only/);
    expect(msg(() => parseSweep('p.text=@x.txt', { readList: () => '\n# only\n' }))).toMatch(/x\.txt holds no values/);
    expect(msg(() => parseEach('image.image='))).toMatch(/give a file pattern/);
    expect(msg(() => expandVariants([parseSweep('d.seed=1..2'), parseSweep('d.seed=5,6')]))).toMatch(/d\.seed is swept twice/);
    expect(msg(() => expandVariants([parseSweep('d.seed=1..2'), parseSweep('d.m=a,b,c')], { zip: true }))).toMatch(
      /same number of values on every axis \(d\.seed: 2, d\.m: 3\)/,
    );
    expect(msg(() => expandVariants([parseSweep('a.x=1..100'), parseSweep('a.y=1..100')]))).toMatch(
      /100 x 100 = 10000 variants; at most 1000/,
    );
  });
});

describe('expandVariants', () => {
  it('is cartesian with the first axis changing slowest', () => {
    const vs = expandVariants([parseSweep('d.seed=1..2'), parseSweep('d.motion=low,high')]);
    expect(vs.map(variantParams)).toEqual([
      { 'd.seed': 1, 'd.motion': 'low' },
      { 'd.seed': 1, 'd.motion': 'high' },
      { 'd.seed': 2, 'd.motion': 'low' },
      { 'd.seed': 2, 'd.motion': 'high' },
    ]);
    expect(vs.map((v) => v.index)).toEqual([0, 1, 2, 3]);
  });

  it('zips position by position', () => {
    const vs = expandVariants([parseSweep('d.seed=1..3'), parseSweep('d.motion=low,medium,high')], { zip: true });
    expect(vs.map(variantLabel)).toEqual(['seed=1, motion=low', 'seed=2, motion=medium', 'seed=3, motion=high']);
  });

  it('gives one empty variant without axes', () => {
    expect(expandVariants([])).toEqual([{ index: 0, settings: [] }]);
  });

  it('names files by base name and keeps suffixes file-name safe', () => {
    const each = { nodeId: 'image', param: 'image', kind: 'each' as const, values: ['photos/b each.jpg'] };
    const [v] = expandVariants([each, parseSweep('p.text=a "cat"/dog')]);
    expect(variantSuffix(v)).toBe('image-b-each_text-a-cat-dog');
    expect(variantLabel(v)).toBe('image=b each, text=a "cat"/dog');
  });
});

describe('applyVariant', () => {
  const base = { category: 'test', title: 'T', description: 'test', version: 1, cache: 'pure' as const };
  const registry = new NodeRegistry();
  registry.register(
    defineNode({
      ...base,
      type: 'Gen',
      inputs: {},
      outputs: { n: { type: 'INT' } },
      params: { seed: z.number().int().default(0), text: z.string().default('') },
      execute: (_ctx, _in, params) => ({ n: params.seed }),
    }),
  );
  registry.register(
    defineNode({
      ...base,
      type: 'Out',
      isOutput: true,
      inputs: { n: { type: 'INT' } },
      outputs: {},
      params: { filename_prefix: z.string().default('kg') },
      execute: () => ({}),
    }),
  );
  const doc = {
    format: 'kinegraph.workflow',
    version: 1,
    meta: { name: 'W' },
    nodes: { gen: { type: 'Gen', params: { seed: 0 } }, out: { type: 'Out', params: {}, inputs: { n: ['gen', 'n'] } } },
  };

  it('sets values, suffixes output prefixes, records meta.variant and leaves the input alone', () => {
    const [v] = expandVariants([parseSweep('gen.seed=7..7'), parseSweep('gen.text=42')]);
    const r = applyVariant(doc, v, registry);
    expect(r.problems).toEqual([]);
    const out = r.doc as typeof doc & { nodes: { gen: { params: Record<string, unknown> }; out: { params: Record<string, unknown> } } };
    expect(out.nodes.gen.params).toEqual({ seed: 7, text: '42' }); // text wins for a string parameter
    expect(out.nodes.out.params.filename_prefix).toBe('kg_seed-7_text-42');
    expect(out.meta).toEqual({ name: 'W', variant: { 'gen.seed': 7, 'gen.text': '42' } });
    expect(r.params).toEqual({ 'gen.seed': 7, 'gen.text': '42' });
    const listed = applyVariant(doc, expandVariants([parseSweep('gen.seed=3,4')])[1], registry);
    expect(listed.params).toEqual({ 'gen.seed': 4 }); // a list's text, as the number the parameter takes
    expect(doc.nodes.gen.params).toEqual({ seed: 0 });
  });

  it('reports unknown nodes and parameters naming what exists', () => {
    const [v] = expandVariants([parseSweep('ghost.seed=1,2'), parseSweep('gen.colour=red')]);
    const r = applyVariant(doc, v, registry);
    expect(r.problems.map((p) => p.message)).toEqual([
      '--sweep: no node "ghost" in the workflow (nodes: gen, out)',
      '--sweep: Gen has no parameter "colour" (parameters: seed, text)',
    ]);
  });
});
