import { describe, expect, it } from 'vitest';
import { orderIssues } from './ordered-fields.js';

const schema = {
  type: 'object',
  properties: {
    moves: {
      type: 'array',
      items: {
        type: 'object',
        properties: { start: { type: 'number', default: 0 }, end: { type: 'number', default: 1 } },
        'x-ordered': [{ earlier: 'start', later: 'end', message: 'end must not be before start' }],
      },
    },
  },
};

describe('orderIssues', () => {
  it('refuses an end before its start, at the later field, with the schema’s words', () => {
    const moves = [
      { start: 0.2, end: 0.8 },
      { start: 0.6, end: 0.3 },
    ];
    expect(orderIssues(schema, { moves })).toEqual([{ path: 'moves.1.end', message: 'end must not be before start' }]);
  });

  it('takes a left-out field at its default, and accepts equal times', () => {
    expect(orderIssues(schema, { moves: [{ start: 0.5 }, { end: 0 }, { start: 0.4, end: 0.4 }] })).toEqual([]);
    expect(orderIssues(schema, { moves: [{ start: 1, end: 0.99 }] })).toHaveLength(1);
  });

  it('ignores schemas without the rule and values of other shapes', () => {
    expect(orderIssues({ type: 'object' }, { start: 1, end: 0 })).toEqual([]);
    expect(orderIssues(schema, { moves: 'none' })).toEqual([]);
    expect(orderIssues(schema, null)).toEqual([]);
  });
});
