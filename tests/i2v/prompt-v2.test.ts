import { describe, expect, it } from 'vitest';
import { createServices } from '@kinegraph/graph-core';
import { EncodePrompt } from '../../packages/nodes/src/i2v/conditioning/EncodePrompt.js';
import { parsePrompt } from '../../packages/nodes/src/i2v/parallax/prompt/parse-prompt.js';
import { V2_LEXICON } from '../../packages/nodes/src/i2v/parallax/prompt/prompt-lexicon.js';
import { sequenceMoves } from '../../packages/nodes/src/i2v/parallax/motion/camera-sequence.js';
import { parallaxV2Bundle } from '../../packages/nodes/src/i2v/parallax/provider.js';
import { createTestCtx, runNode } from '../../packages/nodes/src/test-support/ctx.js';

const v2 = (t: string) => parsePrompt(t, V2_LEXICON);
const cmds = (t: string) => v2(t).camera.map((c) => c.command);
const shots = (t: string) => v2(t).camera.map((c) => [c.command, c.segment]);

describe('v2 prompt parser', () => {
  it.each([
    ['the camera slowly rises above the scene', 'crane_up'],
    ['the camera moves straight up', 'pedestal_up'],
    ['the camera gently moves down', 'pedestal_down'],
    ['the camera slowly descends', 'crane_down'],
    ['pans slowly to the left', 'pan_left'],
    ['tilts gently up', 'tilt_up'],
    ['zooms slowly in', 'zoom_in'],
    ['the camera shakes', 'handheld'],
    ['shaky footage', 'handheld'],
    ['the camera tracks alongside her', 'truck_right'],
    ['tracking shot', 'truck_right'],
    ['follows him to the left', 'truck_left'],
    ['orbits around her to the left', 'orbit_left'],
  ])('"%s" → %s', (text, cmd) => {
    expect(cmds(text)).toEqual([cmd]);
    expect(v2(text).ignored).toEqual([]);
  });

  it('words between the verb and the direction still count as speed', () => {
    expect(v2('the camera slowly rises above the scene').camera[0].intensity).toBeLessThan(v2('the camera rises').camera[0].intensity);
    expect(v2('pans quickly to the right').camera[0].intensity).toBeGreaterThan(v2('pans to the right').camera[0].intensity);
  });

  it('tracking follows the subject; a plain truck does not', () => {
    expect(v2('the camera tracks alongside her').camera[0].follow).toBe(true);
    expect(v2('truck left').camera[0].follow).toBeUndefined();
  });

  it('"then" and bracket order make a sequence; a bracket\'s moves play together', () => {
    expect(shots('[Push in] then [Pull out]')).toEqual([
      ['push_in', 0],
      ['pull_out', 1],
    ]);
    expect(shots('[Push in][Pull out]')).toEqual([
      ['push_in', 0],
      ['pull_out', 1],
    ]);
    expect(shots('[Truck left, Pan right, Zoom in]')).toEqual([
      ['truck_left', 0],
      ['pan_right', 0],
      ['zoom_in', 0],
    ]);
    expect(shots('[Pan left, Pan right]')).toEqual([
      ['pan_left', 0],
      ['pan_right', 1],
    ]);
    expect(shots('pan left then tilt up, and finally zoom in')).toEqual([
      ['pan_left', 0],
      ['tilt_up', 1],
      ['zoom_in', 2],
    ]);
    expect(shots('clouds drift, then slow push in')).toEqual([['push_in', 0]]);
    expect(shots('A man picks up a book [Pedestal up], then begins reading it [Static shot]')).toEqual([
      ['pedestal_up', 0],
      ['static', 1],
    ]);
    expect(v2('[Push in] then [Pull out]').conflicts).toBeUndefined();
    expect(v2('zoom in, zoom out').conflicts).toEqual(['zoom in / zoom out']);
  });

  it('a sequence splits the clip: each shot its part, a static shot holds', () => {
    const { moves } = sequenceMoves(v2('[Push in] then [Static shot] then [Pan left]'), 1);
    expect(moves.map((m) => [m.type, m.start, m.end])).toEqual([
      ['push_in', 0, 1 / 3],
      ['pan_left', 2 / 3, 1],
    ]);
    expect(sequenceMoves(v2('static camera'), 1).moves).toEqual([]);
  });

  it('negation rules moves out', () => {
    const p = v2("don't zoom, pan left");
    expect(p.camera.map((c) => c.command)).toEqual(['pan_left']);
    expect(p.negated).toEqual(['zoom_in', 'zoom_out']);
    expect(v2('no panning, no shaking, tilt up').negated).toEqual(['pan_left', 'pan_right', 'handheld']);
    expect(v2('do not zoom out').negated).toEqual(['zoom_out']);
    expect(cmds("don't move the camera")).toEqual(['static']);
    expect(sequenceMoves(v2('zoom in, without zooming in'), 1).moves).toEqual([]);
  });

  it('v1 parsing is unchanged: no sequences, the old phrases only', () => {
    expect(parsePrompt('[Push in] then [Pull out]').camera.map((c) => [c.command, c.segment])).toEqual([
      ['push_in', undefined],
      ['pull_out', undefined],
    ]);
    expect(parsePrompt('[Push in] then [Pull out]').conflicts).toEqual(['push in / pull out']);
    expect(parsePrompt("don't zoom").camera.map((c) => c.command)).toEqual(['zoom_in']);
    expect(parsePrompt('the camera moves straight up').camera).toEqual([]);
  });

  it('EncodePrompt with v2 shows the sequence and what was ruled out', async () => {
    const ctx = createTestCtx(createServices([]));
    await runNode(EncodePrompt, ctx, { text_encoder: parallaxV2Bundle.textEncoder }, { text: "[Push in] then [Pull out], don't shake" });
    expect(ctx.uis[0].text).toContain('Camera: push in 50%, then pull out 50%');
    expect(ctx.uis[0].text).toContain('Ruled out: handheld');
    expect(ctx.warnings).toEqual([]);
  });
});

describe('v2 subject phrases (people move as people)', () => {
  const kinds = (t: string) => v2(t).subject.map((s) => s.kind);
  it.each([
    ['The woman slowly raises her gaze toward the horizon, her hair lifting in a gentle ocean breeze', ['head', 'hair']],
    ['she turns her head to the left', ['head']],
    ['he looks up at the sky', ['head']],
    ['she breathes softly, her hair blowing', ['breathing', 'hair']],
    ['wind in her hair, he nods', ['head', 'hair']],
  ])('"%s"', (text, want) => {
    expect(kinds(text).sort()).toEqual([...want].sort());
  });

  it('v1 keeps its own subject phrases (no head turn)', () => {
    expect(parsePrompt('she turns her head, her hair lifting').subject).toEqual([]);
  });
});
