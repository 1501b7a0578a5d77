import type { CameraPose } from '../../../values/camera.js';
import { ease, type CameraCommand, type Easing } from './commands.js';

/** The photo's own camera: vertical field of view of the focal plane at depth 1. */
export const BASE_FOV = 45;
/** Depth of the point an orbit circles around. */
export const ORBIT_PIVOT = 3;

/** A camera move in a path: a preset with intensity (0..1, 1 = the largest move the scene margin allows). */
export interface CameraMove {
  type: CameraCommand;
  intensity: number;
  easing: Easing;
  /** Normalized start and end time within the clip. */
  start: number;
  end: number;
}

/** Additive change of pose; fov as a multiplier. */
export interface PoseDelta {
  position: [number, number, number];
  rotation: [number, number, number];
  fovScale: number;
}

export const zeroDelta = (): PoseDelta => ({ position: [0, 0, 0], rotation: [0, 0, 0], fovScale: 1 });

/**
 * The size of every preset, per command: what a calibration (a model profile) sets. Angles in degrees,
 * positions in focal-plane units, zooms as the change of scale (0.5: 1.5x).
 */
export interface PresetTable {
  pan: number;
  tilt: number;
  zoomIn: number;
  zoomOut: number;
  /** Push in: forward travel, and an optional zoom on top (scale change) where travel alone would distort. */
  push: number;
  pushZoom: number;
  pull: number;
  pullZoom: number;
  truck: number;
  pedestal: number;
  crane: number;
  /** Crane's counter-tilt (degrees, down for crane up). */
  craneTilt: number;
  orbit: number;
  orbitPivot: number;
  /** Handheld wobble: yaw, pitch, roll (degrees), position, and a frequency multiplier. */
  handheld: [yaw: number, pitch: number, roll: number, position: number, freq: number];
}

/** A calibration: the table, and how a move's intensity (0..1) scales it. */
export interface Calibration {
  table: PresetTable;
  curve: (k: number) => number;
}

/** builtin/parallax-v1: sizes at intensity 1, linear in intensity (kept exactly: old workflows keep their look). */
export const V1_CALIBRATION: Calibration = {
  table: {
    pan: 8,
    tilt: 7,
    zoomIn: 0.5,
    zoomOut: 0.25,
    push: 0.25,
    pushZoom: 0,
    pull: 0.2,
    pullZoom: 0,
    truck: 0.15,
    pedestal: 0.1,
    crane: 0.18,
    craneTilt: 1,
    orbit: 10,
    orbitPivot: ORBIT_PIVOT,
    handheld: [0.8, 0.6, 0.4, 0.006, 1],
  },
  curve: (k) => k,
};

/**
 * What one preset does at eased progress e (0..1) and intensity k. v1's amplitudes at k = 1 keep every point
 * of the view inside the background's margin (see analysis PAD_SHARE), so a preset never shows a hole.
 */
export function presetDelta(
  type: CameraCommand,
  e: number,
  k: number,
  t: number,
  shakeSeed: number,
  cal: Calibration = V1_CALIBRATION,
): PoseDelta {
  const d = zeroDelta();
  const T = cal.table;
  const g = cal.curve(k);
  const a = e * g;
  switch (type) {
    case 'pan_left':
      d.rotation[0] = -T.pan * a;
      break;
    case 'pan_right':
      d.rotation[0] = T.pan * a;
      break;
    case 'tilt_up':
      d.rotation[1] = T.tilt * a;
      break;
    case 'tilt_down':
      d.rotation[1] = -T.tilt * a;
      break;
    case 'zoom_in':
      d.fovScale = 1 / (1 + T.zoomIn * a);
      break;
    case 'zoom_out':
      d.fovScale = 1 + T.zoomOut * a;
      break;
    case 'push_in':
      d.position[2] = T.push * a;
      if (T.pushZoom) d.fovScale = 1 / (1 + T.pushZoom * a);
      break;
    case 'pull_out':
      d.position[2] = -T.pull * a;
      if (T.pullZoom) d.fovScale = 1 + T.pullZoom * a;
      break;
    case 'truck_left':
      d.position[0] = -T.truck * a;
      break;
    case 'truck_right':
      d.position[0] = T.truck * a;
      break;
    case 'pedestal_up':
      d.position[1] = T.pedestal * a;
      break;
    case 'pedestal_down':
      d.position[1] = -T.pedestal * a;
      break;
    case 'crane_up':
      // Rises further than a pedestal and tilts down a little, so the far scene holds while the near one sinks.
      d.position[1] = T.crane * a;
      d.rotation[1] = -T.craneTilt * a;
      break;
    case 'crane_down':
      d.position[1] = -T.crane * a;
      d.rotation[1] = T.craneTilt * a;
      break;
    case 'orbit_left':
    case 'orbit_right': {
      // Circle the pivot: move sideways and turn back towards it.
      const sign = type === 'orbit_left' ? -1 : 1;
      const ang = (T.orbit * a * Math.PI) / 180;
      d.position[0] = sign * T.orbitPivot * Math.sin(ang);
      d.position[2] = T.orbitPivot * (1 - Math.cos(ang));
      d.rotation[0] = (-sign * ang * 180) / Math.PI;
      break;
    }
    case 'handheld': {
      // Smooth pseudo-random wobble, zero at t = 0 so the first frame is the photo.
      const [yaw, pitch, roll, pos, fm] = T.handheld;
      const w = (i: number, f: number) => wobble(t, shakeSeed + i, f * fm) - wobble(0, shakeSeed + i, f * fm);
      d.rotation[0] = yaw * g * w(1, 0.7);
      d.rotation[1] = pitch * g * w(2, 0.9);
      d.rotation[2] = roll * g * w(3, 0.5);
      d.position[0] = pos * g * w(4, 1.1);
      d.position[1] = pos * g * w(5, 1.3);
      break;
    }
    case 'static':
      break;
  }
  return d;
}

/** A sum of three sines with seeded phases: a smooth wobble in about -1..1 over normalized time. */
function wobble(t: number, seed: number, freq: number): number {
  const ph = (i: number) => ((Math.sin(seed * 12.9898 + i * 78.233) * 43758.5453) % 1) * Math.PI * 2;
  return (
    Math.sin(t * freq * 6.3 * 2 + ph(1)) * 0.5 + Math.sin(t * freq * 6.3 * 3.7 + ph(2)) * 0.3 + Math.sin(t * freq * 6.3 * 7.1 + ph(3)) * 0.2
  );
}

export function moveDelta(m: CameraMove, t: number, shakeSeed: number, cal: Calibration = V1_CALIBRATION): PoseDelta {
  const span = m.end - m.start;
  const local = span <= 0 ? (t >= m.end ? 1 : 0) : (t - m.start) / span;
  return presetDelta(m.type, ease(m.easing, local), m.intensity, t, shakeSeed, cal);
}

export function applyDeltas(deltas: PoseDelta[], base: CameraPose = identityPose()): CameraPose {
  const pose: CameraPose = { position: [...base.position], rotation: [...base.rotation], fov: base.fov };
  for (const d of deltas) {
    for (let i = 0; i < 3; i++) {
      pose.position[i] += d.position[i];
      pose.rotation[i] += d.rotation[i];
    }
    pose.fov *= d.fovScale;
  }
  return pose;
}

export const identityPose = (): CameraPose => ({ position: [0, 0, 0], rotation: [0, 0, 0], fov: BASE_FOV });
