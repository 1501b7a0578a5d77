import { REGION_NAMES, type ParallaxScene } from '../../../packages/nodes/src/i2v/parallax/scene.js';
import { PAD_SHARE, Q } from '../../../packages/nodes/src/i2v/parallax/analysis/analyze.js';
import { hashNoise } from '../../../packages/nodes/src/i2v/parallax/render/noise.js';
import type { AmbientParams } from '../../../packages/nodes/src/i2v/parallax/motion/motion-params.js';
import { ENVIRONMENT_KINDS, SUBJECT_KINDS } from '../../../packages/nodes/src/i2v/parallax/prompt/lexicon.js';

/** A textured value in 0..255 at (x, y): crisp features at several scales so shifts are measurable. */
function texture(x: number, y: number, salt: number): number {
  // Aperiodic: value noise at two scales, so a shift search has one clear answer.
  return 128 + valueNoise(x / 7, y / 7, salt) * 70 + valueNoise(x / 23, y / 23, salt + 17) * 50;
}

function valueNoise(x: number, y: number, salt: number): number {
  const ix = Math.floor(x);
  const iy = Math.floor(y);
  const fx = x - ix;
  const fy = y - iy;
  const sx = fx * fx * (3 - 2 * fx);
  const sy = fy * fy * (3 - 2 * fy);
  const a = hashNoise(ix, iy, salt);
  const b = hashNoise(ix + 1, iy, salt);
  const c = hashNoise(ix, iy + 1, salt);
  const d = hashNoise(ix + 1, iy + 1, salt);
  return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy;
}

/**
 * A layered scene with known geometry: a textured far background at depth `bgDepth` (everywhere, also in
 * the margin) and, optionally, a textured square subject at depth `subjectDepth` in the middle.
 */
export function syntheticScene(o: { width?: number; height?: number; bgDepth?: number; subjectDepth?: number } = {}): ParallaxScene {
  const w = o.width ?? 320;
  const h = o.height ?? 192;
  const pad = Math.ceil((Math.min(w, h) * PAD_SHARE) / 16) * 16;
  const pw = w + 2 * pad;
  const ph = h + 2 * pad;
  const background = new Uint8Array(pw * ph * 3);
  for (let y = 0; y < ph; y++) {
    for (let x = 0; x < pw; x++) {
      const i = (y * pw + x) * 3;
      background[i] = texture(x, y, 1);
      background[i + 1] = texture(x, y, 2);
      background[i + 2] = texture(x, y, 3);
    }
  }
  const rgb = new Uint8Array(w * h * 3);
  const matte = new Uint8Array(w * h);
  const box: [number, number, number, number] = [Math.round(w * 0.38), Math.round(h * 0.3), Math.round(w * 0.62), Math.round(h * 0.7)];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const inside = o.subjectDepth !== undefined && x >= box[0] && x < box[2] && y >= box[1] && y < box[3];
      const j = ((y + pad) * pw + x + pad) * 3;
      if (inside) {
        matte[y * w + x] = 255;
        rgb[i] = 255 - texture(x * 1.7, y * 1.3, 5) * 0.5;
        rgb[i + 1] = texture(x * 1.3, y * 1.7, 6) * 0.5;
        rgb[i + 2] = 60 + texture(x, y, 7) * 0.3;
      } else {
        rgb[i] = background[j];
        rgb[i + 1] = background[j + 1];
        rgb[i + 2] = background[j + 2];
      }
    }
  }
  const qw = pw / Q;
  const qh = ph / Q;
  return {
    width: w,
    height: h,
    pad,
    q: Q,
    qw,
    qh,
    rgb,
    matte,
    background,
    unknown: new Uint8Array(pw * ph),
    depth: new Float32Array(qw * qh).fill(o.bgDepth ?? 10),
    masks: new Float32Array(REGION_NAMES.length * qw * qh),
    detail: new Float32Array(qw * qh),
    subjectDepth: o.subjectDepth ?? 0,
    subjectBox: o.subjectDepth !== undefined ? box : [0, 0, 0, 0],
    horizon: 0,
    stats: {},
  };
}

export function stillAmbient(): AmbientParams {
  return {
    env: Object.fromEntries(ENVIRONMENT_KINDS.map((k) => [k, 0])) as AmbientParams['env'],
    dir: Object.fromEntries(ENVIRONMENT_KINDS.map((k) => [k, [1, 0]])) as AmbientParams['dir'],
    subject: Object.fromEntries(SUBJECT_KINDS.map((k) => [k, 0])) as AmbientParams['subject'],
  };
}
