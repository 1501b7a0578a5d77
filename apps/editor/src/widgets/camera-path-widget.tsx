import { memo } from 'react';
import { JsonWidget } from './basic-widgets.js';
import type { WidgetProps } from './widget-props.js';

type Pt = { x: number; y: number; z: number };

const PAIRS: [string, string, string?][] = [
  ['x', 'y', 'z'],
  ['panX', 'panY', 'zoom'],
  ['tx', 'ty', 'tz'],
  ['pan', 'tilt', 'zoom'],
  ['yaw', 'pitch', 'dolly'],
];

/** Reads a polyline out of whatever keyframe shape the camera node uses: {x,y,z}-like objects or [x,y,z] tuples. */
export function pathPoints(value: unknown): Pt[] {
  const v = value as Record<string, unknown> | unknown[] | null;
  const arr: unknown[] | undefined = Array.isArray(v)
    ? v
    : v && typeof v === 'object'
      ? ((Object.values(v).find((x) => Array.isArray(x) && x.length > 0) as unknown[]) ?? undefined)
      : undefined;
  if (!arr) return [];
  const out: Pt[] = [];
  for (const k of arr) {
    if (Array.isArray(k) && typeof k[0] === 'number') out.push({ x: k[0], y: Number(k[1] ?? 0), z: Number(k[2] ?? 0) });
    else if (k && typeof k === 'object') {
      const o = k as Record<string, unknown>;
      const src = (o.position ?? o.camera ?? o) as Record<string, unknown>;
      const pair = PAIRS.find(([a, b]) => typeof src[a] === 'number' || typeof src[b] === 'number');
      if (pair) out.push({ x: Number(src[pair[0]] ?? 0), y: Number(src[pair[1]] ?? 0), z: pair[2] ? Number(src[pair[2]] ?? 0) : 0 });
    }
  }
  return out;
}

/** Draws the camera path seen from above (x right, y down; dot size = depth) over a JSON editor. */
export const CameraPathWidget = memo(function CameraPathWidget(props: WidgetProps) {
  const pts = pathPoints(props.value);
  const W = 220;
  const H = 110;
  let body: React.ReactNode = <text x={W / 2} y={H / 2} textAnchor="middle" fill="#777" fontSize="11">static camera</text>;
  if (pts.length > 0) {
    const xs = pts.map((p) => p.x);
    const ys = pts.map((p) => p.y);
    const zs = pts.map((p) => p.z);
    const span = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys), 1e-6);
    const cx = (Math.max(...xs) + Math.min(...xs)) / 2;
    const cy = (Math.max(...ys) + Math.min(...ys)) / 2;
    const s = (Math.min(W, H) - 24) / span;
    const zmin = Math.min(...zs);
    const zspan = Math.max(...zs) - zmin || 1;
    const P = pts.map((p) => ({ x: W / 2 + (p.x - cx) * s, y: H / 2 + (p.y - cy) * s, r: 2.5 + ((p.z - zmin) / zspan) * 3 }));
    body = (
      <>
        <polyline points={P.map((p) => `${p.x},${p.y}`).join(' ')} fill="none" stroke="#4dd0e1" strokeWidth="1.5" />
        {P.map((p, i) => (
          <circle key={i} cx={p.x} cy={p.y} r={p.r} fill={i === 0 ? '#81c784' : i === P.length - 1 ? '#ff8a80' : '#4dd0e1'} />
        ))}
      </>
    );
  }
  return (
    <div className="kg-camera nodrag">
      <svg className="kg-camera-svg" width={W} height={H} viewBox={`0 0 ${W} ${H}`} data-points={pts.length}>
        <line x1={W / 2} y1={0} x2={W / 2} y2={H} stroke="#333" />
        <line x1={0} y1={H / 2} x2={W} y2={H / 2} stroke="#333" />
        {body}
      </svg>
      <JsonWidget {...props} />
    </div>
  );
});
