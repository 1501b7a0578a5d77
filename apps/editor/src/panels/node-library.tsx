import { useMemo, useState } from 'react';
import type { NodeSchema } from '../api/types.js';
import { useApp } from '../app-context.js';

export const NODE_DRAG_MIME = 'application/x-kinegraph-node';

/** The node types the runtime serves, by category: click to add at the view's centre, or drag onto the canvas. */
export function NodeLibrary({ onInsert }: { onInsert: (schema: NodeSchema) => void }) {
  const { schemaList } = useApp();
  const [open, setOpen] = useState(true);
  const [closed, setClosed] = useState<Record<string, boolean>>({});
  const byCategory = useMemo(() => {
    const m = new Map<string, NodeSchema[]>();
    for (const s of schemaList) m.set(s.category, [...(m.get(s.category) ?? []), s]);
    return [...m.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([c, list]) => [c, list.sort((a, b) => a.title.localeCompare(b.title))] as const);
  }, [schemaList]);
  if (!open) {
    return (
      <aside className="kg-library closed">
        <button className="kg-btn small" onClick={() => setOpen(true)} title="Show the node library">
          »
        </button>
      </aside>
    );
  }
  return (
    <aside className="kg-library" data-testid="library">
      <div className="kg-panel-head">
        Nodes
        <button className="kg-icon-btn" onClick={() => setOpen(false)} title="Hide">
          «
        </button>
      </div>
      <div className="kg-library-list">
        {byCategory.map(([cat, list]) => (
          <section key={cat} className="kg-library-cat">
            <button className="kg-library-cat-head" onClick={() => setClosed((c) => ({ ...c, [cat]: !c[cat] }))}>
              {closed[cat] ? '▸' : '▾'} {cat} <span className="kg-muted">{list.length}</span>
            </button>
            {!closed[cat] &&
              list.map((s) => (
                <div
                  key={s.type}
                  className="kg-library-item"
                  draggable
                  title={s.description || s.type}
                  data-type={s.type}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(NODE_DRAG_MIME, s.type);
                    e.dataTransfer.effectAllowed = 'copy';
                  }}
                  onClick={() => onInsert(s)}
                >
                  {s.title}
                </div>
              ))}
          </section>
        ))}
      </div>
    </aside>
  );
}
