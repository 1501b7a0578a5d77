import { memo, useRef, useState } from 'react';
import { withToken } from '../api/client.js';
import { useApp } from '../app-context.js';
import type { WidgetProps } from './widget-props.js';

export function inputFileUrl(name: string): string {
  return withToken(`/files/input/${encodeURIComponent(name)}`);
}

function useUpload(kind: 'image' | 'audio', onChange: (v: unknown) => void) {
  const { uploadFile, toast } = useApp();
  const [busy, setBusy] = useState(false);
  const pick = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    try {
      onChange(await uploadFile(file, kind));
    } catch (e) {
      toast(`Upload failed: ${(e as Error).message}`, 'error');
    } finally {
      setBusy(false);
    }
  };
  return { busy, pick };
}

/** The file's name (or that it is uploading), a Choose… button, and the hidden file input behind it. */
function ChooseFile({
  name,
  busy,
  accept,
  onPick,
}: {
  name: string;
  busy: boolean;
  accept?: string;
  onPick: (file: File | undefined) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <div className="kg-upload-row">
        <span className="kg-upload-name" title={name}>
          {busy ? 'uploading…' : name || '—'}
        </span>
        <button className="kg-btn small" onClick={() => input.current?.click()}>
          Choose…
        </button>
      </div>
      <input ref={input} type="file" accept={accept} hidden onChange={(e) => onPick(e.target.files?.[0])} />
    </>
  );
}

/** What Load Image reads and the upload route takes (kept in step with the runtime's files/uploads.ts). */
const IMAGE_ACCEPT = 'image/jpeg,image/png,image/webp,image/avif,image/tiff,.jpg,.jpeg,.png,.webp,.avif,.tif,.tiff';

export const ImageUploadWidget = memo(function ImageUploadWidget({ value, onChange, invalid, name }: WidgetProps) {
  const { busy, pick } = useUpload('image', onChange);
  const v = String(value ?? '');
  const [brokenName, setBroken] = useState<string | null>(null);
  const broken = brokenName === v;
  return (
    <div
      className={'kg-upload nodrag' + (invalid ? ' invalid' : '')}
      data-param={name}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        const f = e.dataTransfer.files[0];
        if (f && f.type.startsWith('image/')) {
          e.preventDefault();
          e.stopPropagation();
          void pick(f);
        }
      }}
    >
      {v && !broken ? (
        <img className="kg-thumb" src={inputFileUrl(v)} alt={v} draggable={false} onError={() => setBroken(v)} />
      ) : (
        <div className="kg-thumb kg-thumb-empty">
          {!v ? 'no image' : /\.tiff?$/i.test(v) ? 'TIFF: no preview in the browser (it runs)' : 'file not found'}
        </div>
      )}
      <ChooseFile name={v} busy={busy} accept={IMAGE_ACCEPT} onPick={(f) => void pick(f)} />
    </div>
  );
});

export const AudioUploadWidget = memo(function AudioUploadWidget({ value, onChange, invalid, name, hint }: WidgetProps) {
  const kind = hint.widget === 'audio-upload' ? 'audio' : 'image';
  const { busy, pick } = useUpload(kind, onChange);
  const v = String(value ?? '');
  return (
    <div className={'kg-upload nodrag' + (invalid ? ' invalid' : '')} data-param={name}>
      {v && kind === 'audio' && <audio className="kg-audio" controls src={inputFileUrl(v)} />}
      <ChooseFile name={v} busy={busy} accept={kind === 'audio' ? 'audio/*' : undefined} onPick={(f) => void pick(f)} />
    </div>
  );
});

export const ModelWidget = memo(function ModelWidget({ hint, value, onChange, invalid, name }: WidgetProps) {
  const { models } = useApp();
  const list = models
    .filter((m) => !hint.modelKind || !m.kind || m.kind === hint.modelKind)
    .map((m) => String(m.id ?? m.name ?? ''))
    .filter(Boolean);
  const v = String(value ?? '');
  const missing = v !== '' && models.length > 0 && !list.includes(v);
  return (
    <div>
      <select
        className={'kg-select nodrag' + (invalid || missing ? ' invalid' : '')}
        data-param={name}
        value={v}
        onChange={(e) => onChange(e.target.value)}
      >
        {!list.includes(v) && <option value={v}>{v || '—'}</option>}
        {list.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
      {missing && <div className="kg-field-error">Model not installed: {v}</div>}
    </div>
  );
});
