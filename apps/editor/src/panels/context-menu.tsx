import { useRef } from 'react';
import { useDismiss } from '../components/use-dismiss.js';

export interface MenuItem {
  label: string;
  shortcut?: string;
  onClick: () => void;
  disabled?: boolean;
}

/** A right-click menu at a screen point; closes on a pick, an outside press or Escape. */
export function ContextMenu({
  x,
  y,
  items,
  onClose,
  label,
}: {
  x: number;
  y: number;
  items: MenuItem[];
  onClose: () => void;
  label: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useDismiss(true, onClose, ref);
  // Kept inside the window: a menu opened near the right or bottom edge opens the other way.
  const left = Math.min(x, innerWidth - 230);
  const top = Math.min(y, innerHeight - 32 * items.length - 16);
  return (
    <div
      ref={ref}
      className="kg-context-menu"
      role="menu"
      aria-label={label}
      style={{ left, top }}
      onContextMenu={(e) => e.preventDefault()}
    >
      {items.map((it) => (
        <button
          key={it.label}
          role="menuitem"
          disabled={it.disabled}
          onClick={() => {
            onClose();
            it.onClick();
          }}
        >
          {it.label}
          {it.shortcut && <kbd>{it.shortcut}</kbd>}
        </button>
      ))}
    </div>
  );
}
