import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useCallback, useContext, useLayoutEffect, useRef, useState } from 'react';
import { estimateHeight, fullHeights, LowDetailContext } from '../canvas/low-detail.js';
import { useApp, useEditor, useNodeRun } from '../app-context.js';
import { NODE_COLORS } from '../graph/socket-colors.js';
import { CollapsedHandles } from './collapsed-handles.js';
import { NodeBody } from './node-body.js';
import { fieldNames, StatusBadge } from './node-status.js';
import { PlaceholderBody } from './placeholder-body.js';
import { NodeOutputs } from './node-outputs.js';
import { useDismiss } from './use-dismiss.js';

export type GraphNodeData = { id: string };

/** A workflow node drawn from its type's schema: sockets, widgets, run state, previews and outputs. */
export const GraphNode = memo(function GraphNode({ id, selected }: NodeProps) {
  const { store, schemas, openSearch, toggleMode } = useApp();
  const node = useEditor((s) => s.doc.nodes[id]);
  const ui = useEditor((s) => s.doc.ui.nodes[id]);
  const run = useNodeRun(id);
  // Its conditioning goes into a negative input: its summary lists what to avoid.
  const feedsNegative = useEditor((s) => Object.values(s.doc.nodes).some((n) => n.inputs.negative?.[0] === id));
  const lowDetail = useContext(LowDetailContext);
  const root = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (!lowDetail && root.current) fullHeights.set(id, root.current.offsetHeight);
  });
  const [renaming, setRenaming] = useState(false);
  const [menu, setMenu] = useState(false);
  const menuRef = useRef<HTMLSpanElement>(null);
  const closeMenu = useCallback(() => setMenu(false), []);
  useDismiss(menu, closeMenu, menuRef);
  const schema = node ? schemas.get(node.type) : undefined;

  const setParam = useCallback(
    (name: string, value: unknown) => store.edit(`Set ${name}`, (d) => void (d.nodes[id].params[name] = value)),
    [store, id],
  );
  const setUi = useCallback(
    (label: string, fn: (u: Record<string, unknown>) => void) =>
      store.edit(label, (d) => {
        if (d.ui.nodes[id]) fn(d.ui.nodes[id] as Record<string, unknown>);
      }),
    [store, id],
  );

  if (!node || !ui) return null;
  if (node.type === 'Reroute') return <RerouteDot id={id} selected={Boolean(selected)} />;
  const title = ui.title || schema?.title || node.type;
  const collapsed = Boolean(ui.collapsed);
  const errors = run.errors ?? [];
  const fieldErrors = new Map(errors.filter((e) => e.field).map((e) => [e.field!.split('.')[0], e.message]));
  const nodeErrors = errors.filter((e) => !e.field || !fieldNames(schema, node).has(e.field.split('.')[0]));
  const pct =
    run.progress && run.progress.max > 0
      ? Math.min(100, (run.progress.value / run.progress.max) * 100)
      : run.status === 'running'
        ? 100
        : 0;

  const mode = node.mode === 'bypass' || node.mode === 'mute' ? node.mode : undefined;
  const cls = [
    'kg-node',
    mode ? `mode-${mode}` : '',
    `status-${run.status}`,
    selected ? 'selected' : '',
    schema ? '' : 'placeholder',
    collapsed ? 'collapsed' : '',
  ].join(' ');
  const style: React.CSSProperties = ui.color ? ({ '--node-color': ui.color } as React.CSSProperties) : {};
  if (lowDetail && !collapsed) style.minHeight = fullHeights.get(id) ?? (schema ? estimateHeight(schema) : undefined);

  return (
    <div
      ref={root}
      className={cls}
      style={style}
      data-node-id={id}
      data-node-type={node.type}
      data-status={run.status}
      data-mode={mode ?? 'normal'}
    >
      {run.status === 'running' && (
        <div className="kg-progress" role="progressbar" aria-valuenow={run.progress?.value} aria-valuemax={run.progress?.max}>
          <div className={'kg-progress-bar' + (run.progress ? '' : ' indeterminate')} style={{ width: pct + '%' }} />
        </div>
      )}
      <div className="kg-node-header">
        <button
          className="kg-collapse nodrag"
          title={collapsed ? 'Expand' : 'Collapse'}
          onClick={() => setUi(collapsed ? 'Expand' : 'Collapse', (u) => void (u.collapsed = !collapsed))}
        >
          {collapsed ? '▸' : '▾'}
        </button>
        {renaming ? (
          <input
            className="kg-rename nodrag"
            autoFocus
            defaultValue={title}
            onBlur={(e) => {
              setRenaming(false);
              const t = e.target.value.trim();
              setUi('Rename', (u) => void (t && t !== (schema?.title ?? node.type) ? (u.title = t) : delete u.title));
            }}
            onKeyDown={(e) => (e.key === 'Enter' || e.key === 'Escape') && (e.target as HTMLInputElement).blur()}
          />
        ) : (
          <span
            className="kg-node-title"
            onDoubleClick={() => setRenaming(true)}
            title={`${node.type} #${id}${schema?.description ? '\n' + schema.description : ''}`}
          >
            {title}
          </span>
        )}
        {mode && (
          <span
            className={'kg-badge mode ' + mode}
            title={
              mode === 'bypass'
                ? 'Bypassed: passes its input through, does not run (Ctrl+B)'
                : 'Muted: it and what needs it do not run (Ctrl+M)'
            }
          >
            {mode === 'bypass' ? 'bypassed' : 'muted'}
          </span>
        )}
        {run.status === 'running' && run.progress && run.progress.max > 0 && (
          <span className="kg-badge running" data-testid="node-progress" title={`${run.progress.value} of ${run.progress.max}`}>
            {Math.floor(pct)}%
          </span>
        )}
        <StatusBadge status={run.status} durationMs={run.durationMs} />
        <span ref={menuRef} className="kg-node-menu-anchor">
          <button
            className="kg-icon-btn nodrag"
            title="Node menu"
            aria-label="Node menu"
            aria-expanded={menu}
            onClick={() => setMenu((m) => !m)}
          >
            ⋯
          </button>
          {menu && (
            <div className="kg-node-menu nodrag" role="menu">
              <button onClick={() => (setMenu(false), setRenaming(true))}>Rename</button>
              <button onClick={() => (setMenu(false), toggleMode('bypass', [id]))}>
                {mode === 'bypass' ? 'Un-bypass' : 'Bypass'} <kbd>Ctrl+B</kbd>
              </button>
              <button onClick={() => (setMenu(false), toggleMode('mute', [id]))}>
                {mode === 'mute' ? 'Unmute' : 'Mute'} <kbd>Ctrl+M</kbd>
              </button>
              <div className="kg-swatches">
                {NODE_COLORS.map((c) => (
                  <button
                    key={c || 'none'}
                    className="kg-swatch"
                    style={{ background: c || 'var(--node-bg)' }}
                    title={c || 'default'}
                    onClick={() => setUi('Colour', (u) => void (c ? (u.color = c) : delete u.color))}
                  />
                ))}
              </div>
              {!schema && <button onClick={() => (setMenu(false), openSearch({ replace: id }))}>Replace with…</button>}
            </div>
          )}
        </span>
      </div>
      {collapsed ? (
        <CollapsedHandles node={node} schema={schema} />
      ) : lowDetail ? (
        <CollapsedHandles node={node} schema={schema} />
      ) : schema ? (
        <NodeBody
          id={id}
          node={node}
          schema={schema}
          sockets={ui.sockets}
          seedMode={ui.seedMode}
          fieldErrors={fieldErrors}
          setParam={setParam}
          setUi={setUi}
        />
      ) : (
        <PlaceholderBody node={node} />
      )}
      {lowDetail && (errors.length > 0 || run.status === 'failed') && (
        <div className="kg-lod-mark" role="alert" data-testid="lod-error" title={errors.map((e) => e.message).join('\n') || 'failed'}>
          ! {errors.length > 1 ? errors.length : ''}
        </div>
      )}
      {!lowDetail && nodeErrors.length > 0 && (
        <div className="kg-node-errors" role="alert">
          {nodeErrors.map((e, i) => (
            <div key={i} className="kg-node-error" data-code={e.code}>
              {e.message}
            </div>
          ))}
        </div>
      )}
      {!collapsed && !lowDetail && run.warnings && run.warnings.length > 0 && <div className="kg-node-warning">{run.warnings.at(-1)}</div>}
      {!collapsed && !lowDetail && run.previewUrl && (run.status === 'running' || !run.outputs?.length) && (
        <img className="kg-preview" src={run.previewUrl} alt="preview" data-testid="preview" draggable={false} />
      )}
      {!collapsed && !lowDetail && run.outputs && run.outputs.length > 0 && <NodeOutputs outputs={run.outputs} negative={feedsNegative} />}
    </div>
  );
});

/** A reroute: a dot with one input and one output, no title or widgets (it vanishes when the workflow runs). */
function RerouteDot({ id, selected }: { id: string; selected: boolean }) {
  return (
    <div
      className={'kg-reroute' + (selected ? ' selected' : '')}
      data-node-id={id}
      data-node-type="Reroute"
      title="Reroute (passed through when the workflow runs)"
    >
      <Handle type="target" position={Position.Left} id="input" className="kg-handle" />
      <Handle type="source" position={Position.Right} id="output" className="kg-handle" />
    </div>
  );
}
