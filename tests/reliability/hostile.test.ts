import { describe, expect, it } from 'vitest';
import { runHostilePass } from './hostile/hostile-pass.js';

/** The short hostile-files pass: every 6th file of each kind (the long one, all of them, is `npm run test:reliability`). */
describe('hostile files through upload and every loader node', () => {
  it(
    'each gets its specific refusal (or loads, where its bytes are fine), no 500, nothing outside read, RSS bounded',
    { timeout: 240_000 },
    async () => {
      const r = await runHostilePass({ every: 6, maxPeakRssMb: 900 });
      expect(r.failures).toEqual([]);
      expect(r.files).toBeGreaterThanOrEqual(25);
      expect(Object.keys(r.byCategory)).toHaveLength(11);
      expect(r.uploads.answers500).toBe(0);
      expect(r.uploads.refused).toBeGreaterThan(12);
      expect(r.loads.tried).toBe(r.files * 3);
      expect(r.secretLeaked).toBe(false);
    },
  );
});
