/**
 * Reads a camera path value into points to draw, without knowing the node that owns it: explicit keyframe
 * positions when there are any, else the named moves read by their direction words (left/right, in/out,
 * up/down, orbit), each over its own start..end time, scaled by its intensity. A sketch, not the renderer.
 */
export interface PathPoint {
  /** Sideways (right positive). */
  x: number;
  /** Height (up positive). */
  y: number;
  /** Depth (forward positive). */
  z: number;
}

export interface MoveSpan {
  label: string;
  start: number;
  end: number;
  intensity: number;
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown, d = 0) => (typeof v === 'number' && Number.isFinite(v) ? v : d);

function vec(v: unknown): PathPoint | null {
  if (Array.isArray(v) && typeof v[0] === 'number') return { x: num(v[0]), y: num(v[1]), z: num(v[2]) };
  if (isRec(v) && (typeof v.x === 'number' || typeof v.z === 'number')) return { x: num(v.x), y: num(v.y), z: num(v.z) };
  return null;
}

/** Direction of a named move, from the words in its name. */
export function moveDirection(name: string): { dx: number; dy: number; dz: number; orbit: number } {
  const n = name.toLowerCase();
  const has = (w: string) => new RegExp(`(^|[_\\s-])${w}($|[_\\s-])`).test(n);
  const orbit = n.includes('orbit') ? (has('left') ? -1 : 1) : 0;
  return {
    dx: orbit ? 0 : (has('right') ? 1 : 0) - (has('left') ? 1 : 0),
    dy: (has('up') || n.includes('crane') ? 1 : 0) - (has('down') ? 1 : 0),
    dz: (has('in') || n.includes('push') || n.includes('dolly_in') ? 1 : 0) - (has('out') || n.includes('pull') ? 1 : 0),
    orbit,
  };
}

export function readMoves(value: unknown): MoveSpan[] {
  const moves = isRec(value) && Array.isArray(value.moves) ? value.moves : [];
  return moves.filter(isRec).map((m) => ({
    label: String(m.type ?? m.name ?? 'move'),
    start: Math.max(0, Math.min(1, num(m.start, 0))),
    end: Math.max(0, Math.min(1, num(m.end, 1))),
    intensity: num(m.intensity, 0.5),
  }));
}

/** Points along the path at `samples` moments from start to end. */
export function pathPoints(value: unknown, samples = 24): PathPoint[] {
  const keyframes = isRec(value) && Array.isArray(value.keyframes) ? value.keyframes : Array.isArray(value) ? value : [];
  const fromKeys = keyframes.map((k) => (isRec(k) ? vec(k.position ?? k.camera ?? k) : vec(k))).filter((p): p is PathPoint => p !== null);
  if (fromKeys.length > 0) return fromKeys;
  const moves = readMoves(value);
  if (moves.length === 0) return [];
  const out: PathPoint[] = [];
  for (let i = 0; i <= samples; i++) {
    const t = i / samples;
    const p = { x: 0, y: 0, z: 0 };
    for (const m of moves) {
      const span = Math.max(1e-6, m.end - m.start);
      const e = Math.max(0, Math.min(1, (t - m.start) / span));
      const d = moveDirection(m.label);
      const a = e * m.intensity;
      p.x += d.dx * a;
      p.y += d.dy * a;
      p.z += d.dz * a;
      if (d.orbit) {
        const ang = d.orbit * a * Math.PI * 0.5;
        p.x += Math.sin(ang) * 0.5;
        p.z += (1 - Math.cos(ang)) * 0.5;
      }
    }
    out.push(p);
  }
  return out;
}
