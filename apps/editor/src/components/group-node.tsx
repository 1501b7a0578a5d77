import { NodeResizer, type NodeProps } from '@xyflow/react';
import { memo, useState } from 'react';
import { useApp, useEditor } from '../app-context.js';

/** A titled box; moving it moves the nodes inside (see canvas drag handling). */
export const GroupNode = memo(function GroupNode({ id, selected }: NodeProps) {
  const { store } = useApp();
  const gid = id.slice('group:'.length);
  const group = useEditor((s) => s.doc.ui.groups.find((g) => g.id === gid));
  const [editing, setEditing] = useState(false);
  if (!group) return null;
  return (
    <div
      className={'kg-group' + (selected ? ' selected' : '')}
      style={group.color ? { borderColor: group.color, background: group.color + '22' } : undefined}
    >
      <NodeResizer
        isVisible={selected}
        minWidth={160}
        minHeight={100}
        lineClassName="kg-resize-line"
        handleClassName="kg-resize-handle"
        onResizeEnd={(_, p) =>
          store.edit('Resize group', (d) => {
            const g = d.ui.groups.find((x) => x.id === gid);
            if (g) Object.assign(g, { x: p.x, y: p.y, width: p.width, height: p.height });
          })
        }
      />
      {editing ? (
        <input
          className="kg-rename nodrag"
          autoFocus
          defaultValue={group.title}
          onBlur={(e) => {
            setEditing(false);
            const t = e.target.value;
            store.edit('Rename group', (d) => {
              const g = d.ui.groups.find((x) => x.id === gid);
              if (g) g.title = t;
            });
          }}
          onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
        />
      ) : (
        <div className="kg-group-title" onDoubleClick={() => setEditing(true)}>
          {group.title}
        </div>
      )}
    </div>
  );
});

export const NoteNode = memo(function NoteNode({ id, selected }: NodeProps) {
  const { store } = useApp();
  const nid = id.slice('note:'.length);
  const note = useEditor((s) => s.doc.ui.notes.find((n) => n.id === nid));
  const [text, setText] = useState<string | null>(null);
  if (!note) return null;
  return (
    <div className={'kg-note' + (selected ? ' selected' : '')}>
      <div className="kg-note-head">Note</div>
      <textarea
        className="kg-note-text nodrag nowheel"
        value={text ?? note.text}
        placeholder="Write a note…"
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          if (text !== null && text !== note.text) {
            const t = text;
            store.edit('Edit note', (d) => {
              const n = d.ui.notes.find((x) => x.id === nid);
              if (n) n.text = t;
            });
          }
          setText(null);
        }}
      />
    </div>
  );
});
