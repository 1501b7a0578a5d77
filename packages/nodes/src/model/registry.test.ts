import { describe, expect, it } from 'vitest';
import { UserError } from '@kinegraph/graph-core';
import type { ModelBundle, ModelInfo, ModelProvider } from './handles.js';
import { createModelRegistry } from './registry.js';

function info(id: string): ModelInfo {
  return { id, kind: 'video', family: 'test', title: id, hash: 'h-' + id, samplers: ['euler'], schedulers: ['normal'] };
}

function provider(ids: string[], counter: { loads: number; unloads: number }): ModelProvider {
  return {
    list: async () => ids.map(info),
    load: async (id) => {
      if (!ids.includes(id)) return undefined;
      counter.loads++;
      return { model: { kind: 'model', info: info(id) } } as unknown as ModelBundle;
    },
    unloadAll: async () => {
      counter.unloads++;
    },
  };
}

describe('createModelRegistry', () => {
  it('lists the models of every provider', async () => {
    const c = { loads: 0, unloads: 0 };
    const reg = createModelRegistry([provider(['builtin/a'], c), provider(['video/b', 'video/c'], c)]);
    expect((await reg.list()).map((m) => m.id)).toEqual(['builtin/a', 'video/b', 'video/c']);
    expect((await reg.info('video/c')).hash).toBe('h-video/c');
  });

  it('loads each model once and shares the bundle until unloadAll', async () => {
    const c = { loads: 0, unloads: 0 };
    const reg = createModelRegistry([provider(['builtin/a'], c), provider(['video/b'], c)]);
    const [x, y] = await Promise.all([reg.load('video/b'), reg.load('video/b')]);
    expect(x).toBe(y);
    expect(c.loads).toBe(1);
    await reg.unloadAll();
    expect(c.unloads).toBe(2);
    await reg.load('video/b');
    expect(c.loads).toBe(2);
  });

  it('names the known models when the id is unknown', async () => {
    const c = { loads: 0, unloads: 0 };
    const reg = createModelRegistry([provider(['builtin/a', 'video/b'], c)]);
    const err = await reg.load('video/nope').catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain('video/nope');
    expect(err.message).toContain('builtin/a, video/b');
    await expect(reg.info('x')).rejects.toThrow(/Unknown model "x"/);
  });
});
