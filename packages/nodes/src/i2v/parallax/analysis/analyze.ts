import { REGION_NAMES, type ParallaxScene } from '../scene.js';
import { completeBackground } from './complete-background.js';
import { computeCues } from './cues.js';
import { estimateDepth } from './depth.js';
import { detailField, meanWhere } from './detail.js';
import { findSubject } from './matte.js';
import { padField } from './pad-field.js';
import { findRegions } from './regions.js';
import { total } from './stats.js';

/** Quarter resolution for the smooth fields (depth, masks): 1 cell = Q pixels. */
export const Q = 4;

/** Margin around the frame, as a share of the short side (covers the camera presets at full intensity). */
export const PAD_SHARE = 0.3;

export type StageTimer = (stage: string, ms: number) => void;

/**
 * Analyses a photo already resized to the output size (RGB bytes, w and h multiples of 16).
 * Speed (it runs once per video, so mostly in freshly loaded code): full-resolution work only where its
 * result is needed (the subject's window, the canvas margins), the hot loops as small per-row functions
 * with typed-array arguments, which the JIT optimizes within a few rows and which need no rare branches
 * (a branch first taken after optimization throws the optimized code away). The shortcuts give the
 * same numbers as the plain computation (tests/i2v/analysis-kernels.test.ts); only the matte's edge
 * snapping, run on the subject's window, may round a rare byte the other way.
 */
export interface AnalysisOptions {
  /** The margin beyond the photo starts as its mirror image (v1), or is the smooth fill alone. */
  mirrorMargin?: boolean;
  /** Awaited between stages (a turn of the event loop for the server, and where an interrupt lands). */
  pause?: () => Promise<void>;
}

export async function analyzePhoto(rgb: Uint8Array, w: number, h: number, time: StageTimer = () => {}, o: AnalysisOptions = {}): Promise<ParallaxScene> {
  let t0 = performance.now();
  const pause = o.pause ?? (async () => {});
  const lap = async (stage: string) => {
    const t = performance.now();
    time(stage, t - t0);
    await pause();
    t0 = performance.now();
  };
  const pad = Math.ceil((Math.min(w, h) * PAD_SHARE) / 16) * 16;
  const cues = computeCues(rgb, w, h, Q);
  await lap('cues');
  const regions = findRegions(cues);
  await lap('regions');
  const subject = findSubject(cues, regions);
  await lap('matte');
  const depthQ = estimateDepth(cues, regions, subject);
  await lap('depth');
  const bg = completeBackground(rgb, subject.alpha, w, h, pad, subject.box, o.mirrorMargin ?? true);
  await lap('background');

  const { qw, qh } = cues;
  const pq = pad / Q;
  const masks = REGION_NAMES.map((name) => padField(regions[name], qw, qh, pq));
  const maskData = new Float32Array(masks.reduce((n, m) => n + m.length, 0));
  masks.forEach((m, k) => maskData.set(m, k * m.length));
  const detail = detailField(cues.fine, subject.coarse, qw, qh);

  // Subject layer: a plane clearly in front of what surrounds it.
  let subjectDepth = 0;
  const box: [number, number, number, number] = [0, 0, 0, 0];
  if (subject.found) {
    const [x0, y0, x1, y1] = bg.subjectBox;
    // (An empty box keeps the shape it always had: [w, h, 1, 1].)
    box.splice(0, 4, x0, y0, x1 > x0 ? x1 : 1, y1 > y0 ? y1 : 1);
    const around = meanWhere(depthQ, subject.coarse, 2);
    subjectDepth = Math.max(1, Math.min(around * 0.6, 3));
  }
  const matte = new Uint8ClampedArray(w * h);
  const [mx0, my0, mx1, my1] = subject.box;
  for (let y = my0; y < my1; y++) toBytes(subject.alpha, matte, y * w + mx0, mx1 - mx0);
  await lap('fields');
  return {
    width: w,
    height: h,
    pad,
    q: Q,
    qw: qw + 2 * pq,
    qh: qh + 2 * pq,
    rgb,
    matte: new Uint8Array(matte.buffer),
    background: bg.rgb,
    unknown: bg.unknown,
    depth: padField(depthQ, qw, qh, pq),
    masks: maskData,
    detail: padField(detail, qw, qh, pq),
    subjectDepth,
    subjectBox: box,
    horizon: regions.horizon,
    stats: {
      subject: subject.found,
      subjectReason: subject.reason,
      subjectArea: Number(subject.area.toFixed(3)),
      focusContrast: Number(subject.focusContrast.toFixed(2)),
      horizon: Number(regions.horizon.toFixed(3)),
      ...Object.fromEntries(REGION_NAMES.map((name) => [`${name}Share`, Number(mean(regions[name]).toFixed(3))])),
    },
  };
}

function mean(a: Float32Array): number {
  return total(a) / a.length;
}

/** n values 0..1 from i0 to bytes (rounded half up). */
function toBytes(v: Float32Array, out: Uint8ClampedArray, i0: number, n: number): void {
  for (let i = i0; i < i0 + n; i++) out[i] = Math.round(v[i] * 255);
}
