import { memo, useState } from 'react';
import { createPortal } from 'react-dom';
import { CameraEditor } from '../camera/camera-editor.js';
import { KEY_COLORS } from '../camera/path-model.js';
import { pathPoints, readMoves } from './camera-path.js';
import type { WidgetProps } from './widget-props.js';

const stop = (e: React.SyntheticEvent) => e.stopPropagation();
const W = 240;
const H = 120;
const START_COLOR = KEY_COLORS.start;
const END_COLOR = KEY_COLORS.end;

/**
 * The camera path seen from above (sideways →, forward ↑, dot size = height) and its moves on a timeline;
 * "Direct camera" opens the camera editor (framing over the photo, moves, live preview).
 */
export const CameraPathWidget = memo(function CameraPathWidget(props: WidgetProps) {
  const [editing, setEditing] = useState(false);
  const pts = pathPoints(props.value);
  const moves = readMoves(props.value);
  const moving = pts.some((p) => p.x !== pts[0]!.x || p.y !== pts[0]!.y || p.z !== pts[0]!.z);
  let body: React.ReactNode = (
    <text x={W / 2} y={H / 2} textAnchor="middle" fill="#999" fontSize="13">
      static camera
    </text>
  );
  if (moving) {
    const xs = pts.map((p) => p.x);
    const zs = pts.map((p) => p.z);
    const ys = pts.map((p) => p.y);
    const span = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...zs) - Math.min(...zs), 0.2);
    const cx = (Math.max(...xs) + Math.min(...xs)) / 2;
    const cz = (Math.max(...zs) + Math.min(...zs)) / 2;
    const s = (Math.min(W, H) - 30) / span;
    const ymin = Math.min(...ys);
    const yspan = Math.max(...ys) - ymin || 1;
    const P = pts.map((p) => ({ x: W / 2 + (p.x - cx) * s, y: H / 2 - (p.z - cz) * s, r: 2 + ((p.y - ymin) / yspan) * 2.5 }));
    const last = P[P.length - 1]!;
    body = (
      <>
        <polyline points={P.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')} fill="none" stroke="#4dd0e1" strokeWidth="2" />
        <circle cx={P[0]!.x} cy={P[0]!.y} r={4} fill={START_COLOR} />
        <circle cx={last.x} cy={last.y} r={last.r + 1.5} fill={END_COLOR} />
      </>
    );
  }
  return (
    <div className="kg-camera nodrag" data-param={props.name}>
      <svg
        className="kg-camera-svg"
        viewBox={`0 0 ${W} ${H}`}
        data-points={moving ? pts.length : 0}
        role="img"
        aria-label="camera path, seen from above"
      >
        <line x1={W / 2} y1={0} x2={W / 2} y2={H} stroke="#2c313c" />
        <line x1={0} y1={H / 2} x2={W} y2={H / 2} stroke="#2c313c" />
        {body}
      </svg>
      {/* In HTML, not the SVG: it keeps its readable size whatever the drawing's scale, and each dot its own colour. */}
      <div className="kg-camera-legend">
        from above · <span style={{ color: START_COLOR }}>● start</span> · <span style={{ color: END_COLOR }}>● end</span>
      </div>
      {moves.length > 0 && (
        <div className="kg-camera-moves">
          {moves.map((m, i) => (
            <div
              key={i}
              className="kg-camera-move"
              title={`${m.label}: intensity ${m.intensity}, ${Math.round(m.start * 100)}%–${Math.round(m.end * 100)}%`}
            >
              <span className="kg-camera-move-label">{m.label.replace(/_/g, ' ')}</span>
              <span className="kg-camera-move-track">
                <span
                  className="kg-camera-move-bar"
                  style={{
                    left: `${m.start * 100}%`,
                    width: `${Math.max(2, (m.end - m.start) * 100)}%`,
                    opacity: 0.35 + 0.65 * Math.min(1, m.intensity),
                  }}
                />
              </span>
            </div>
          ))}
        </div>
      )}
      <button className="kg-btn kg-camera-edit" data-testid="open-camera-editor" onClick={() => setEditing(true)}>
        Direct camera…
      </button>
      {/* On the page, not in the node: the canvas's zoom must not scale the editor. */}
      {editing &&
        createPortal(
          // React passes a portal's events up to the node; they stop here, so the canvas never sees a click in the editor.
          <div
            onClick={stop}
            onDoubleClick={stop}
            onPointerDown={stop}
            onMouseDown={stop}
            onKeyDown={stop}
            onContextMenu={stop}
            onWheel={stop}
          >
            <CameraEditor nodeId={props.nodeId} param={props.name} onClose={() => setEditing(false)} />
          </div>,
          document.body,
        )}
    </div>
  );
});
