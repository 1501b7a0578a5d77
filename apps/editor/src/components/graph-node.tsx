import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useCallback, useContext, useLayoutEffect, useRef, useState } from 'react';
import { estimateHeight, fullHeights, LowDetailContext } from '../canvas/low-detail.js';
import type { NodeSchema, SeedMode, WorkflowNode } from '../api/types.js';
import { useApp, useEditor, useNodeRun } from '../app-context.js';
import { socketColor, NODE_COLORS } from '../graph/socket-colors.js';
import { widgetFor } from '../widgets/widget-for.js';
import { NodeOutputs } from './node-outputs.js';

export type GraphNodeData = { id: string };

/** A workflow node drawn from its type's schema: sockets, widgets, run state, previews and outputs. */
export const GraphNode = memo(function GraphNode({ id, selected }: NodeProps) {
  const { store, schemas, openSearch } = useApp();
  const node = useEditor((s) => s.doc.nodes[id]);
  const ui = useEditor((s) => s.doc.ui.nodes[id]);
  const run = useNodeRun(id);
  const lowDetail = useContext(LowDetailContext);
  const root = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (!lowDetail && root.current) fullHeights.set(id, root.current.offsetHeight);
  });
  const [renaming, setRenaming] = useState(false);
  const [menu, setMenu] = useState(false);
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
  const title = ui.title || schema?.title || node.type;
  const collapsed = Boolean(ui.collapsed);
  const errors = run.errors ?? [];
  const fieldErrors = new Map(errors.filter((e) => e.field).map((e) => [e.field!.split('.')[0], e.message]));
  const nodeErrors = errors.filter((e) => !e.field || !fieldNames(schema, node).has(e.field.split('.')[0]));
  const pct = run.progress && run.progress.max > 0 ? Math.min(100, (run.progress.value / run.progress.max) * 100) : run.status === 'running' ? 100 : 0;

  const cls = ['kg-node', `status-${run.status}`, selected ? 'selected' : '', schema ? '' : 'placeholder', collapsed ? 'collapsed' : ''].join(' ');
  const style: React.CSSProperties = ui.color ? ({ '--node-color': ui.color } as React.CSSProperties) : {};
  if (lowDetail && !collapsed) style.minHeight = fullHeights.get(id) ?? (schema ? estimateHeight(schema) : undefined);

  return (
    <div ref={root} className={cls} style={style} data-node-id={id} data-node-type={node.type} data-status={run.status}>
      {run.status === 'running' && (
        <div className="kg-progress" role="progressbar" aria-valuenow={run.progress?.value} aria-valuemax={run.progress?.max}>
          <div className={'kg-progress-bar' + (run.progress ? '' : ' indeterminate')} style={{ width: pct + '%' }} />
        </div>
      )}
      <div className="kg-node-header">
        <button className="kg-collapse nodrag" title={collapsed ? 'Expand' : 'Collapse'} onClick={() => setUi(collapsed ? 'Expand' : 'Collapse', (u) => void (u.collapsed = !collapsed))}>
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
          <span className="kg-node-title" onDoubleClick={() => setRenaming(true)} title={`${node.type} #${id}${schema?.description ? '\n' + schema.description : ''}`}>
            {title}
          </span>
        )}
        <StatusBadge status={run.status} durationMs={run.durationMs} />
        <button className="kg-icon-btn nodrag" title="Node menu" onClick={() => setMenu((m) => !m)}>
          ⋯
        </button>
        {menu && (
          <div className="kg-node-menu nodrag" onMouseLeave={() => setMenu(false)}>
            <button onClick={() => (setMenu(false), setRenaming(true))}>Rename</button>
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
            {!schema && (
              <button onClick={() => (setMenu(false), openSearch({ replace: id }))}>Replace with…</button>
            )}
          </div>
        )}
      </div>
      {collapsed ? (
        <CollapsedHandles node={node} schema={schema} />
      ) : lowDetail ? (
        <CollapsedHandles node={node} schema={schema} />
      ) : schema ? (
        <NodeBody id={id} node={node} schema={schema} sockets={ui.sockets} seedMode={ui.seedMode} fieldErrors={fieldErrors} setParam={setParam} setUi={setUi} />
      ) : (
        <PlaceholderBody node={node} />
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
      {!collapsed && !lowDetail && run.outputs && run.outputs.length > 0 && <NodeOutputs outputs={run.outputs} />}
    </div>
  );
});

