import { describe, expect, it } from 'vitest';
import { reportTable, runWorkflowFuzz } from './fuzz/workflow-fuzz.js';

/** The short fuzz pass (the long one, 10,000 documents, is `npm run test:reliability`). */
describe('fuzzed workflow documents', () => {
  it('never get a 500, never lose an accepted run, leave the server healthy', { timeout: 240_000 }, async () => {
    const r = await runWorkflowFuzz({ count: 300, seed: 7 });
    expect(r.failures, reportTable(r)).toEqual([]);
    expect(r.documents).toBe(300);
    expect(r.http.answers500).toBe(0);
    expect(r.http.lost).toBe(0);
    expect(r.http.accepted).toBeGreaterThan(0);
    expect(r.http.byStatus['413']).toBeGreaterThan(0);
    expect(r.validator.threw).toBe(0);
    expect(r.validator.maxIssues).toBeLessThanOrEqual(100);
    expect(r.http.queueFileParseable && r.http.healthyAfter).toBe(true);
  });
});
