import { describe, expect, it } from 'vitest';
import { describeNode } from '@kinegraph/graph-core';
import { pathRules } from '../../apps/editor/src/camera/path-schema.js';
import { CameraPath } from '../../packages/nodes/src/i2v/camera/CameraPath.js';
import { CameraPathSchema } from '../../packages/nodes/src/i2v/parallax/camera/path.js';

/** A camera move that ends before it starts: the node refuses it, and the editor, from the schema /api/nodes serves, refuses it the same way. */
describe('camera move timing order', () => {
  const served = describeNode(CameraPath).params.find((p) => p.name === 'path')!.schema as Record<string, any>;
  const backwards = { moves: [{ type: 'pan_left', intensity: 0.5, easing: 'linear', start: 0.6, end: 0.2 }], keyframes: [], shakeSeed: 1 };

  it('is stated in the served JSON Schema with the words the node uses', () => {
    const node = CameraPathSchema.safeParse(backwards);
    expect(node.success).toBe(false);
    const issue = node.error!.issues[0]!;
    expect(issue.path).toEqual(['moves', 0, 'end']);
    expect(served.properties.moves.items['x-ordered']).toEqual([{ earlier: 'start', later: 'end', message: issue.message }]);
  });

  it('is refused by the editor’s rules with the same path and message; a forward move passes', () => {
    const rules = pathRules(served);
    expect(rules.validate(backwards)).toEqual({ ok: false, issues: [{ path: 'moves.0.end', message: 'end must not be before start' }] });
    const forward = { ...backwards, moves: [{ ...backwards.moves[0], start: 0.2, end: 0.6 }] };
    expect(rules.validate(forward)).toEqual({ ok: true });
    expect(CameraPathSchema.safeParse(forward).success).toBe(true);
  });
});
