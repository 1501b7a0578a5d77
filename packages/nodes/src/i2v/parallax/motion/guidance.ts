import { CAMERA_COMMANDS, type CameraCommand } from '../camera/commands.js';
import type { CameraMove } from '../camera/presets.js';
import { ENVIRONMENT_KINDS, SUBJECT_KINDS, type EnvironmentKind } from '../prompt/lexicon.js';
import type { ParsedPrompt } from '../prompt/parse-prompt.js';
import { directionVector, type AmbientParams } from './motion-params.js';

/** A prompt as a motion vector: one intensity per camera command, environment kind and subject motion. */
export type MotionVector = Record<string, number>;

export function toVector(p: ParsedPrompt | undefined): MotionVector {
  const v: MotionVector = {};
  if (!p) return v;
  const add = (k: string, x: number) => (v[k] = Math.max(v[k] ?? 0, x));
  for (const c of p.camera) add(`camera:${c.command}`, c.command === 'static' ? 1 : c.intensity);
  for (const e of p.environment) add(`env:${e.kind}`, e.intensity);
  for (const s of p.subject) add(`subject:${s.kind}`, s.intensity);
  return v;
}

export interface GuideOptions {
  /** Camera moves of the negative prompt take part (v1). Left out, a negative never cancels a positive's move. */
  cameraFromNegative?: boolean;
  /** cfg scales camera moves too (v1); else the camera is the positive prompt's as written. */
  cameraCfg?: boolean;
}

/** Classifier-free guidance on motion: uncond + cfg × (cond − uncond), clamped to what the renderer allows. */
export function guide(cond: MotionVector, uncond: MotionVector, cfg: number, o: GuideOptions = {}): MotionVector {
  const out: MotionVector = {};
  const fromNegative = o.cameraFromNegative ?? true;
  const cameraCfg = o.cameraCfg ?? true;
  for (const k of new Set([...Object.keys(cond), ...Object.keys(uncond)])) {
    const camera = k.startsWith('camera:');
    const c = cond[k] ?? 0;
    const u = camera && !fromNegative ? 0 : (uncond[k] ?? 0);
    const g = camera && !cameraCfg ? 1 : cfg;
    out[k] = Math.min(1.5, Math.max(0, u + g * (c - u)));
  }
  return out;
}

/** Ambient motion a photo gets even when the prompt does not name it: barely there, keeps water and sky alive. */
const AUTO_AMBIENT: Partial<Record<EnvironmentKind, number>> = { clouds: 0.12, ripples: 0.15, wind: 0.12 };

export function ambientFrom(
  v: MotionVector,
  positive: ParsedPrompt,
  scale: number,
  auto: Partial<Record<EnvironmentKind, number>> = AUTO_AMBIENT,
): AmbientParams {
  const env = Object.fromEntries(
    ENVIRONMENT_KINDS.map((k) => [k, Math.max(v[`env:${k}`] ?? 0, auto[k] ?? 0) * scale]),
  ) as AmbientParams['env'];
  const fallback: Record<EnvironmentKind, [number, number]> = {
    clouds: [-1, 0],
    waves: [0, 1],
    ripples: [1, 0],
    flow: [0, 1],
    wind: [1, 0],
    mist: [0, -1],
    rain: [0.15, 1],
    snow: [0.1, 1],
    shimmer: [1, 0],
  };
  const dir = Object.fromEntries(
    ENVIRONMENT_KINDS.map((k) => [k, directionVector(positive.environment.find((e) => e.kind === k)?.direction, fallback[k])]),
  ) as AmbientParams['dir'];
  const subject = Object.fromEntries(SUBJECT_KINDS.map((k) => [k, (v[`subject:${k}`] ?? 0) * scale])) as AmbientParams['subject'];
  return { env, dir, subject };
}

/** Camera moves from the guided prompt (used when no CAMERA input is connected). */
export function cameraMovesFrom(v: MotionVector, scale: number): CameraMove[] {
  if ((v['camera:static'] ?? 0) > 0.5) return [];
  return CAMERA_COMMANDS.filter((c): c is CameraCommand => c !== 'static' && (v[`camera:${c}`] ?? 0) > 0.01).map((c) => ({
    type: c,
    intensity: Math.min(1, v[`camera:${c}`] * scale),
    easing: 'ease_in_out',
    start: 0,
    end: 1,
  }));
}
