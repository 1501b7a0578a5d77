import type { Sized, Summarizable } from '@kinegraph/graph-core';

/**
 * A camera pose in the scene's frame: +x right, +y up, +z forward (into the picture), units where the
 * photo's focal plane sits at depth 1. Rotation in degrees: yaw (left/right), pitch (up/down), roll.
 */
export interface CameraPose {
  position: [number, number, number];
  rotation: [number, number, number];
  /** Vertical field of view in degrees. */
  fov: number;
}

/** CAMERA: a camera path over normalized time t in [0, 1]; Denoise samples it once per frame. */
export class CameraValue implements Sized, Summarizable {
  readonly kind = 'camera' as const;
  constructor(
    /** The JSON description it was built from (presets + keyframes), kept for models that take it as conditioning. */
    readonly spec: Record<string, unknown>,
    readonly sample: (t: number) => CameraPose,
    readonly label: string,
  ) {}
  byteSize(): number {
    return 1024;
  }
  summary(): string {
    return `CAMERA ${this.label}`;
  }
  /** Poses for n frames, frame 0 at t=0 and the last at t=1. */
  poses(n: number): CameraPose[] {
    return Array.from({ length: n }, (_, i) => this.sample(n <= 1 ? 0 : i / (n - 1)));
  }
}
