import { useRef } from 'react';
import { rectOf, viewOf, type FrameRect, type ViewLimits } from './framing.js';
import { KEY_COLORS, keyRole, type PathValue } from './path-model.js';

const VIEW_W = 1000;

/**
 * The photo with each keyframe's framing drawn over it: drag a rectangle to aim the camera there, drag its
 * corner to frame tighter or wider. `onDrag` receives the keyframe's new view while dragging (one undo step
 * per drag: `onDragStart`/`onDragEnd`).
 */
export function FramingView(props: {
  path: PathValue;
  photoUrl?: string;
  aspect: number;
  limits: ViewLimits;
  selected: number;
  onSelect: (i: number) => void;
  onDragStart: () => void;
  onDrag: (i: number, view: { rotation: [number, number, number]; fov: number }) => void;
  onDragEnd: () => void;
}) {
  const svg = useRef<SVGSVGElement>(null);
  const { path, aspect } = props;
  const H = VIEW_W / aspect;
  const rectFor = (i: number): FrameRect => {
    const k = path.keyframes[i]!;
    return rectOf({ rotation: k.rotation ?? [0, 0, 0], fov: k.fov ?? 45 }, aspect);
  };

  const startDrag = (e: React.PointerEvent, i: number, mode: 'move' | 'resize') => {
    e.preventDefault();
    e.stopPropagation();
    props.onSelect(i);
    const box = svg.current!.getBoundingClientRect();
    const r0 = rectFor(i);
    const roll = path.keyframes[i]!.rotation?.[2] ?? 0;
    const x0 = e.clientX;
    const y0 = e.clientY;
    const d0 = Math.hypot(x0 - (box.left + r0.cx * box.width), y0 - (box.top + r0.cy * box.height));
    props.onDragStart();
    const move = (ev: PointerEvent) => {
      let r: FrameRect;
      if (mode === 'move') r = { ...r0, cx: r0.cx + (ev.clientX - x0) / box.width, cy: r0.cy + (ev.clientY - y0) / box.height };
      else {
        const d = Math.hypot(ev.clientX - (box.left + r0.cx * box.width), ev.clientY - (box.top + r0.cy * box.height));
        r = { ...r0, h: Math.max(0.05, r0.h * (d / Math.max(1, d0))) };
      }
      props.onDrag(i, viewOf(r, aspect, roll, props.limits));
    };
    const up = () => {
      removeEventListener('pointermove', move);
      removeEventListener('pointerup', up);
      props.onDragEnd();
    };
    addEventListener('pointermove', move);
    addEventListener('pointerup', up);
  };

  // Selected last, so it is on top and its handles can be grabbed.
  const order = path.keyframes.map((_, i) => i).sort((a, b) => (a === props.selected ? 1 : b === props.selected ? -1 : 0));
  return (
    <div
      className="kg-cam-photo"
      style={{ aspectRatio: String(aspect), width: `${(42 * aspect).toFixed(1)}vh`, maxWidth: '100%' }}
      data-testid="camera-framing"
    >
      {props.photoUrl ? (
        <img src={props.photoUrl} alt="the photo" draggable={false} />
      ) : (
        <div className="kg-cam-nophoto">no photo upstream</div>
      )}
      <svg ref={svg} viewBox={`0 0 ${VIEW_W} ${H}`} preserveAspectRatio="none">
        {/* The photo's own frame, for reference. */}
        <rect x={0} y={0} width={VIEW_W} height={H} fill="none" stroke="#fff4" strokeDasharray="8 8" />
        {order.map((i) => {
          const r = rectFor(i);
          const role = keyRole(path, i);
          const color = KEY_COLORS[role];
          const x = (r.cx - r.h / 2) * VIEW_W;
          const y = (r.cy - r.h / 2) * H;
          const w = r.h * VIEW_W;
          const h = r.h * H;
          const sel = i === props.selected;
          return (
            <g key={i} data-testid={`framing-${role}`} data-key={i} className={'kg-cam-frame' + (sel ? ' selected' : '')}>
              <rect
                x={x}
                y={y}
                width={w}
                height={h}
                fill={sel ? `${color}22` : 'transparent'}
                stroke={color}
                strokeWidth={sel ? 5 : 3}
                style={{ cursor: 'move' }}
                onPointerDown={(e) => startDrag(e, i, 'move')}
              />
              <circle cx={r.cx * VIEW_W} cy={r.cy * H} r={7} fill={color} pointerEvents="none" />
              <text x={x + 10} y={y + 30} fill={color} fontSize={26} fontWeight={600} pointerEvents="none">
                {role === 'between' ? `t ${path.keyframes[i]!.t}` : role}
              </text>
              <rect
                x={x + w - 14}
                y={y + h - 14}
                width={28}
                height={28}
                fill={color}
                data-testid={`framing-${role}-corner`}
                style={{ cursor: 'nwse-resize' }}
                onPointerDown={(e) => startDrag(e, i, 'resize')}
              />
            </g>
          );
        })}
      </svg>
    </div>
  );
}
