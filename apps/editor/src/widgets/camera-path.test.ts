import { describe, expect, it } from 'vitest';
import { moveDirection, pathPoints, readMoves } from './camera-path.js';

describe('camera path sketch', () => {
  it('reads direction words from move names', () => {
    expect(moveDirection('truck_left')).toMatchObject({ dx: -1, dz: 0 });
    expect(moveDirection('push_in')).toMatchObject({ dx: 0, dz: 1 });
    expect(moveDirection('pull_out')).toMatchObject({ dz: -1 });
    expect(moveDirection('pedestal_up')).toMatchObject({ dy: 1 });
    expect(moveDirection('orbit_right').orbit).toBe(1);
  });

  it('draws combined moves over their times, scaled by intensity', () => {
    const value = {
      moves: [
        { type: 'push_in', intensity: 0.4, easing: 'linear', start: 0, end: 1 },
        { type: 'truck_left', intensity: 0.2, easing: 'linear', start: 0.5, end: 1 },
      ],
      keyframes: [],
    };
    const pts = pathPoints(value, 4);
    expect(pts[0]).toEqual({ x: 0, y: 0, z: 0 });
    expect(pts[2]!.x).toBeCloseTo(0);
    expect(pts[2]!.z).toBeCloseTo(0.2);
    expect(pts[4]).toEqual({ x: -0.2, y: 0, z: 0.4 });
    expect(readMoves(value).map((m) => m.label)).toEqual(['push_in', 'truck_left']);
  });

  it('prefers explicit keyframe positions', () => {
    expect(
      pathPoints({
        moves: [{ type: 'push_in' }],
        keyframes: [
          { t: 0, position: [0, 0, 0] },
          { t: 1, position: [1, 0.5, 2] },
        ],
      }),
    ).toEqual([
      { x: 0, y: 0, z: 0 },
      { x: 1, y: 0.5, z: 2 },
    ]);
  });
});