function fieldNames(schema: NodeSchema | undefined, node: WorkflowNode): Set<string> {
  return new Set([...(schema?.params.map((p) => p.name) ?? []), ...(schema?.inputs.map((i) => i.name) ?? []), ...Object.keys(node.inputs)]);
}

function StatusBadge({ status, durationMs }: { status: string; durationMs?: number }) {
  if (status === 'cached') return <span className="kg-badge cached" title="Result reused from the cache">cached</span>;
  if (status === 'executed' && durationMs !== undefined) return <span className="kg-badge done">{fmtMs(durationMs)}</span>;
  if (status === 'failed') return <span className="kg-badge failed">error</span>;
  if (status === 'pending') return <span className="kg-badge pending">queued</span>;
  return null;
}

export function fmtMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

interface BodyProps {
  id: string;
  node: WorkflowNode;
  schema: NodeSchema;
  sockets?: string[];
  seedMode?: Record<string, SeedMode>;
  fieldErrors: Map<string, string>;
  setParam: (name: string, v: unknown) => void;
  setUi: (label: string, fn: (u: Record<string, unknown>) => void) => void;
}

const NodeBody = memo(function NodeBody({ id, node, schema, sockets, seedMode, fieldErrors, setParam, setUi }: BodyProps) {
  const asSocket = (name: string) => Boolean(node.inputs[name]) || Boolean(sockets?.includes(name));
  const toggleSocket = (name: string, on: boolean) =>
    setUi(on ? 'Convert to input' : 'Convert to widget', (u) => {
      const list = new Set((u.sockets as string[] | undefined) ?? []);
      if (on) list.add(name);
      else list.delete(name);
      u.sockets = [...list];
    });
  const rows = Math.max(schema.inputs.length, schema.outputs.length);
  // Advanced params fold away unless asked for, linked, or in error.
  const [showAdvanced, setShowAdvanced] = useState(false);
  const hiddenAdvanced = schema.params.filter((p) => p.hint.advanced && !asSocket(p.name) && !fieldErrors.has(p.name));
  const visibleParams = showAdvanced ? schema.params : schema.params.filter((p) => !hiddenAdvanced.includes(p));
  return (
    <div className="kg-node-body">
      {rows > 0 && (
        <div className="kg-io">
          <div className="kg-io-col">
            {schema.inputs.map((i) => (
              <div key={i.name} className={'kg-socket-row in' + (fieldErrors.has(i.name) ? ' invalid' : '')} title={`${i.type}${i.description ? ': ' + i.description : ''}`}>
                <Handle type="target" position={Position.Left} id={i.name} className="kg-handle" style={{ background: socketColor(i.type) }} data-type={i.type} />
                <span className="kg-socket-label">
                  {i.name}
                  {i.optional ? <em> opt</em> : null}
                </span>
              </div>
            ))}
          </div>
          <div className="kg-io-col right">
            {schema.outputs.map((o) => (
              <div key={o.name} className="kg-socket-row out" title={`${o.type}${o.description ? ': ' + o.description : ''}`}>
                <span className="kg-socket-label">{o.name}</span>
                <span className="kg-socket-type">{o.type}</span>
                <Handle type="source" position={Position.Right} id={o.name} className="kg-handle" style={{ background: socketColor(o.type) }} data-type={o.type} />
              </div>
            ))}
          </div>
        </div>
      )}
      {fieldErrors.size > 0 &&
        [...fieldErrors].filter(([f]) => schema.inputs.some((i) => i.name === f)).map(([f, m]) => (
          <div key={f} className="kg-field-error" data-field={f}>
            {f}: {m}
          </div>
        ))}
      {visibleParams.map((p) => {
        const label = p.hint.label ?? p.name;
        const err = fieldErrors.get(p.name);
        if (asSocket(p.name)) {
          return (
            <div key={p.name} className={'kg-param socket' + (err ? ' invalid' : '')} data-param-row={p.name}>
              <Handle type="target" position={Position.Left} id={p.name} className="kg-handle" style={{ background: socketColor(p.hint.socket) }} data-type={p.hint.socket} />
              <span className="kg-param-label">{label}</span>
              {!node.inputs[p.name] && (
                <button className="kg-icon-btn nodrag" title="Back to a widget" onClick={() => toggleSocket(p.name, false)}>
                  ⇆
                </button>
              )}
              {err && <div className="kg-field-error" data-field={p.name}>{err}</div>}
            </div>
          );
        }
        const W = widgetFor(p.hint);
        return (
          <div key={p.name} className={'kg-param' + (err ? ' invalid' : '')} data-param-row={p.name} title={p.hint.description}>
            <div className="kg-param-head">
              <span className="kg-param-label">{label}</span>
              {p.hint.socket && (
                <button className="kg-icon-btn nodrag kg-to-socket" title={`Convert to an input (${p.hint.socket})`} onClick={() => toggleSocket(p.name, true)}>
                  ⇆
                </button>
              )}
            </div>
            <W
              nodeId={id}
              name={p.name}
              hint={p.hint}
              value={node.params[p.name]}
              onChange={(v) => setParam(p.name, v)}
              invalid={Boolean(err)}
              seedMode={seedMode?.[p.name]}
              onSeedMode={(m) => setUi('Seed mode', (u) => void (u.seedMode = { ...((u.seedMode as object) ?? {}), [p.name]: m }))}
            />
            {err && <div className="kg-field-error" data-field={p.name}>{err}</div>}
          </div>
        );
      })}
      {hiddenAdvanced.length > 0 && (
        <button className="kg-link kg-advanced-toggle nodrag" onClick={() => setShowAdvanced((v) => !v)}>
          {showAdvanced ? '▾ hide advanced' : `▸ ${hiddenAdvanced.length} advanced`}
        </button>
      )}
    </div>
  );
});

