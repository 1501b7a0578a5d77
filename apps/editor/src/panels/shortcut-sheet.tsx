import { useEffect } from 'react';

/** Every keyboard shortcut (kept in step with canvas/use-shortcuts.ts), opened with ? or the toolbar's ? button. */
export const SHORTCUTS: [string, string][] = [
  ['Ctrl+Enter', 'Run (queue the workflow)'],
  ['Ctrl+Shift+Enter', 'Run next (front of the queue)'],
  ['Ctrl+K · double-click', 'Add a node (search)'],
  ['Ctrl+Z / Ctrl+Shift+Z, Ctrl+Y', 'Undo / redo'],
  ['Ctrl+C / Ctrl+V / Ctrl+D', 'Copy / paste / duplicate'],
  ['Delete, Backspace', 'Delete the selection'],
  ['Ctrl+A', 'Select all nodes'],
  ['Ctrl+B', 'Bypass: pass the input through'],
  ['Ctrl+M', 'Mute: it and what needs it do not run'],
  ['Shift+drag, Ctrl+click', 'Select several'],
  ['Ctrl+S / Ctrl+O', 'Save / open a workflow file'],
  ['Right-click', 'Menu of a node, a link or the canvas'],
  ['?', 'This sheet'],
];

export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && (e.preventDefault(), onClose());
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="kg-modal-backdrop" onClick={onClose}>
      <div
        className="kg-sheet"
        role="dialog"
        aria-label="Keyboard shortcuts"
        data-testid="shortcut-sheet"
        onClick={(e) => e.stopPropagation()}
      >
        <div className="kg-sheet-title">Keyboard shortcuts</div>
        <table>
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={keys}>
                <td>
                  <kbd>{keys}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
