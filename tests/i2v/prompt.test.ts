import { describe, expect, it } from 'vitest';
import { createServices } from '@kinegraph/graph-core';
import { parsePrompt } from '../../packages/nodes/src/i2v/parallax/prompt/parse-prompt.js';
import { guide, toVector, ambientFrom, cameraMovesFrom } from '../../packages/nodes/src/i2v/parallax/motion/guidance.js';
import { EncodePrompt } from '../../packages/nodes/src/i2v/conditioning/EncodePrompt.js';
import { parallaxTextEncoder } from '../../packages/nodes/src/i2v/parallax/text-encoder.js';
import { createTestCtx, runNode } from '../../packages/nodes/src/test-support/ctx.js';

const cmds = (t: string) => parsePrompt(t).camera.map((c) => c.command);
const env = (t: string) => parsePrompt(t).environment.map((e) => e.kind);

describe('prompt parser: camera', () => {
  it.each([
    ['pan left', 'pan_left'],
    ['the camera pans to the right', 'pan_right'],
    ['tilt up', 'tilt_up'],
    ['tilting down slowly', 'tilt_down'],
    ['zoom in', 'zoom_in'],
    ['zooms out', 'zoom_out'],
    ['slow push in', 'push_in'],
    ['dolly in', 'push_in'],
    ['pull out', 'pull_out'],
    ['pull back', 'pull_out'],
    ['truck left', 'truck_left'],
    ['tracking right', 'truck_right'],
    ['camera moves left', 'truck_left'],
    ['pedestal up', 'pedestal_up'],
    ['pedestal down', 'pedestal_down'],
    ['crane up', 'crane_up'],
    ['boom down', 'crane_down'],
    ['orbit left around the subject', 'orbit_left'],
    ['arc right', 'orbit_right'],
    ['handheld', 'handheld'],
    ['shaky cam', 'handheld'],
    ['static camera', 'static'],
    ['locked-off shot', 'static'],
  ])('"%s" → %s', (text, cmd) => {
    expect(cmds(text)).toEqual([cmd]);
  });

  it('reads MiniMax Director brackets as camera commands', () => {
    const p = parsePrompt('[Pan left, Zoom in] a quiet harbour at dusk');
    expect(p.camera.map((c) => c.command)).toEqual(['pan_left', 'zoom_in']);
    expect(p.ignored).toEqual(['quiet', 'harbour', 'dusk']);
  });

  it('speed words scale intensity', () => {
    const k = (t: string) => parsePrompt(t).camera[0].intensity;
    expect(k('very slow pan left')).toBeLessThan(k('slow pan left'));
    expect(k('slow pan left')).toBeLessThan(k('pan left'));
    expect(k('pan left')).toBeLessThan(k('fast pan left'));
    expect(k('fast pan left')).toBeLessThan(k('dramatic pan left'));
    expect(k('dramatic pan left')).toBeLessThanOrEqual(1);
  });
});

describe('prompt parser: environment and subject', () => {
  it('parses the default prompt completely', () => {
    const p = parsePrompt('slow push in, the waves roll in softly, clouds drift to the left');
    expect(p.camera.map((c) => c.command)).toEqual(['push_in']);
    expect(p.environment.map((e) => [e.kind, e.direction])).toEqual([
      ['waves', 'toward'],
      ['clouds', 'left'],
    ]);
    expect(p.environment[0].intensity).toBeLessThan(0.5); // softly
    expect(p.ignored).toEqual([]);
  });

  it.each([
    ['wind in the grass', 'wind'],
    ['leaves rustle in the breeze', 'wind'],
    ['the trees sway', 'wind'],
    ['ripples on the lake', 'ripples'],
    ['a river flows past', 'flow'],
    ['waterfall', 'flow'],
    ['clouds drifting by', 'clouds'],
    ['mist rising from the water', 'mist'],
    ['smoke curls upward', 'mist'],
    ['rain falling', 'rain'],
    ['snow falls gently', 'snow'],
    ['sunlight shimmering on the water', 'shimmer'],
  ])('"%s" → %s', (text, kind) => {
    expect(env(text)).toContain(kind);
  });

  it('directions attach to the motion of their clause', () => {
    const p = parsePrompt('clouds drift to the right, wind blowing left through the grass');
    expect(p.environment.find((e) => e.kind === 'clouds')?.direction).toBe('right');
    expect(parsePrompt('clouds move upwards').environment[0].direction).toBe('up');
    expect(parsePrompt('mist rising').environment[0].direction).toBe('up');
  });

  it('subject micro-motion', () => {
    const p = parsePrompt('she breathes slowly, her hair blowing, the boat sways');
    expect(p.subject.map((s) => s.kind)).toEqual(['breathing', 'hair', 'sway']);
    expect(p.subject[0].intensity).toBeLessThan(0.5);
  });

  it('reports ignored words and keeps quality words apart', () => {
    const p = parsePrompt('purple elephant dancing, blurry, low quality');
    expect(p.ignored).toEqual(['purple', 'elephant', 'dancing']);
    expect(p.quality).toEqual(['blurry', 'low', 'quality']);
    expect(p.camera).toEqual([]);
  });

  it('lists ignored words in any script, accents kept whole', () => {
    expect(parsePrompt('夕焼け 海, Möwe fliegt').ignored).toEqual(['夕焼け', '海', 'möwe', 'fliegt']);
  });

  it('names camera moves that cancel each other', () => {
    expect(parsePrompt('zoom in, zoom out, pan left').conflicts).toEqual(['zoom in / zoom out']);
    expect(parsePrompt('[Pan left, Pan right], tilt up').conflicts).toEqual(['pan left / pan right']);
    expect(parsePrompt('slow push in, clouds drift').conflicts).toBeUndefined();
  });
});

