import { describe, expect, it } from 'vitest';
import { runLoadPass } from './load/load-pass.js';

/**
 * The short load pass: 20 WebSocket clients (one never reads) once, 200 submissions at once, a queue limit of
 * 300 filled and refused past. The run-time ratio is only reported here (times are for `npm run
 * test:reliability`, which holds it to 10%); memory and refusals are checked.
 */
describe('load', () => {
  it(
    'clients that never read cost no memory, submissions at once are all taken, past the queue limit a clean 429',
    { timeout: 180_000 },
    async () => {
      const r = await runLoadPass({ repeats: 1, steps: 30, queueLimit: 300, maxPeakRssMb: 600 });
      expect(r.failures).toEqual([]);
      expect(r.messagesRead).toBeGreaterThan(19 * 30);
      expect(r.floodGrowthMb).toBeLessThan(150);
      expect(r.rapid).toMatchObject({ accepted: 200, answers500: 0 });
      expect(r.queued).toMatchObject({ accepted: 300, refused429: 20, answers500: 0 });
    },
  );
});
