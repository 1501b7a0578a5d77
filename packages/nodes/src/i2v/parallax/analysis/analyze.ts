import { gaussBlur } from '../filters.js';
import { REGION_NAMES, type ParallaxScene } from '../scene.js';
import { completeBackground } from './complete-background.js';
import { computeCues } from './cues.js';
import { estimateDepth } from './depth.js';
import { detailField, meanWhere } from './detail.js';
import { findSubject } from './matte.js';
import { padField } from './pad-field.js';
import { fuseDepth } from './fuse-depth.js';
import type { Perception } from './perception.js';
import { dilate, personLayer } from './person-layer.js';
import { findRegions, type Regions } from './regions.js';
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
  /**
   * builtin/parallax-v2: what the learned models saw. The person (when found) is the subject layer, faces on
   * it stay rigid, the depth cue joins the prior, texture is copied behind the subject, and ambient regions
   * are cut away from people.
   */
  perception?: Perception;
}

export async function analyzePhoto(
  rgb: Uint8Array,
  w: number,
  h: number,
  time: StageTimer = () => {},
  o: AnalysisOptions = {},
): Promise<ParallaxScene> {
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
  // v2: the sky never reaches far below the skyline (a lake's reflection is water, not sky).
  const regions = findRegions(cues, o.perception ? { maxDip: 0.06 } : {});
  await lap('regions');
  const seen = o.perception;
  let still: Float32Array | undefined;
  const person = seen ? personLayer(seen.person, seen.faces, w, h, Q) : undefined;
  const subject = person && 'matte' in person ? person.matte : findSubject(cues, regions);
  if (seen) {
    if (person && 'none' in person && !subject.found) subject.reason = `${person.none}; ${subject.reason}`;
    still = keepAmbientOffPeople(regions, seen.person, w, h, cues.qw, cues.qh);
  }
  await lap('matte');
  const prior = estimateDepth(cues, regions, subject);
  // The renderer's own smoothing of the background's disparity (renderer.ts smoothDepth), in cells.
  const smoothCells = Math.max(1, Math.round((24 * h) / 720 / Q));
  const lineReport: { used?: number; skipped?: number } = {};
  const depthQ = seen
    ? fuseDepth(prior, regions.sky, subject.coarse, cues.qw, cues.qh, seen.depth.length === cues.qw * cues.qh ? seen.depth : undefined, {
        skyShare: mean(regions.sky),
        dilateCells: smoothCells,
        ...(seen.lines
          ? {
              lines: {
                segments: seen.lines,
                width: w,
                height: h,
                q: Q,
                // As wide as the renderer's blur reaches (three box blurs of smoothCells) and fuseDepth's own (3).
                bandCells: 3 * smoothCells + 4,
                featherCells: smoothCells,
              },
            }
          : {}),
        report: lineReport,
      })
    : prior;
  await lap('depth');
  // v2: how deep behind the subject a strong move can look (the near layer's travel at high intensity, and more).
  const exemplar = seen ? { band: Math.round(0.08 * Math.max(w, h)), ...(seen.lines ? { lines: seen.lines } : {}) } : undefined;
  const bg = completeBackground(rgb, subject.alpha, w, h, pad, subject.box, o.mirrorMargin ?? true, exemplar);
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
    ...(person && 'faces' in person ? { faces: person.faces, person: true } : {}),
    ...(still ? { still: padField(still, qw, qh, pq) } : {}),
    horizon: regions.horizon,
    stats: {
      subject: subject.found,
      subjectReason: subject.reason,
      ...(seen
        ? {
            faces: seen.faces.length,
            person: !!person && 'matte' in person,
            ...(seen.lines ? { lines: lineReport.used ?? 0, linesContinued: bg.continuedLines } : {}),
            ...Object.fromEntries(Object.entries(seen.timings).map(([k, v]) => [`${k}Ms`, v])),
          }
        : {}),
      subjectArea: Number(subject.area.toFixed(3)),
      focusContrast: Number(subject.focusContrast.toFixed(2)),
      horizon: Number(regions.horizon.toFixed(3)),
      ...Object.fromEntries(REGION_NAMES.map((name) => [`${name}Share`, Number(mean(regions[name]).toFixed(3))])),
    },
  };
}

/**
 * Ambient motion never moves a person: every region mask is cut where the person matte (all of it, a crowd
 * included, not only the subject layer) is, grown by two cells.
 */
function keepAmbientOffPeople(
  regions: Regions,
  person: Float32Array,
  w: number,
  h: number,
  qw: number,
  qh: number,
): Float32Array | undefined {
  const cover = new Float32Array(qw * qh);
  for (let y = 0; y < h; y++) {
    const row = Math.min(qh - 1, (y / Q) | 0) * qw;
    for (let x = 0; x < w; x++) {
      const c = row + Math.min(qw - 1, (x / Q) | 0);
      if (person[y * w + x] > cover[c]) cover[c] = person[y * w + x];
    }
  }
  const off = dilate(cover, qw, qh, 2);
  let any = false;
  for (const name of REGION_NAMES) {
    const m = regions[name];
    for (let i = 0; i < m.length; i++) m[i] *= off[i] > 0.15 ? 0 : 1 - off[i] / 0.15;
  }
  // The renderer's hold field: 1 on people and two cells around, easing out over a few more (the ambient
  // fields are blurred wide, so the masks alone would still let a drift reach into a person).
  const hard = new Float32Array(qw * qh);
  for (let i = 0; i < hard.length; i++) {
    hard[i] = off[i] > 0.15 ? 1 : off[i] / 0.15;
    if (hard[i] > 0) any = true;
  }
  if (!any) return undefined;
  const soft = gaussBlur(dilate(hard, qw, qh, 2), qw, qh, 2);
  for (let i = 0; i < soft.length; i++) soft[i] = Math.max(hard[i], Math.min(1, soft[i]));
  return soft;
}

function mean(a: Float32Array): number {
  return total(a) / a.length;
}

/** n values 0..1 from i0 to bytes (rounded half up). */
function toBytes(v: Float32Array, out: Uint8ClampedArray, i0: number, n: number): void {
  for (let i = i0; i < i0 + n; i++) out[i] = Math.round(v[i] * 255);
}
