import { useCallback, useRef, useState } from 'react';

export interface ToastItem {
  id: number;
  text: string;
  kind: 'error' | 'info';
}

/** Short messages over the canvas (a refused link, a queued run); errors stay longer. */
export function useToasts() {
  const [toasts, setToasts] = useState<ToastItem[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), []);
  const toast = useCallback(
    (text: string, kind: 'error' | 'info' = 'info') => {
      const id = next.current++;
      setToasts((t) => [...t.slice(-4), { id, text, kind }]);
      setTimeout(() => dismiss(id), kind === 'error' ? 8000 : 3000);
    },
    [dismiss],
  );
  return { toasts, toast, dismiss };
}

export function Toasts({ toasts, dismiss }: { toasts: ToastItem[]; dismiss: (id: number) => void }) {
  return (
    <div className="kg-toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={'kg-toast ' + t.kind} role={t.kind === 'error' ? 'alert' : 'status'} onClick={() => dismiss(t.id)}>
          {t.text}
        </div>
      ))}
    </div>
  );
}
