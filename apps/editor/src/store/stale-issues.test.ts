import { describe, expect, it } from 'vitest';
import { produce } from 'immer';
import { sampleWorkflow } from '../test-fixtures.js';
import { issueStands } from './stale-issues.js';

describe('issueStands', () => {
  const doc = sampleWorkflow();
  const id = Object.keys(doc.nodes)[0]!;
  const param = Object.keys(doc.nodes[id]!.params)[0] ?? 'x';

  it('a field issue goes when that field changes, and stays when another node changes', () => {
    const issue = { code: 'out_of_range', message: 'too big', nodeId: id, field: param };
    const edited = produce(doc, (d) => void (d.nodes[id]!.params[param] = 12345));
    expect(issueStands(issue, doc, edited)).toBe(false);
    const other = produce(doc, (d) => void (d.ui.nodes[id]!.x += 10));
    expect(issueStands(issue, doc, other)).toBe(true);
  });

  it('a missing-input issue goes once that input is linked; any issue goes with its node', () => {
    const issue = { code: 'missing_input', message: 'not connected', nodeId: id, field: 'image' };
    const linked = produce(doc, (d) => void (d.nodes[id]!.inputs.image = ['z', 'image']));
    expect(issueStands(issue, doc, linked)).toBe(false);
    const gone = produce(doc, (d) => void delete d.nodes[id]);
    expect(issueStands({ code: 'x', message: 'y', nodeId: id }, doc, gone)).toBe(false);
    expect(issueStands({ code: 'cycle', message: 'loop' }, doc, gone)).toBe(true);
  });
});
