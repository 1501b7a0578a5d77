import { memo, useEffect, useRef, useState } from 'react';
import type { ParamHint } from '../api/types.js';
import { useApp } from '../app-context.js';
import { inputFileUrl } from '../widgets/upload-widgets.js';
import { sweepKey, sweepStore, useSweep } from './sweep-store.js';
import { eachPattern, initialText, sweepAxis, sweepStyle, type SweepDraft } from './sweep-values.js';
import './sweep.css';

interface Props {
  nodeId: string;
  name: string;
  hint: ParamHint;
  value: unknown;
}

/** The parameter head's action: "sweep" (several values) or, on a file parameter, "for each" (several files). */
export const SweepToggle = memo(function SweepToggle({ nodeId, name, hint, value }: Props) {
  const style = sweepStyle(hint);
  const on = useSweep((s) => Boolean(s.drafts[sweepKey(nodeId, name)]));
  if (!style) return null;
  const label = style === 'each' ? 'for each' : 'sweep';
  const start = () => {
    if (on) return sweepStore.remove(nodeId, name);
    if (style === 'each') sweepStore.put({ nodeId, param: name, kind: 'each', files: value ? [String(value)] : [] });
    else sweepStore.put({ nodeId, param: name, kind: 'sweep', text: initialText(hint, value) });
  };
  return (
    <button
      className={'kg-sweep-toggle nodrag' + (on ? ' on' : '')}
      aria-pressed={on}
      aria-label={`${style === 'each' ? 'For each file' : 'Sweep'}: ${hint.label ?? name}`}
      title={
        style === 'each'
          ? 'Run once for each of several files'
          : 'Run once for each of several values (a list, a range like 1..8, one text a line)'
      }
      onClick={start}
    >
      {on ? `✓ ${label}` : label}
    </button>
  );
});

/** Below a swept parameter: its values (or files), how many runs they make, or what is wrong with them. */
export const SweepEditor = memo(function SweepEditor({ nodeId, name, hint }: Props) {
  const draft = useSweep((s) => s.drafts[sweepKey(nodeId, name)]);
  if (!draft) return null;
  return draft.kind === 'each' ? (
    <EachEditor draft={draft} kind={hint.widget === 'audio-upload' ? 'audio' : 'image'} />
  ) : (
    <ValuesEditor draft={draft} hint={hint} />
  );
});

function ValuesEditor({ draft, hint }: { draft: Extract<SweepDraft, { kind: 'sweep' }>; hint: ParamHint }) {
  const [text, setText] = useState(draft.text);
  useEffect(() => setText(draft.text), [draft.text]);
  const lines = sweepStyle(hint) === 'lines';
  // Checked as typed, stored on every key (not an undo step: a sweep is not part of the document).
  const parsed = sweepAxis({ ...draft, text }, hint);
  const update = (t: string) => {
    setText(t);
    sweepStore.put({ ...draft, text: t });
  };
  const placeholder = lines ? 'one value a line' : sweepStyle(hint) === 'number' ? '1..8, or 1, 2, 5' : (hint.choices ?? []).join(', ');
  return (
    <div className="kg-sweep nodrag" data-sweep={draft.param}>
      {lines ? (
        <textarea
          className="kg-textarea nowheel"
          rows={Math.min(8, Math.max(3, text.split('\n').length + 1))}
          value={text}
          placeholder={placeholder}
          aria-label={`Sweep values of ${draft.param}`}
          onChange={(e) => update(e.target.value)}
        />
      ) : (
        <input
          className="kg-input"
          value={text}
          placeholder={placeholder}
          aria-label={`Sweep values of ${draft.param}`}
          onChange={(e) => update(e.target.value)}
        />
      )}
      <div className={'kg-sweep-note' + (parsed.ok ? '' : ' bad')}>
        {parsed.ok ? `${parsed.axis.values.length} values: ${preview(parsed.axis.values)}` : parsed.message}
        <button
          className="kg-icon-btn"
          title="Stop sweeping this parameter"
          aria-label="Remove sweep"
          onClick={() => sweepStore.remove(draft.nodeId, draft.param)}
        >
          ✕
        </button>
      </div>
    </div>
  );
}

const preview = (values: Array<string | number>) => {
  const shown = values.slice(0, 6).map((v) => (String(v).length > 24 ? String(v).slice(0, 24) + '…' : String(v)));
  return shown.join(' · ') + (values.length > 6 ? ` … (${values.length - 6} more)` : '');
};

function EachEditor({ draft, kind }: { draft: Extract<SweepDraft, { kind: 'each' }>; kind: 'image' | 'audio' }) {
  const { uploadFile, toast } = useApp();
  const recent = useSweep((s) => s.recent);
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(0);
  const checked = eachPattern(draft);
  const setFiles = (files: string[]) => sweepStore.put({ ...draft, files: [...new Set(files)] });
  const upload = async (list: FileList | null) => {
    const files = [...(list ?? [])];
    setBusy(files.length);
    const names: string[] = [];
    for (const f of files) {
      try {
        const n = await uploadFile(f, kind);
        sweepStore.rememberUpload(n);
        names.push(n);
      } catch (e) {
        toast(`Upload of ${f.name} failed: ${(e as Error).message}`, 'error');
      }
      setBusy((b) => b - 1);
    }
    // The draft may have changed while uploading: add to what it holds now.
    const now = sweepStore.draft(draft.nodeId, draft.param);
    if (now?.kind === 'each') sweepStore.put({ ...now, files: [...new Set([...now.files, ...names])] });
  };
  const offer = recent.filter((n) => !draft.files.includes(n));
  return (
    <div className="kg-sweep nodrag" data-sweep={draft.param}>
      <ul className="kg-each-files" aria-label={`Files for each run of ${draft.param}`}>
        {draft.files.map((f) => (
          <li key={f} className="kg-each-file" data-file={f}>
            {kind === 'image' && (
              <img
                src={inputFileUrl(f)}
                alt=""
                draggable={false}
                onError={(e) => ((e.target as HTMLImageElement).style.visibility = 'hidden')}
              />
            )}
            <span title={f}>{f}</span>
            <button className="kg-icon-btn" aria-label={`Remove ${f}`} onClick={() => setFiles(draft.files.filter((x) => x !== f))}>
              ✕
            </button>
          </li>
        ))}
      </ul>
      <div className="kg-each-actions">
        <button className="kg-btn small" onClick={() => input.current?.click()}>
          {busy ? `uploading ${busy}…` : 'Upload files…'}
        </button>
        {offer.length > 0 && (
          <select
            className="kg-select"
            aria-label="Add an uploaded file"
            value=""
            onChange={(e) => e.target.value && setFiles([...draft.files, e.target.value])}
          >
            <option value="">add an uploaded file…</option>
            {offer.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        )}
      </div>
      <input
        ref={input}
        type="file"
        multiple
        accept={`${kind}/*`}
        hidden
        data-testid="each-upload"
        onChange={(e) => void upload(e.target.files).then(() => (e.target.value = ''))}
      />
      <div className={'kg-sweep-note' + (checked.ok ? '' : ' bad')}>
        {checked.ok ? `one run for each of ${checked.files.length} files` : checked.message}
        <button
          className="kg-icon-btn"
          title="Run on one file again"
          aria-label="Remove for each"
          onClick={() => sweepStore.remove(draft.nodeId, draft.param)}
        >
          ✕
        </button>
      </div>
    </div>
  );
}
