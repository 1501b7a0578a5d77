import type { ParallaxScene } from '../scene.js';
import { F0 } from '../render/project.js';
import type { Calibration, PresetTable } from './presets.js';

/**
 * builtin/parallax-v2's calibration: moves sized in what a viewer sees (shares of the frame, the scale at the
 * subject) at medium intensity, converted to angles and travel for this scene's aspect and depths. See
 * docs/parallax.md ("Calibration") for the targets and why.
 */
export const V2_TARGETS = {
  /**
   * Pan and tilt: the turn that carries the picture's centre this share of the frame's width (height); the
   * zoom that keeps the frame inside the photo adds about a third to what a viewer sees (about 9%).
   */
  pan: 0.07,
  tilt: 0.072,
  /** Zoom in / out: change of scale. */
  zoom: 0.15,
  /** Push in / pull out: scale at the subject (or the centre of the picture). */
  pushScale: 1.15,
  /** ...reached by travel as long as the nearest content grows no more than this, the rest by zoom. */
  pushNearMax: 1.4,
  /** Truck and pedestal: the near layer travels this share of the frame. */
  truck: 0.065,
  pedestal: 0.065,
  /** Crane: a pedestal this much larger, tilting so the far scene holds. */
  crane: 1.5,
  /** Orbit: the far background travels this share of the width. */
  orbit: 0.045,
  handheld: [0.9, 0.7, 0.45, 0.008, 1.6] as PresetTable['handheld'],
};

/**
 * Intensity (0..1, medium 0.5) to a multiple of the medium move: low 0.25 → 0.5×, high 0.85 → 1.9×, 1 → 2.3×.
 * Piecewise linear, so "slowly" (70% of medium's intensity with v2's speed words) stays at 0.7×.
 */
export function v2Curve(k: number): number {
  const pts: Array<[number, number]> = [
    [0, 0],
    [0.25, 0.5],
    [0.5, 1],
    [0.85, 1.9],
    [1, 2.3],
  ];
  const x = Math.min(1, Math.max(0, k));
  for (let i = 1; i < pts.length; i++) {
    const [x0, y0] = pts[i - 1];
    const [x1, y1] = pts[i];
    if (x <= x1) return y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
  }
  return pts[pts.length - 1][1];
}

/** Depths that size the moves: the near layer, the point of interest, the far scene. */
export function sceneDepths(s: ParallaxScene): { near: number; focus: number; far: number } {
  const pq = Math.round(s.pad / s.q);
  const w = s.qw - 2 * pq;
  const h = s.qh - 2 * pq;
  // Every other cell is plenty for percentiles of a smooth field; typed arrays sort numerically and fast.
  const all = new Float32Array(Math.ceil(w / 2) * Math.ceil(h / 2));
  const centre: number[] = [];
  let n = 0;
  for (let y = 0; y < h; y += 2) {
    for (let x = 0; x < w; x += 2) {
      const d = s.depth[(y + pq) * s.qw + x + pq];
      all[n++] = d;
      if (x > w * 0.3 && x < w * 0.7 && y > h * 0.35 && y < h * 0.75) centre.push(d);
    }
  }
  const sorted = all.subarray(0, n).sort();
  const centreSorted = Float32Array.from(centre).sort();
  const pct = (a: Float32Array, p: number) => (a.length ? a[Math.min(a.length - 1, Math.floor(p * a.length))] : 1);
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  const subject = s.subjectDepth > 0 ? s.subjectDepth : 0;
  const near = clamp(subject || pct(sorted, 0.1), 1, 10);
  const focus = clamp(subject || pct(centreSorted, 0.5), near, 6);
  const far = clamp(pct(sorted, 0.9), focus, 40);
  return { near, focus, far };
}

export function v2Calibration(s: ParallaxScene): Calibration {
  const T = V2_TARGETS;
  const aspect = s.width / s.height;
  const { near, focus, far } = sceneDepths(s);
  const deg = (r: number) => (r * 180) / Math.PI;
  // Push: travel z grows the focus depth by focus / (focus - z); capped where the nearest content would balloon.
  const zWanted = focus * (1 - 1 / T.pushScale);
  const zMax = near * (1 - 1 / T.pushNearMax);
  const push = Math.min(zWanted, zMax);
  const pushZoom = T.pushScale / (focus / (focus - push)) - 1;
  const pedestal = (T.pedestal * 2 * near) / F0;
  const crane = pedestal * T.crane;
  const orbitRad = (T.orbit * 2 * aspect) / (F0 * Math.max(0.35, Math.abs(1 - focus / far)));
  return {
    table: {
      pan: deg(Math.atan((T.pan * 2 * aspect) / F0)),
      tilt: deg(Math.atan((T.tilt * 2) / F0)),
      zoomIn: T.zoom,
      zoomOut: T.zoom,
      push,
      pushZoom,
      pull: push,
      pullZoom: pushZoom,
      truck: (T.truck * 2 * aspect * near) / F0,
      pedestal,
      crane,
      craneTilt: deg(Math.atan(crane / far)),
      orbit: Math.min(12, deg(orbitRad)),
      orbitPivot: focus,
      handheld: T.handheld,
    },
    curve: v2Curve,
  };
}
