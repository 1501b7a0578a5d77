import { z } from 'zod';
import { CameraValue, type CameraPose } from '../../../values/camera.js';
import { CAMERA_COMMANDS, EASINGS, commandLabel } from './commands.js';
import { sampleKeyframes } from './keyframes.js';
import { applyDeltas, identityPose, moveDelta, V1_CALIBRATION, type Calibration, type CameraMove } from './presets.js';

const Vec3 = z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]);

const END_BEFORE_START = 'end must not be before start';

/**
 * A move's end may not come before its start. JSON Schema cannot compare two fields, so the rule is also stated in
 * the schema /api/nodes serves ("x-ordered": field pairs and the words to refuse with), and the editor refuses
 * such a move as it is typed, with these words.
 */
export const CameraMoveSchema = z
  .object({
    type: z.enum(CAMERA_COMMANDS),
    intensity: z.number().min(0).max(1).default(0.5),
    easing: z.enum(EASINGS).default('ease_in_out'),
    start: z.number().min(0).max(1).default(0),
    end: z.number().min(0).max(1).default(1),
  })
  .refine((m) => m.end >= m.start, { message: END_BEFORE_START, path: ['end'] })
  .meta({ 'x-ordered': [{ earlier: 'start', later: 'end', message: END_BEFORE_START }] });

export const CameraKeyframeSchema = z.object({
  t: z.number().min(0).max(1),
  position: z
    .tuple([z.number().min(-1).max(1), z.number().min(-1).max(1), z.number().min(-0.8).max(0.8)])
    .optional()
    .describe('offset from the photo camera, focal-plane units'),
  rotation: z
    .tuple([z.number().min(-30).max(30), z.number().min(-30).max(30), z.number().min(-45).max(45)])
    .optional()
    .describe('yaw, pitch, roll in degrees'),
  fov: z.number().min(10).max(90).optional().describe('vertical field of view in degrees (photo: 45)'),
});

/** A camera path: presets combined (their changes add up) plus optional keyframes on top. */
export const CameraPathSchema = z.object({
  moves: z.array(CameraMoveSchema).max(16).default([]),
  keyframes: z.array(CameraKeyframeSchema).max(64).default([]),
  /** Seeds the handheld wobble. */
  shakeSeed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1),
});
export type CameraPathSpec = z.output<typeof CameraPathSchema>;
export { Vec3 };

/** The pose at normalized time t; `cal` sizes the presets (the model's calibration; v1's by default). */
export function samplePath(spec: CameraPathSpec, t: number, cal: Calibration = V1_CALIBRATION): CameraPose {
  const moves = spec.moves as CameraMove[];
  const base = spec.keyframes.length ? sampleKeyframes(spec.keyframes, t, identityPose()) : identityPose();
  return applyDeltas(
    moves.map((m) => moveDelta(m, t, spec.shakeSeed, cal)),
    base,
  );
}

export function describePath(spec: CameraPathSpec): string {
  const parts = spec.moves.map((m) => `${commandLabel(m.type)} ${Math.round(m.intensity * 100)}%`);
  if (spec.keyframes.length) parts.push(`${spec.keyframes.length} keyframes`);
  return parts.length ? parts.join(' + ') : 'static';
}

export function cameraFromSpec(spec: CameraPathSpec): CameraValue {
  return new CameraValue(spec as unknown as Record<string, unknown>, (t) => samplePath(spec, t), describePath(spec));
}
