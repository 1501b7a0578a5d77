import { describe, expect, it } from 'vitest';
import { createNodeRegistry } from '@kinegraph/nodes';
import { applySetOverrides, chooseSetValue, parseSetOption } from './set-overrides.js';
import { p } from '@kinegraph/graph-core';

describe('--set parsing', () => {
  it('splits at the last dot before the first =', () => {
    expect(parseSetOption('resize.width=640')).toEqual({ nodeId: 'resize', param: 'width', raw: '640' });
    expect(parseSetOption('group.a.prompt=a=b')).toEqual({ nodeId: 'group.a', param: 'prompt', raw: 'a=b' });
    expect(() => parseSetOption('nodot=1')).toThrow(/<nodeId>\.<param>=<value>/);
    expect(() => parseSetOption('a.b')).toThrow();
  });

  it('reads JSON when it parses, text otherwise, and text for text parameters', () => {
    expect(chooseSetValue('640')).toBe(640);
    expect(chooseSetValue('true')).toBe(true);
    expect(chooseSetValue('[1,2]')).toEqual([1, 2]);
    expect(chooseSetValue('slow push in')).toBe('slow push in');
    expect(chooseSetValue('42', p.string({}))).toBe('42');
    expect(chooseSetValue('42', p.int({ default: 0 }))).toBe(42);
    // A wrong value stays as given so validation reports it like the JSON file would.
    expect(chooseSetValue('"wide"', p.int({ default: 0 }))).toBe('wide');
  });

  it('applies values to a copy and replaces a link on that parameter', () => {
    const doc = {
      format: 'kinegraph.workflow',
      version: 1,
      nodes: {
        w: { type: 'Int', params: { value: 64 } },
        r: { type: 'ResizeImage', params: {}, inputs: { width: ['w', 'value'] } },
      },
    };
    const out = applySetOverrides(
      doc,
      [parseSetOption('r.width=32'), parseSetOption('r.bogus=1'), parseSetOption('x.y=1')],
      createNodeRegistry(),
    );
    expect((out.doc as typeof doc).nodes.r).toEqual({ type: 'ResizeImage', params: { width: 32 }, inputs: {} });
    expect(doc.nodes.r.params).toEqual({});
    expect(out.notes).toHaveLength(1);
    expect(out.problems.map((i) => `${i.nodeId}.${i.field ?? ''}`)).toEqual(['r.bogus', 'x.']);
  });
});
