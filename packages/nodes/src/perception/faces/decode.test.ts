import { describe, expect, it } from 'vitest';
import { decodeDetections, scoreOf } from './decode.js';
import { weightedNms } from './nms.js';
import type { RawDetection } from './decode.js';

const identity = (x: number, y: number): [number, number] => [x, y];

describe('decodeDetections', () => {
  it('adds the offsets in input pixels to the anchor and keeps only scores over the threshold', () => {
    const scores = new Float32Array([3, -3]);
    const boxes = new Float32Array(32);
    // anchor (0.5, 0.5), centre moved by (+12.8, -6.4) px of a 128 input, box 32x64 px, first landmark at the anchor + (6.4, 0)
    boxes.set([12.8, -6.4, 32, 64, 6.4, 0], 0);
    const out = decodeDetections(
      scores,
      boxes,
      [
        { x: 0.5, y: 0.5 },
        { x: 0.25, y: 0.25 },
      ],
      128,
      0.5,
      identity,
    );
    expect(out.length).toBe(1);
    const d = out[0];
    expect(d.score).toBeCloseTo(scoreOf(3), 6);
    expect(d.xmin).toBeCloseTo(0.6 - 0.125, 6);
    expect(d.xmax).toBeCloseTo(0.6 + 0.125, 6);
    expect(d.ymin).toBeCloseTo(0.45 - 0.25, 6);
    expect(d.ymax).toBeCloseTo(0.45 + 0.25, 6);
    expect(d.keypoints[0]).toBeCloseTo(0.55, 6);
    expect(d.keypoints[1]).toBeCloseTo(0.5, 6);
  });

  it('maps through the letterbox inverse', () => {
    const boxes = new Float32Array(16);
    boxes.set([0, 0, 12.8, 12.8]);
    const [d] = decodeDetections(new Float32Array([5]), boxes, [{ x: 0.5, y: 0.5 }], 128, 0.5, (x, y) => [x, (y - 0.25) * 2]);
    expect(d.ymin).toBeCloseTo((0.45 - 0.25) * 2, 6);
    expect(d.ymax).toBeCloseTo((0.55 - 0.25) * 2, 6);
  });

  it('clips raw scores to ±100 like MediaPipe and refuses mismatched outputs', () => {
    expect(scoreOf(1e6)).toBe(1 / (1 + Math.exp(-100)));
    expect(() =>
      decodeDetections(
        new Float32Array(2),
        new Float32Array(16),
        [
          { x: 0, y: 0 },
          { x: 0, y: 0 },
        ],
        128,
        0.5,
        identity,
      ),
    ).toThrow(/do not match/);
  });
});

const det = (x: number, y: number, s: number, score: number): RawDetection => ({
  xmin: x,
  ymin: y,
  xmax: x + s,
  ymax: y + s,
  score,
  keypoints: new Float64Array(12).fill(x),
});

describe('weightedNms', () => {
  it('merges overlapping detections into their score-weighted mean, keeping the best score', () => {
    const out = weightedNms([det(0.1, 0.1, 0.2, 0.6), det(0.12, 0.1, 0.2, 0.9), det(0.6, 0.6, 0.1, 0.8)], 0.3);
    expect(out.length).toBe(2);
    expect(out[0].score).toBe(0.9);
    expect(out[0].xmin).toBeCloseTo((0.1 * 0.6 + 0.12 * 0.9) / 1.5, 9);
    expect(out[0].keypoints[0]).toBeCloseTo((0.1 * 0.6 + 0.12 * 0.9) / 1.5, 9);
    expect(out[1].score).toBe(0.8);
    expect(out[1].xmin).toBe(0.6);
  });

  it('keeps detections that overlap by less than the threshold, and stops at maxCount', () => {
    // IoU of two 0.2 boxes shifted by 0.15: 0.05*0.2 / (0.08 - 0.01) = 0.143
    const two = weightedNms([det(0.1, 0.1, 0.2, 0.7), det(0.25, 0.1, 0.2, 0.8)], 0.3);
    expect(two.length).toBe(2);
    expect(weightedNms([det(0.1, 0.1, 0.2, 0.7), det(0.5, 0.1, 0.2, 0.8)], 0.3, 1).length).toBe(1);
    expect(weightedNms([], 0.3)).toEqual([]);
  });
});
