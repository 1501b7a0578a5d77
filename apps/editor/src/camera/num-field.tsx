import { useEffect, useState } from 'react';

/**
 * A number typed into the camera editor: each keystroke is checked (`check` answers with the schema's
 * complaint, or nothing) and only an accepted value reaches the document; a refused one stays red in the
 * field with the reason under it, and leaving the field puts the stored value back.
 */
export function NumField(props: {
  label: string;
  value: number;
  step?: number;
  check: (v: number) => string | undefined;
  onValue: (v: number) => void;
  testId?: string;
  width?: number;
  /** The reason shows right-aligned over the field (a field at the right edge of the editor). */
  alignEnd?: boolean;
}) {
  const [text, setText] = useState(String(props.value));
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    if (!error) setText(String(props.value));
  }, [props.value, error]);
  return (
    <label className={'kg-cam-num' + (error ? ' invalid' : '') + (props.alignEnd ? ' align-end' : '')} title={error ?? props.label}>
      <span className="kg-cam-num-label">{props.label}</span>
      <input
        type="text"
        inputMode="decimal"
        aria-label={props.label}
        aria-invalid={Boolean(error)}
        data-testid={props.testId}
        style={props.width ? { width: props.width } : undefined}
        value={text}
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          const v = Number(t);
          const problem = t.trim() === '' || !Number.isFinite(v) ? 'a number is needed' : props.check(v);
          setError(problem);
          if (!problem && v !== props.value) props.onValue(v);
        }}
        onBlur={() => {
          setError(undefined);
          setText(String(props.value));
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
            e.preventDefault();
            const v = Math.round((props.value + (e.key === 'ArrowUp' ? 1 : -1) * (props.step ?? 0.05)) * 1000) / 1000;
            const problem = props.check(v);
            setError(problem);
            if (!problem) props.onValue(v);
          }
        }}
      />
      {error && (
        <span className="kg-cam-num-error" role="alert" data-testid="camera-error">
          {error}
        </span>
      )}
    </label>
  );
}
