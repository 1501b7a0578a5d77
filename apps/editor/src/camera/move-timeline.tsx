import { useRef } from 'react';
import { NumField } from './num-field.js';
import type { Move } from './path-model.js';

const label = (s: string) => s.replace(/_/g, ' ');

/**
 * The Director moves on a timeline: a palette of every move the node offers, then one row per move with
 * its intensity, easing, and its start..end as a bar to drag (either end, or the whole bar).
 */
export function MoveTimeline(props: {
  moves: Move[];
  palette: string[];
  easings: string[];
  maxMoves: number;
  /** The schema's complaint about `moves[i].field = v`, if any. */
  check: (i: number, field: keyof Move, v: unknown) => string | undefined;
  onChange: (i: number, patch: Partial<Move>, label: string) => void;
  onAdd: (type: string) => void;
  onRemove: (i: number) => void;
  onDragStart: () => void;
  onDragEnd: () => void;
}) {
  const tracks = useRef<Array<HTMLDivElement | null>>([]);
  const drag = (e: React.PointerEvent, i: number, part: 'start' | 'end' | 'bar') => {
    e.preventDefault();
    const box = tracks.current[i]!.getBoundingClientRect();
    const m0 = props.moves[i]!;
    const x0 = e.clientX;
    props.onDragStart();
    const snap = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 100) / 100;
    const move = (ev: PointerEvent) => {
      const dt = (ev.clientX - x0) / box.width;
      if (part === 'start') props.onChange(i, { start: snap(Math.min(m0.end, m0.start + dt)) }, 'Move start');
      else if (part === 'end') props.onChange(i, { end: snap(Math.max(m0.start, m0.end + dt)) }, 'Move end');
      else {
        const d = Math.min(1 - m0.end, Math.max(-m0.start, dt));
        props.onChange(i, { start: snap(m0.start + d), end: snap(m0.end + d) }, 'Move timing');
      }
    };
    const up = () => {
      removeEventListener('pointermove', move);
      removeEventListener('pointerup', up);
      props.onDragEnd();
    };
    addEventListener('pointermove', move);
    addEventListener('pointerup', up);
  };
  return (
    <div className="kg-cam-moves">
      <div className="kg-cam-palette" role="toolbar" aria-label="Director moves" data-testid="move-palette">
        {props.palette.map((t) => (
          <button
            key={t}
            className="kg-cam-chip"
            data-move={t}
            disabled={props.moves.length >= props.maxMoves}
            onClick={() => props.onAdd(t)}
            title={`Add ${label(t)}`}
          >
            + {label(t)}
          </button>
        ))}
      </div>
      {props.moves.length === 0 && (
        <div className="kg-cam-empty">No moves: the keyframes alone drive the camera (or it holds still). Pick a move above.</div>
      )}
      {props.moves.map((m, i) => (
        <div key={i} className="kg-cam-move" data-testid="camera-move" data-index={i}>
          <select aria-label="Move" value={m.type} onChange={(e) => props.onChange(i, { type: e.target.value }, 'Move type')}>
            {(props.palette.includes(m.type) ? props.palette : [m.type, ...props.palette]).map((t) => (
              <option key={t} value={t}>
                {label(t)}
              </option>
            ))}
          </select>
          <NumField
            label="intensity"
            value={m.intensity}
            step={0.05}
            width={52}
            testId="move-intensity"
            check={(v) => props.check(i, 'intensity', v)}
            onValue={(v) => props.onChange(i, { intensity: v }, 'Move intensity')}
          />
          <select aria-label="Easing" value={m.easing} onChange={(e) => props.onChange(i, { easing: e.target.value }, 'Move easing')}>
            {props.easings.map((t) => (
              <option key={t} value={t}>
                {label(t)}
              </option>
            ))}
          </select>
          <div className="kg-cam-track" ref={(el) => void (tracks.current[i] = el)}>
            <span className="kg-cam-playhead" />
            <div
              className="kg-cam-bar"
              style={{
                left: `${m.start * 100}%`,
                width: `${Math.max(0, m.end - m.start) * 100}%`,
                opacity: 0.45 + 0.55 * Math.min(1, m.intensity),
              }}
              onPointerDown={(e) => drag(e, i, 'bar')}
              data-testid="move-bar"
            >
              <span className="kg-cam-grip start" onPointerDown={(e) => (e.stopPropagation(), drag(e, i, 'start'))} />
              <span
                className="kg-cam-grip end"
                onPointerDown={(e) => (e.stopPropagation(), drag(e, i, 'end'))}
                data-testid="move-end-grip"
              />
            </div>
          </div>
          <NumField
            label="start"
            value={m.start}
            width={44}
            alignEnd
            check={(v) => props.check(i, 'start', v)}
            onValue={(v) => props.onChange(i, { start: v }, 'Move start')}
          />
          <NumField
            label="end"
            value={m.end}
            width={44}
            alignEnd
            check={(v) => props.check(i, 'end', v)}
            onValue={(v) => props.onChange(i, { end: v }, 'Move end')}
          />
          <button className="kg-icon-btn" aria-label={`Remove ${label(m.type)}`} onClick={() => props.onRemove(i)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
