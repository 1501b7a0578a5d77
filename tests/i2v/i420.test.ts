import { describe, expect, it } from 'vitest';
import { CameraPathSchema, samplePath } from '../../packages/nodes/src/i2v/parallax/camera/path.js';
import { ParallaxRenderer } from '../../packages/nodes/src/i2v/parallax/render/renderer.js';
import { rgbToI420 } from '../../packages/nodes/src/i2v/parallax/render/yuv.js';
import { REGION_NAMES } from '../../packages/nodes/src/i2v/parallax/scene.js';
import { stillAmbient, syntheticScene } from './helpers/synthetic-scene.js';

const W = 320;
const H = 192;

/** A scene with a subject, and a highlight region over its top half so the shimmer gain is exercised too. */
function busyScene() {
  const scene = syntheticScene({ width: W, height: H, bgDepth: 10, subjectDepth: 1.5 });
  const N = scene.qw * scene.qh;
  const hi = REGION_NAMES.indexOf('highlight');
  for (let i = 0; i < N / 2; i++) scene.masks[hi * N + i] = 1;
  return scene;
}

function busyAmbient() {
  const a = stillAmbient();
  a.env.shimmer = 1;
  a.env.rain = 0.8;
  a.subject.sway = 1;
  a.subject.breathing = 1;
  return a;
}

const path = CameraPathSchema.parse({
  moves: [
    { type: 'push_in', intensity: 0.7, easing: 'linear' },
    { type: 'orbit_left', intensity: 0.5, easing: 'linear' },
  ],
});

/** PSNR of planes a and b over bytes [from, to). */
function psnr(a: Uint8Array, b: Uint8Array, from: number, to: number): number {
  let se = 0;
  for (let i = from; i < to; i++) se += (a[i] - b[i]) ** 2;
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255 * (to - from)) / se);
}

describe('I420 frames (what SaveVideo feeds the encoder)', () => {
  const scene = busyScene();
  const renderer = new ParallaxRenderer(scene, scene.background, busyAmbient(), 7);

  it('frame 0 is the photo, converted exactly', () => {
    expect(renderer.renderI420(samplePath(path, 0), 0)).toEqual(rgbToI420(scene.rgb, W, H));
  });

  it.each([0.25, 0.6, 1])('match the RGB frame converted to BT.709 (t = %s): luma and chroma PSNR ≥ 40 dB', (t) => {
    const pose = samplePath(path, t);
    const i420 = renderer.renderI420(pose, t);
    const ref = rgbToI420(renderer.render(pose, t), W, H);
    expect(i420.length).toBe((W * H * 3) / 2);
    const y = W * H;
    const u = y + y / 4;
    expect(psnr(i420, ref, 0, y)).toBeGreaterThan(40);
    expect(psnr(i420, ref, y, u)).toBeGreaterThan(40);
    expect(psnr(i420, ref, u, i420.length)).toBeGreaterThan(40);
    // Not trivially equal to the photo: the camera moved.
    expect(psnr(i420, rgbToI420(scene.rgb, W, H), 0, y)).toBeLessThan(30);
  });

  it('are deterministic: another renderer of the same scene and seed gives the same bytes', () => {
    const again = new ParallaxRenderer(scene, scene.background, busyAmbient(), 7);
    const pose = samplePath(path, 0.5);
    expect(again.renderI420(pose, 2)).toEqual(renderer.renderI420(pose, 2));
  });

  it('need even sides', () => {
    const odd = new ParallaxRenderer(scene, scene.background, stillAmbient(), 1, W - 1, H);
    expect(() => odd.renderI420(samplePath(path, 0.5), 1)).toThrow(/even sides/);
  });
});
