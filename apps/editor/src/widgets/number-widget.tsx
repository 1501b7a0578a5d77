import { memo, useEffect, useRef, useState } from 'react';
import type { WidgetProps } from './widget-props.js';

function clamp(v: number, min?: number, max?: number): number {
  if (min !== undefined && v < min) return min;
  if (max !== undefined && v > max) return max;
  return v;
}

function decimals(step: number): number {
  const s = String(step);
  return s.includes('.') ? s.split('.')[1].length : 0;
}

export function roundToStep(v: number, step: number, min?: number, max?: number): number {
  const d = decimals(step);
  const base = min ?? 0;
  const r = Math.round((v - base) / step) * step + base;
  return clamp(Number(r.toFixed(d)), min, max);
}

/** A number field: drag the arrows/edges to change it, click to type; min/max/step from the hint. */
export const NumberWidget = memo(function NumberWidget({ hint, value, onChange, invalid, name }: WidgetProps) {
  const step = hint.step ?? 1;
  const num = typeof value === 'number' ? value : Number(hint.default ?? 0);
  const [text, setText] = useState(String(num));
  const [editing, setEditing] = useState(false);
  const drag = useRef<{ x: number; start: number; moved: boolean } | null>(null);
  useEffect(() => {
    if (!editing) setText(String(num));
  }, [num, editing]);

  const commit = (raw: string) => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v)) {
      setText(String(num));
      return;
    }
    const next = clamp(v, hint.min, hint.max);
    setText(String(next));
    if (next !== num) onChange(next);
  };

  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    if (editing || e.button !== 0) return;
    drag.current = { x: e.clientX, start: num, moved: false };
    (e.target as HTMLElement).setPointerCapture?.(e.pointerId);
  };
  const onPointerMove = (e: React.PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    const dx = e.clientX - d.x;
    if (Math.abs(dx) > 3) d.moved = true;
    if (d.moved) setText(String(roundToStep(d.start + Math.round(dx / 4) * step, step, hint.min, hint.max)));
  };
  const onPointerUp = () => {
    const d = drag.current;
    drag.current = null;
    if (!d) return;
    if (d.moved) commit(text);
    else setEditing(true);
  };
  const nudge = (dir: number) => onChange(roundToStep(num + dir * step, step, hint.min, hint.max));

  return (
    <div className={'kg-number nodrag' + (invalid ? ' invalid' : '')} data-param={name}>
      <button className="kg-number-arrow" tabIndex={-1} onClick={() => nudge(-1)} aria-label="decrease">
        ‹
      </button>
      {editing ? (
        <input
          className="kg-number-input"
          autoFocus
          value={text}
          inputMode="decimal"
          onChange={(e) => setText(e.target.value)}
          onBlur={(e) => {
            setEditing(false);
            commit(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
            if (e.key === 'Escape') {
              setText(String(num));
              setEditing(false);
            }
          }}
        />
      ) : (
        <div
          className="kg-number-value"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          title="Drag to change, click to type"
        >
          {text}
        </div>
      )}
      <button className="kg-number-arrow" tabIndex={-1} onClick={() => nudge(1)} aria-label="increase">
        ›
      </button>
    </div>
  );
});

export const SliderWidget = memo(function SliderWidget(props: WidgetProps) {
  const { hint, value, onChange, name } = props;
  const num = typeof value === 'number' ? value : Number(hint.default ?? 0);
  const [v, setV] = useState(num);
  useEffect(() => setV(num), [num]);
  return (
    <div className="kg-slider nodrag" data-param={name}>
      <input
        type="range"
        className="nodrag"
        min={hint.min ?? 0}
        max={hint.max ?? 1}
        step={hint.step ?? 0.01}
        value={v}
        onChange={(e) => setV(Number(e.target.value))}
        onPointerUp={() => v !== num && onChange(v)}
        onKeyUp={() => v !== num && onChange(v)}
      />
      <NumberWidget {...props} value={v} />
    </div>
  );
});
