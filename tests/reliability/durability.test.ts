import { describe, expect, it } from 'vitest';
import { runDurabilityPass } from './durability/durability-pass.js';
import { SCENARIOS } from './durability/scenarios.js';

/** The short durability pass: three of the crash moments (all of them run in `npm run test:reliability`). */
describe('kill -9 at named moments', () => {
  const short = SCENARIOS.filter((s) => /concurrent|mid-run|mid-history/.test(s.name));
  it.each(short.map((s) => [s.name, s] as const))('%s: no accepted run lost, history and cache consistent, reruns identical', { timeout: 180_000 }, async (_name, s) => {
    const { results } = await runDurabilityPass({ scenarios: [s] });
    const r = results[0]!;
    expect(r.failures).toEqual([]);
    expect(r.killedBySignal).toBe(true);
    expect(r.accepted).toBeGreaterThan(0);
    expect(r.lost).toBe(0);
    expect(r.ranTwice).toBe(0);
    expect(r.historyConsistent && r.cacheConsistent && r.rerunsIdentical).toBe(true);
    // A crash mid-run requeues the run it cut short (once); the concurrent one lands before any run starts.
    if (/mid-run|mid-history/.test(s.name)) expect(r.requeued).toBe(1);
  });
});