/** A node whose type the server does not know: kept with its params and links until replaced. */
function PlaceholderBody({ node }: { node: WorkflowNode }) {
  const { store } = useApp();
  const outs = useEditor((s) => {
    const names = new Set<string>();
    for (const n of Object.values(s.doc.nodes)) for (const l of Object.values(n.inputs)) if (s.doc.nodes[l[0]] === node) names.add(l[1]);
    return [...names].sort().join('\n');
  });
  void store;
  return (
    <div className="kg-node-body">
      <div className="kg-placeholder-note">Missing node type “{node.type}”. Its parameters and links are kept.</div>
      <div className="kg-io">
        <div className="kg-io-col">
          {Object.keys(node.inputs).map((k) => (
            <div key={k} className="kg-socket-row in">
              <Handle type="target" position={Position.Left} id={k} className="kg-handle" />
              <span className="kg-socket-label">{k}</span>
            </div>
          ))}
        </div>
        <div className="kg-io-col right">
          {outs.split('\n').filter(Boolean).map((o) => (
            <div key={o} className="kg-socket-row out">
              <span className="kg-socket-label">{o}</span>
              <Handle type="source" position={Position.Right} id={o} className="kg-handle" />
            </div>
          ))}
        </div>
      </div>
      <pre className="kg-output-text nowheel">{JSON.stringify(node.params, null, 1)}</pre>
    </div>
  );
}

/** Collapsed nodes keep every handle (stacked on the header) so their links stay drawn. */
function CollapsedHandles({ node, schema }: { node: WorkflowNode; schema?: NodeSchema }) {
  const ins = new Set([...(schema?.inputs.map((i) => i.name) ?? []), ...Object.keys(node.inputs)]);
  for (const p of schema?.params ?? []) if (p.hint.socket) ins.add(p.name);
  const outs = schema?.outputs.map((o) => o.name) ?? [];
  const { store } = useApp();
  const extraOuts = useEditor((s) => {
    if (schema) return '';
    const names = new Set<string>();
    for (const n of Object.values(s.doc.nodes)) for (const l of Object.values(n.inputs)) if (s.doc.nodes[l[0]] === node) names.add(l[1]);
    return [...names].join('\n');
  });
  void store;
  return (
    <div className="kg-collapsed-handles">
      {[...ins].map((k) => (
        <Handle key={'i' + k} type="target" position={Position.Left} id={k} className="kg-handle hidden-handle" />
      ))}
      {[...outs, ...extraOuts.split('\n').filter(Boolean)].map((k) => (
        <Handle key={'o' + k} type="source" position={Position.Right} id={k} className="kg-handle hidden-handle" />
      ))}
    </div>
  );
}
