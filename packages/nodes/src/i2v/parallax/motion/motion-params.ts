import type { Direction, EnvironmentKind, SubjectKind } from '../prompt/lexicon.js';
import type { BrushMotion } from './brush-fields.js';

/** Everything the renderer animates besides the camera, for one clip (compact JSON in the video latent). */
export interface AmbientParams {
  /** Amplitude 0..~1.5 per environment kind (0 = off). */
  env: Record<EnvironmentKind, number>;
  /** Unit direction per kind in image space (+x right, +y down). */
  dir: Record<EnvironmentKind, [number, number]>;
  subject: Record<SubjectKind, number>;
  /** Clip length in seconds: drifts (clouds, mist) slow down on long clips so they stay within the scene margin. */
  duration?: number;
  /** Motion Brush regions (their weight fields are the scene's `brush` planes, in this order). */
  brushes?: BrushMotion[];
}

export function directionVector(d: Direction | undefined, fallback: [number, number]): [number, number] {
  switch (d) {
    case 'left':
      return [-1, 0];
    case 'right':
      return [1, 0];
    case 'up':
      return [0, -1];
    case 'down':
      return [0, 1];
    case 'toward':
      return [0, 1];
    case 'away':
      return [0, -1];
    default:
      return fallback;
  }
}

/** No ambient motion at all (camera-only renders, framing checks). */
export function stillAmbient(): AmbientParams {
  const kinds = ['clouds', 'waves', 'ripples', 'flow', 'wind', 'mist', 'rain', 'snow', 'shimmer'] as const;
  return {
    env: Object.fromEntries(kinds.map((k) => [k, 0])) as AmbientParams['env'],
    dir: Object.fromEntries(kinds.map((k) => [k, [1, 0]])) as AmbientParams['dir'],
    subject: { breathing: 0, sway: 0, hair: 0, head: 0 },
  };
}
