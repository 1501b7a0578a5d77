import { memo, useEffect, useState } from 'react';
import type { WidgetProps } from './widget-props.js';

export const ChoiceWidget = memo(function ChoiceWidget({ hint, value, onChange, invalid, name }: WidgetProps) {
  const choices = hint.choices ?? [];
  const v = String(value ?? '');
  return (
    <select
      className={'kg-select nodrag' + (invalid ? ' invalid' : '')}
      data-param={name}
      value={v}
      onChange={(e) => onChange(e.target.value)}
    >
      {!choices.includes(v) && <option value={v}>{v || '—'}</option>}
      {choices.map((c) => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </select>
  );
});

export const ToggleWidget = memo(function ToggleWidget({ value, onChange, name }: WidgetProps) {
  const on = Boolean(value);
  return (
    <button
      className={'kg-toggle nodrag' + (on ? ' on' : '')}
      data-param={name}
      role="switch"
      aria-checked={on}
      onClick={() => onChange(!on)}
    >
      <span className="kg-toggle-knob" />
      <span className="kg-toggle-label">{on ? 'on' : 'off'}</span>
    </button>
  );
});

/** Text that commits on blur or Enter, so typing is one undo step, not one per key. */
export const TextWidget = memo(function TextWidget({ hint, value, onChange, invalid, name }: WidgetProps) {
  const v = String(value ?? '');
  const [text, setText] = useState(v);
  useEffect(() => setText(v), [v]);
  return (
    <input
      className={'kg-input nodrag' + (invalid ? ' invalid' : '')}
      data-param={name}
      value={text}
      placeholder={hint.placeholder}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => text !== v && onChange(text)}
      onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
    />
  );
});

export const MultilineWidget = memo(function MultilineWidget({ hint, value, onChange, invalid, name }: WidgetProps) {
  const v = String(value ?? '');
  const [text, setText] = useState(v);
  useEffect(() => setText(v), [v]);
  return (
    <textarea
      className={'kg-textarea nodrag nowheel' + (invalid ? ' invalid' : '')}
      data-param={name}
      value={text}
      rows={3}
      placeholder={hint.placeholder}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => text !== v && onChange(text)}
    />
  );
});

export const JsonWidget = memo(function JsonWidget({ value, onChange, invalid, name }: WidgetProps) {
  const v = JSON.stringify(value ?? null, null, 1);
  const [text, setText] = useState(v);
  const [bad, setBad] = useState<string | null>(null);
  useEffect(() => setText(v), [v]);
  return (
    <div className="kg-json">
      <textarea
        className={'kg-textarea kg-mono nodrag nowheel' + (invalid || bad ? ' invalid' : '')}
        data-param={name}
        rows={4}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          try {
            const parsed = JSON.parse(text);
            setBad(null);
            if (JSON.stringify(parsed) !== JSON.stringify(value)) onChange(parsed);
          } catch (err) {
            setBad((err as Error).message);
          }
        }}
      />
      {bad && <div className="kg-field-error">Invalid JSON: {bad}</div>}
    </div>
  );
});
