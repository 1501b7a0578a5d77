import type { Direction, EnvironmentKind, SubjectKind } from '../prompt/lexicon.js';

/** Everything the renderer animates besides the camera, for one clip (compact JSON in the video latent). */
export interface AmbientParams {
  /** Amplitude 0..~1.5 per environment kind (0 = off). */
  env: Record<EnvironmentKind, number>;
  /** Unit direction per kind in image space (+x right, +y down). */
  dir: Record<EnvironmentKind, [number, number]>;
  subject: Record<SubjectKind, number>;
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
