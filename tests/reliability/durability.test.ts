import { describe, expect, it } from 'vitest';
import { runDurabilityPass } from './durability/durability-pass.js';
import { SCENARIOS } from './durability/scenarios.js';

/** The short durability pass: two of the crash moments (all seven run in `npm run test:reliability`). */
describe('kill -9 at named moments', () => {
  it(
    'during 60 concurrent submissions and mid-history-write: no accepted run lost, history and cache consistent, reruns identical',
    { timeout: 240_000 },
    async () => {
      const { results } = await runDurabilityPass({ scenarios: SCENARIOS.filter((s) => /concurrent|mid-history/.test(s.name)) });
      expect(results).toHaveLength(2);
      for (const r of results) {
        expect(r.failures, r.name).toEqual([]);
        expect(r.killedBySignal).toBe(true);
        expect(r.accepted).toBeGreaterThan(0);
        expect(r.lost).toBe(0);
        expect(r.ranTwice).toBe(0);
        expect(r.historyConsistent && r.cacheConsistent && r.rerunsIdentical).toBe(true);
      }
      // The concurrent crash lands before any run starts; the history-write one cuts a run short, requeued once.
      expect(results.map((r) => r.requeued)).toEqual([0, 1]);
    },
  );
});
