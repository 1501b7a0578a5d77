import { describe, expect, it } from 'vitest';
import { NodeRegistry, validateWorkflow } from '@kinegraph/graph-core';
import { LoadImage } from '../image/load-image.js';
import { checkCombination, findModel, IMAGE_TO_VIDEO_MODELS, listPriceUsd, TEXT_TO_VIDEO_MODELS } from './models.js';
import { MiniMaxImageToVideo } from './minimax-image-to-video.js';
import { MiniMaxTextToVideo } from './minimax-text-to-video.js';

const i2v = (params: Record<string, unknown>, linked: string[] = []) => {
  const parsed = Object.fromEntries(Object.entries(MiniMaxImageToVideo.params).map(([k, s]) => [k, s.parse(params[k])]));
  return MiniMaxImageToVideo.checkParams!(parsed as never, new Set(linked));
};
const t2v = (params: Record<string, unknown>) => {
  const parsed = Object.fromEntries(Object.entries(MiniMaxTextToVideo.params).map(([k, s]) => [k, s.parse(params[k])]));
  return MiniMaxTextToVideo.checkParams!(parsed as never);
};

describe('MiniMax model catalogue', () => {
  it('offers the current image-to-video and text-to-video models', () => {
    expect(IMAGE_TO_VIDEO_MODELS.map((m) => m.id)).toEqual([
      'MiniMax-Hailuo-2.3',
      'MiniMax-Hailuo-2.3-Fast',
      'MiniMax-Hailuo-02',
      'I2V-01-Director',
      'I2V-01-live',
      'I2V-01',
    ]);
    expect(TEXT_TO_VIDEO_MODELS.map((m) => m.id)).toEqual(['MiniMax-Hailuo-2.3', 'MiniMax-Hailuo-02', 'T2V-01-Director', 'T2V-01']);
  });

  it('allows only the documented duration and resolution pairs', () => {
    const hailuo = findModel(IMAGE_TO_VIDEO_MODELS, 'MiniMax-Hailuo-2.3')!;
    expect(checkCombination(hailuo, '768P', 6)).toEqual([]);
    expect(checkCombination(hailuo, '768P', 10)).toEqual([]);
    expect(checkCombination(hailuo, '1080P', 6)).toEqual([]);
    expect(checkCombination(hailuo, '1080P', 10)).toEqual([
      ['duration', 'MiniMax-Hailuo-2.3 makes 10 s clips only at 768P; at 1080P it offers 6 s'],
    ]);
    expect(checkCombination(hailuo, '512P', 6)[0]![0]).toBe('resolution');
    const h02 = findModel(IMAGE_TO_VIDEO_MODELS, 'MiniMax-Hailuo-02')!;
    expect(checkCombination(h02, '512P', 10)).toEqual([]);
    const director = findModel(IMAGE_TO_VIDEO_MODELS, 'I2V-01-Director')!;
    expect(checkCombination(director, '720P', 6)).toEqual([]);
    expect(checkCombination(director, '768P', 6)).toEqual([
      ['resolution', 'I2V-01-Director does not make 768P video; it offers 720P at 6 s'],
    ]);
    // Text to video has no 512P, even for Hailuo 02.
    expect(checkCombination(findModel(TEXT_TO_VIDEO_MODELS, 'MiniMax-Hailuo-02')!, '512P', 6)[0]![0]).toBe('resolution');
  });

  it('knows a list price for every allowed combination', () => {
    for (const m of [...IMAGE_TO_VIDEO_MODELS, ...TEXT_TO_VIDEO_MODELS]) {
      for (const [res, secs] of Object.entries(m.durations))
        for (const s of secs!) expect(listPriceUsd(m, res as never, s), `${m.id} ${res} ${s}`).toBeGreaterThan(0);
    }
    expect(listPriceUsd(findModel(IMAGE_TO_VIDEO_MODELS, 'MiniMax-Hailuo-2.3')!, '768P', 6)).toBe(0.28);
  });
});

describe('validation of the MiniMax nodes', () => {
  it('refuses combinations the chosen model does not make, naming the field', () => {
    expect(i2v({})).toEqual([]);
    expect(i2v({ resolution: '1080P', duration: '10' })).toEqual([['duration', expect.stringContaining('at 1080P it offers 6 s')]]);
    expect(i2v({ model: 'I2V-01-live', resolution: '720P' })).toEqual([]);
    expect(i2v({ model: 'I2V-01-live' })).toEqual([['resolution', expect.stringContaining('offers 720P at 6 s')]]);
  });

  it('accepts a last frame only with Hailuo 02 at 768P or 1080P', () => {
    expect(i2v({ model: 'MiniMax-Hailuo-02' }, ['image', 'last_frame'])).toEqual([]);
    expect(i2v({ model: 'MiniMax-Hailuo-2.3' }, ['image', 'last_frame'])).toEqual([
      ['model', expect.stringContaining('only MiniMax-Hailuo-02 does')],
    ]);
    expect(i2v({ model: 'MiniMax-Hailuo-02', resolution: '512P' }, ['image', 'last_frame'])).toEqual([
      ['resolution', 'MiniMax-Hailuo-02 takes a last frame only at 768P or 1080P'],
    ]);
    expect(i2v({ model: 'MiniMax-Hailuo-2.3' }, ['image'])).toEqual([]);
  });

  it('text to video needs a prompt and its own model list', () => {
    expect(t2v({ prompt: 'a fox runs [Tracking shot]' })).toEqual([]);
    expect(t2v({ prompt: '  ' })).toEqual([['prompt', expect.stringContaining('needs a prompt')]]);
    expect(() => MiniMaxTextToVideo.params.model.parse('MiniMax-Hailuo-2.3-Fast')).toThrow();
    expect(() => MiniMaxImageToVideo.params.model.parse('T2V-01')).toThrow();
  });

  it('has no parameter that could hold a key', () => {
    for (const def of [MiniMaxImageToVideo, MiniMaxTextToVideo]) {
      expect(Object.keys(def.params).sort()).toEqual(['duration', 'model', 'prompt', 'prompt_optimizer', 'resolution']);
    }
  });
});

describe('validation of a whole document', () => {
  const registry = new NodeRegistry([LoadImage, MiniMaxImageToVideo]);
  const doc = (model: string, lastFrame: boolean) => ({
    format: 'kinegraph.workflow',
    version: 1,
    nodes: {
      first: { type: 'LoadImage', params: { image: 'a.jpg' } },
      last: { type: 'LoadImage', params: { image: 'b.jpg' } },
      mm: {
        type: 'MiniMaxImageToVideo',
        params: { model },
        inputs: { image: ['first', 'image'], ...(lastFrame ? { last_frame: ['last', 'image'] } : {}) },
      },
    },
  });

  it('sees which inputs are linked: a last frame is refused for a model without one', () => {
    expect(validateWorkflow(doc('MiniMax-Hailuo-02', true), registry).issues).toEqual([]);
    expect(validateWorkflow(doc('MiniMax-Hailuo-2.3', false), registry).issues).toEqual([]);
    expect(validateWorkflow(doc('MiniMax-Hailuo-2.3', true), registry).issues).toEqual([
      { code: 'invalid_param', nodeId: 'mm', field: 'model', message: expect.stringContaining('takes no last frame') },
    ]);
  });
});
