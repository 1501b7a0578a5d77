import { describe, expect, it } from 'vitest';
import { relieveMemoryPressure } from './memory-pressure.js';

describe('relieveMemoryPressure', () => {
  it('unloads models and empties the memory tier only when free memory is short', async () => {
    const calls: string[] = [];
    const o = {
      unloadModels: async () => void calls.push('unload'),
      clearMemoryCache: async () => void calls.push('clear'),
      log: (m: string) => calls.push(m),
    };
    expect(await relieveMemoryPressure({ ...o, freeShare: () => 0.5 })).toBe(false);
    expect(calls).toEqual([]);
    expect(await relieveMemoryPressure({ ...o, freeShare: () => 0.04 })).toBe(true);
    expect(calls).toEqual([expect.stringMatching(/4\.0% free/), 'unload', 'clear']);
  });
});
