import { useEffect, useState } from 'react';
import { api } from '../api/client.js';

/** The workflows the runtime ships (GET /api/workflows): pick one to open it (undoable, like Open). */
export function TemplatesBrowser({ onPick, onClose }: { onPick: (name: string) => void; onClose: () => void }) {
  const [list, setList] = useState<{ name: string; title: string }[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.workflows().then(setList, (e) => setError((e as Error).message));
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="kg-modal-backdrop" onClick={onClose}>
      <div className="kg-sheet" role="dialog" aria-label="Templates" data-testid="templates" onClick={(e) => e.stopPropagation()}>
        <div className="kg-sheet-title">Templates</div>
        {error && <div className="kg-boot-error">Could not list the workflows: {error}</div>}
        {!list && !error && <div className="kg-muted">Loading…</div>}
        {list?.length === 0 && <div className="kg-muted">The runtime ships no workflows.</div>}
        <div className="kg-templates">
          {list?.map((w) => (
            <button key={w.name} className="kg-template" data-name={w.name} onClick={() => onPick(w.name)}>
              <b>{w.title}</b>
              <span className="kg-muted">{w.name}.json</span>
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
