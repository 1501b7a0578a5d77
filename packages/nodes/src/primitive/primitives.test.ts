import { describe, expect, it } from 'vitest';
import { createServices } from '@kinegraph/graph-core';
import { createTestCtx, runNode } from '../test-support/ctx.js';
import { Boolean_ } from './boolean.js';
import { Float } from './float.js';
import { Int } from './int.js';
import { Seed } from './seed.js';
import { String_ } from './string.js';

const ctx = () => createTestCtx(createServices([]));

describe('primitive nodes', () => {
  it('output their value, defaults filled', async () => {
    expect(await runNode(Int, ctx(), {}, { value: 42 })).toEqual({ value: 42 });
    expect(await runNode(Float, ctx(), {}, { value: 0.5 })).toEqual({ value: 0.5 });
    expect(await runNode(String_, ctx(), {}, { value: 'hi' })).toEqual({ value: 'hi' });
    expect(await runNode(Boolean_, ctx(), {}, {})).toEqual({ value: false });
    expect(await runNode(Seed, ctx(), {}, { seed: 2 ** 40 })).toEqual({ seed: 2 ** 40 });
  });
  it('reject values of the wrong kind through their schemas', async () => {
    await expect(runNode(Int, ctx(), {}, { value: 1.5 })).rejects.toThrow();
    await expect(runNode(Seed, ctx(), {}, { seed: -1 })).rejects.toThrow();
    await expect(runNode(Float, ctx(), {}, { value: 'x' })).rejects.toThrow();
  });
});
