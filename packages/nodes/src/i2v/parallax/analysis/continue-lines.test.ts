import { describe, expect, it } from 'vitest';
import { continueLines } from './continue-lines.js';
import { exemplarFill, type ExemplarFill } from './exemplar-fill.js';

// A 640×480 background: mottled grass-like noise over a gradient, a gold pole (x 150..157) from top to bottom, and a
// dark bar (y 300..305) from the left edge to the pole. A disc "subject" hides the middle of the pole and the bar's end.
const W = 640;
const H = 480;
const POLE = [150, 158] as const;
const BAR = [300, 306] as const;
const DISC = { x: 160, y: 250, r: 90 };

function noise(x: number, y: number): number {
  const v = Math.sin(x * 12.9898 + y * 78.233) * 43758.5453;
  return (v - Math.floor(v)) * 2 - 1;
}

function background(): Uint8Array {
  const rgb = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3;
      let c = [70 + 30 * (y / H) + 14 * noise(x, y), 120 + 14 * noise(y, x), 60 + 10 * noise(x + 7, y)];
      if (y >= BAR[0] && y < BAR[1] && x < POLE[0]) c = [30, 28, 26];
      if (x >= POLE[0] && x < POLE[1]) c = [205, 170, 60];
      rgb.set(
        c.map((v) => Math.max(0, Math.min(255, Math.round(v)))),
        i,
      );
    }
  }
  return rgb;
}

function discHole(): { hole: Uint8Array; box: [number, number, number, number] } {
  const hole = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (Math.hypot(x - DISC.x, y - DISC.y) <= DISC.r) hole[y * W + x] = 1;
  return { hole, box: [DISC.x - DISC.r, DISC.y - DISC.r, DISC.x + DISC.r + 1, DISC.y + DISC.r + 1] };
}

/** M-LSD finds a pole as its two edges, each broken by the subject; the bar as its upper edge. */
const SEGMENTS = new Float32Array([
  ...[POLE[0], 0, POLE[0], 158, 1],
  ...[POLE[1], 0, POLE[1], 158, 1],
  ...[POLE[0], 479, POLE[0], 342, 1],
  ...[POLE[1], 479, POLE[1], 342, 1],
  ...[0, BAR[0] + 3, 84, BAR[0] + 3, 1],
]);

const BAND = Math.round(0.08 * W);

function fill(rgb: Uint8Array, hole: Uint8Array, box: [number, number, number, number]): ExemplarFill {
  return exemplarFill(rgb, hole, W, H, box, BAND);
}

/** Mean absolute RGB error against the true background over the seen band's pixels where `where` holds. */
function error(f: ExemplarFill, truth: Uint8Array, hole: Uint8Array, box: number[], where: (x: number, y: number) => boolean): number {
  const bw = box[2] - box[0];
  let sum = 0;
  let n = 0;
  for (let y = box[1]; y < box[3]; y++) {
    for (let x = box[0]; x < box[2]; x++) {
      const o = (y - box[1]) * bw + (x - box[0]);
      if (!hole[y * W + x] || !(f.weight[o] > 0.5) || !where(x, y)) continue;
      for (let c = 0; c < 3; c++) sum += Math.abs(f.planes[c][o] - truth[(y * W + x) * 3 + c]);
      n += 3;
    }
  }
  expect(n).toBeGreaterThan(0);
  return sum / n;
}

describe('continueLines', () => {
  const truth = background();
  const { hole, box } = discHole();
  // What the photo shows: the subject (flat pink) over the background.
  const photo = truth.slice();
  for (let i = 0; i < W * H; i++) if (hole[i]) photo.set([230, 150, 160], i * 3);

  it('draws a pole on through the fill where the subject hid it, from both of its sides', () => {
    const plain = fill(photo, hole, box);
    const lined = fill(photo, hole, box);
    expect(continueLines(photo, hole, W, H, box, lined, SEGMENTS, { band: BAND })).toBeGreaterThanOrEqual(4);
    const onPole = (x: number) => x >= POLE[0] + 1 && x < POLE[1] - 1;
    const before = error(plain, truth, hole, box, onPole);
    const after = error(lined, truth, hole, box, onPole);
    expect(before).toBeGreaterThan(40);
    expect(after).toBeLessThan(12);
  });

  it('carries a one-sided bar on into the seen band, and leaves texture away from the lines as patch copying made it', () => {
    const plain = fill(photo, hole, box);
    const lined = fill(photo, hole, box);
    continueLines(photo, hole, W, H, box, lined, SEGMENTS, { band: BAND });
    const onBar = (x: number, y: number) => y >= BAR[0] + 1 && y < BAR[1] - 1 && x < POLE[0] - 12;

    expect(error(plain, truth, hole, box, onBar)).toBeGreaterThan(40);
    expect(error(lined, truth, hole, box, onBar)).toBeLessThan(15);
    // Away from both lines (beyond the drawn half-width), not a value changes.
    const bw = box[2] - box[0];
    for (let y = box[1]; y < box[3]; y++) {
      for (let x = box[0]; x < box[2]; x++) {
        if (Math.abs(x - 154) < 20 || Math.abs(y - 303) < 20) continue;
        const o = (y - box[1]) * bw + (x - box[0]);
        for (let c = 0; c < 3; c++) expect(lined.planes[c][o]).toBe(plain.planes[c][o]);
      }
    }
  });

  it('leaves the fill alone for a segment through texture, for the subject’s own edge, and for one that stops short of the hole', () => {
    const plain = fill(photo, hole, box);
    const lined = fill(photo, hole, box);
    const others = new Float32Array([
      // Through the grass only (no colour change across it), towards the hole.
      ...[400, 250, 253, 250, 1],
      // Along the subject: mostly inside the hole.
      ...[100, 250, 220, 250, 1],
      // A pole edge that ends 40 px before the hole.
      ...[POLE[0], 0, POLE[0], 118, 1],
    ]);
    expect(continueLines(photo, hole, W, H, box, lined, others, { band: BAND })).toBe(0);
    for (let c = 0; c < 3; c++) expect(lined.planes[c]).toEqual(plain.planes[c]);
  });

  it('is deterministic', () => {
    const a = fill(photo, hole, box);
    const b = fill(photo, hole, box);
    continueLines(photo, hole, W, H, box, a, SEGMENTS, { band: BAND });
    continueLines(photo, hole, W, H, box, b, SEGMENTS, { band: BAND });
    for (let c = 0; c < 3; c++) expect(Buffer.from(a.planes[c].buffer).equals(Buffer.from(b.planes[c].buffer))).toBe(true);
  });
});
