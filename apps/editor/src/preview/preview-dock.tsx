import { useState } from 'react';
import { useEditor } from '../app-context.js';
import { LivePreview } from './live-preview.js';

/** Nodes whose motion can be previewed: those with a camera and an image latent to animate (Denoise). */
function previewable(nodes: Record<string, { type: string }>): string[] {
  return Object.entries(nodes)
    .filter(([, n]) => n.type === 'Denoise')
    .map(([id]) => id);
}

/**
 * The live motion preview docked over the canvas's corner: it follows every edit of the prompt, the camera
 * and the motion settings while it is open; closed, it costs the server nothing.
 */
export function PreviewDock() {
  const nodes = useEditor((s) => s.doc.nodes);
  const ids = previewable(nodes);
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<string | undefined>();
  // Where the dock sits (from the canvas's top-right corner); its title bar drags it out of the way.
  const [at, setAt] = useState({ right: 12, top: 12 });
  const drag = (e: React.PointerEvent) => {
    if ((e.target as HTMLElement).closest('button, select')) return;
    e.preventDefault();
    const x0 = e.clientX;
    const y0 = e.clientY;
    const start = at;
    const move = (ev: PointerEvent) =>
      setAt({ right: Math.max(0, start.right - (ev.clientX - x0)), top: Math.max(0, start.top + (ev.clientY - y0)) });
    const up = () => {
      removeEventListener('pointermove', move);
      removeEventListener('pointerup', up);
    };
    addEventListener('pointermove', move);
    addEventListener('pointerup', up);
  };
  const id = chosen && ids.includes(chosen) ? chosen : ids[0];
  if (!id) return null;
  if (!open) {
    return (
      <button
        className="kg-btn kg-dock-toggle"
        data-testid="open-live-preview"
        onClick={() => setOpen(true)}
        title="Play the scene as it will move, while you edit"
      >
        ▶ Live preview
      </button>
    );
  }
  return (
    <div className="kg-dock" data-testid="preview-dock" style={at}>
      <div className="kg-dock-head" onPointerDown={drag} title="Drag to move">
        <span className="kg-dock-title">Live preview</span>
        {ids.length > 1 && (
          <select aria-label="Node to preview" value={id} onChange={(e) => setChosen(e.target.value)}>
            {ids.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        )}
        <button className="kg-icon-btn" aria-label="Close live preview" onClick={() => setOpen(false)}>
          ✕
        </button>
      </div>
      <LivePreview key={id} denoiseId={id} />
    </div>
  );
}
