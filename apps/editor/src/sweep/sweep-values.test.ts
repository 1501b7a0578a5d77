import { describe, expect, it } from 'vitest';
import type { ParamHint } from '../api/types.js';
import { eachPattern, initialText, planSweep, sweepAxis, sweepStyle, type SweepDraft } from './sweep-values.js';

const seed: ParamHint = { widget: 'seed', role: 'seed', min: 0 } as ParamHint;
const steps: ParamHint = { widget: 'number', min: 1, max: 50 } as ParamHint;
const motion: ParamHint = { widget: 'choice', choices: ['low', 'medium', 'high'] } as ParamHint;
const prompt: ParamHint = { widget: 'multiline' } as ParamHint;
const image: ParamHint = { widget: 'image-upload', role: 'file' } as ParamHint;

const sweep = (nodeId: string, param: string, text: string): SweepDraft => ({ nodeId, param, kind: 'sweep', text });

describe('editor sweeps', () => {
  it('picks how a parameter is swept from its widget, and starts from its value', () => {
    expect([seed, steps, motion, prompt, image, { widget: 'toggle' } as ParamHint].map(sweepStyle)).toEqual([
      'number',
      'number',
      'choice',
      'lines',
      'each',
      undefined,
    ]);
    expect(initialText(seed, 42)).toBe('42..44');
    expect(initialText(motion, 'low')).toBe('low, medium, high');
  });

  it('reads ranges, lists and one text a line, and says what is wrong', () => {
    const r = sweepAxis(sweep('d', 'seed', '1..3') as never, seed);
    expect(r.ok && r.axis.values).toEqual([1, 2, 3]);
    expect(r.ok && r.request).toBe('d.seed=1..3');
    const list = sweepAxis(sweep('d', 'steps', '4, 8\n12') as never, steps);
    expect(list.ok && list.request).toBe('d.steps=4,8,12');
    expect(sweepAxis(sweep('d', 'steps', '4, 80') as never, steps)).toEqual({ ok: false, message: '80 is outside 1..50' });
    expect(sweepAxis(sweep('d', 'steps', '4, x') as never, steps)).toEqual({ ok: false, message: '"x" is not a number' });
    expect(sweepAxis(sweep('d', 'motion', 'low, wild') as never, motion)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/"wild" is not one of/),
    });
    // Text keeps its commas: sent as the values themselves.
    const text = sweepAxis(sweep('p', 'text', 'slow push in, waves\n\n  pan left  ') as never, prompt);
    expect(text.ok && text.request).toEqual({ param: 'p.text', values: ['slow push in, waves', 'pan left'] });
  });

  it('turns picked files into one each pattern of their folder', () => {
    expect(eachPattern({ nodeId: 'image', param: 'image', kind: 'each', files: ['b.jpg', 'a.jpg', 'a.jpg'] })).toEqual({
      ok: true,
      pattern: 'image.image={a.jpg,b.jpg}',
      files: ['a.jpg', 'b.jpg'],
    });
    expect(eachPattern({ nodeId: 'image', param: 'image', kind: 'each', files: ['assets/x.jpg'] })).toMatchObject({
      ok: true,
      pattern: 'image.image=assets/{x.jpg}',
    });
    expect(eachPattern({ nodeId: 'image', param: 'image', kind: 'each', files: ['assets/x.jpg', 'y.jpg'] })).toMatchObject({ ok: false });
    expect(eachPattern({ nodeId: 'image', param: 'image', kind: 'each', files: [] })).toMatchObject({ ok: false });
  });

  it('counts the runs: every combination, or zipped position by position', () => {
    const hints: Record<string, ParamHint> = { seed, motion, image };
    const drafts: SweepDraft[] = [
      sweep('d', 'seed', '1..3'),
      sweep('d', 'motion', 'low,high,medium'),
      { nodeId: 'i', param: 'image', kind: 'each', files: ['a.jpg', 'b.jpg', 'c.jpg'] },
    ];
    const plan = planSweep(drafts, (d) => hints[d.param], false);
    expect(plan).toMatchObject({
      ok: true,
      count: 27,
      body: { sweep: ['d.seed=1..3', 'd.motion=low,high,medium'], each: ['i.image={a.jpg,b.jpg,c.jpg}'] },
    });
    expect(planSweep(drafts, (d) => hints[d.param], true)).toMatchObject({ ok: true, count: 3, body: { zip: true } });
    expect(planSweep(drafts.slice(0, 1).concat(sweep('d', 'motion', 'low')), (d) => hints[d.param], true)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/same number of values/),
    });
    // A sweep whose node is gone is left out.
    expect(planSweep(drafts, (d) => (d.param === 'seed' ? seed : undefined), false)).toMatchObject({ ok: true, count: 3 });
    expect(planSweep([], () => seed, false)).toEqual({ ok: true, count: 1, body: {}, labels: [] });
  });
});
