/** The camera path value the editor edits (the CameraPath node's `path`), read leniently from whatever is stored. */
export interface Move {
  type: string;
  intensity: number;
  easing: string;
  start: number;
  end: number;
}
export interface Keyframe {
  t: number;
  position?: [number, number, number];
  rotation?: [number, number, number];
  fov?: number;
}
export interface PathValue {
  moves: Move[];
  keyframes: Keyframe[];
  shakeSeed: number;
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);

export function readPath(v: unknown): PathValue {
  const r = isRec(v) ? v : {};
  const moves = (Array.isArray(r.moves) ? r.moves : []).filter(isRec).map((m) => ({
    type: String(m.type ?? 'static'),
    intensity: num(m.intensity, 0.5),
    easing: String(m.easing ?? 'ease_in_out'),
    start: num(m.start, 0),
    end: num(m.end, 1),
  }));
  const keyframes = (Array.isArray(r.keyframes) ? r.keyframes : [])
    .filter(isRec)
    .map((k) => ({ ...(k as unknown as Keyframe), t: num(k.t, 0) }));
  return { moves, keyframes, shakeSeed: num(r.shakeSeed, 1) };
}

/** Keyframes in time order, each with its index in the stored list. */
export function keyOrder(p: PathValue): number[] {
  return p.keyframes.map((_, i) => i).sort((a, b) => p.keyframes[a]!.t - p.keyframes[b]!.t);
}

/** Start, end and in-between colours, told apart at a glance (and not only by hue: the start is hollow in the legend too). */
export const KEY_COLORS = { start: '#5fd38d', end: '#ff6b6b', between: '#4fa3ff' } as const;

export function keyRole(p: PathValue, i: number): keyof typeof KEY_COLORS {
  const order = keyOrder(p);
  if (order[0] === i) return 'start';
  if (order.length > 1 && order[order.length - 1] === i) return 'end';
  return 'between';
}