describe('guidance', () => {
  it('motion = uncond + cfg × (cond − uncond), clamped at 0', () => {
    const pos = toVector(parsePrompt('waves roll in, pan left'));
    const neg = toVector(parsePrompt('waves, fast zoom in'));
    const g1 = guide(pos, neg, 1);
    expect(g1).toMatchObject({ 'env:waves': pos['env:waves'], 'camera:pan_left': pos['camera:pan_left'], 'camera:zoom_in': 0 });
    const g3 = guide(pos, neg, 3);
    expect(g3['camera:pan_left']).toBeCloseTo(Math.min(1.5, 3 * pos['camera:pan_left']));
    expect(g3['env:waves']).toBeCloseTo(pos['env:waves']); // named in both: guidance keeps it
    expect(g3['camera:zoom_in']).toBe(0);
    expect(guide(pos, {}, 2)['env:waves']).toBeCloseTo(2 * pos['env:waves']);
  });

  it('static in the prompt gives no camera moves; ambient has a quiet default', () => {
    const p = parsePrompt('static camera');
    expect(cameraMovesFrom(guide(toVector(p), {}, 1), 1)).toEqual([]);
    const a = ambientFrom(guide(toVector(p), {}, 1), p, 1);
    expect(a.env.clouds).toBeGreaterThan(0);
    expect(a.env.clouds).toBeLessThan(0.2);
    expect(a.dir.clouds).toEqual([-1, 0]);
  });
});

describe('EncodePrompt node', () => {
  it('shows what it understood and warns about ignored words', async () => {
    const ctx = createTestCtx(createServices([]));
    const out = await runNode(
      EncodePrompt,
      ctx,
      { text_encoder: parallaxTextEncoder },
      { text: 'slow push in, a purple elephant, clouds drift left' },
    );
    expect(out.conditioning.family).toBe('parallax');
    expect(ctx.warnings.map((w) => w.message)).toEqual(['Ignored words: purple, elephant']);
    expect(ctx.uis[0].kind).toBe('text');
    expect(ctx.uis[0].text).toContain('Camera: push in');
    expect(ctx.uis[0].text).toContain('Environment: clouds left');
    expect(ctx.uis[0].text).toContain('subject action, environment, camera');
  });

  it('a nonsense prompt gets a warning, not an error', async () => {
    const ctx = createTestCtx(createServices([]));
    await runNode(EncodePrompt, ctx, { text_encoder: parallaxTextEncoder }, { text: 'qwerty zxcv' });
    expect(ctx.warnings.map((w) => w.message)).toContain('Ignored words: qwerty, zxcv');
    expect(ctx.warnings.some((w) => w.message.startsWith('No motion words understood'))).toBe(true);
  });

  it('rejects a wrong input with a clear error', async () => {
    const ctx = createTestCtx(createServices([]));
    await expect(runNode(EncodePrompt, ctx, { text_encoder: { kind: 'vae' } }, { text: 'x' })).rejects.toThrow(/not a TEXT_ENCODER/);
  });
});
