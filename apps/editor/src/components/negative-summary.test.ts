import { describe, expect, it } from 'vitest';
import { asNegativeSummary } from './negative-summary.js';

describe('asNegativeSummary', () => {
  it('reads as things to avoid, without the positive-prompt tip', () => {
    const out = asNegativeSummary(
      'Subject action: none\nEnvironment: none\nCamera: shake 60% + zoom in 80%\nTip: write "subject action, ..."',
    );
    expect(out).toBe(
      'Negative prompt: the run steers away from these.\nAvoid subject action: none\nAvoid environment: none\nAvoid camera: shake 60% + zoom in 80%',
    );
  });
});
