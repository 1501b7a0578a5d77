import { Handle, Position } from '@xyflow/react';
import { memo, useState } from 'react';
import type { NodeSchema, SeedMode, WorkflowNode } from '../api/types.js';
import { socketColor } from '../graph/socket-colors.js';
import { widgetFor } from '../widgets/widget-for.js';
import { SweepEditor, SweepToggle } from '../sweep/sweep-param.js';

export interface BodyProps {
  id: string;
  node: WorkflowNode;
  schema: NodeSchema;
  sockets?: string[];
  seedMode?: Record<string, SeedMode>;
  fieldErrors: Map<string, string>;
  setParam: (name: string, v: unknown) => void;
  setUi: (label: string, fn: (u: Record<string, unknown>) => void) => void;
}

export const NodeBody = memo(function NodeBody({ id, node, schema, sockets, seedMode, fieldErrors, setParam, setUi }: BodyProps) {
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
              <div
                key={i.name}
                data-input={i.name}
                className={
                  'kg-socket-row in' +
                  (fieldErrors.has(i.name) ? ' invalid' : '') +
                  (!i.optional && !node.inputs[i.name] ? ' unlinked' : '')
                }
                title={`${i.type}${i.description ? ': ' + i.description : ''}${!i.optional && !node.inputs[i.name] ? ' (required: connect one)' : ''}`}
              >
                <Handle
                  type="target"
                  position={Position.Left}
                  id={i.name}
                  className="kg-handle"
                  style={{ background: socketColor(i.type) }}
                  data-type={i.type}
                />
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
                <Handle
                  type="source"
                  position={Position.Right}
                  id={o.name}
                  className="kg-handle"
                  style={{ background: socketColor(o.type) }}
                  data-type={o.type}
                />
              </div>
            ))}
          </div>
        </div>
      )}
      {fieldErrors.size > 0 &&
        [...fieldErrors]
          .filter(([f]) => schema.inputs.some((i) => i.name === f))
          .map(([f, m]) => (
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
              <Handle
                type="target"
                position={Position.Left}
                id={p.name}
                className="kg-handle"
                style={{ background: socketColor(p.hint.socket) }}
                data-type={p.hint.socket}
              />
              <span className="kg-param-label">{label}</span>
              {!node.inputs[p.name] && (
                <button className="kg-icon-btn nodrag" title="Back to a widget" onClick={() => toggleSocket(p.name, false)}>
                  ⇆
                </button>
              )}
              {err && (
                <div className="kg-field-error" data-field={p.name}>
                  {err}
                </div>
              )}
            </div>
          );
        }
        const W = widgetFor(p.hint);
        return (
          <div key={p.name} className={'kg-param' + (err ? ' invalid' : '')} data-param-row={p.name} title={p.hint.description}>
            <div className="kg-param-head">
              <span className="kg-param-label">{label}</span>
              <SweepToggle nodeId={id} name={p.name} hint={p.hint} value={node.params[p.name]} />
              {p.hint.socket && (
                <button
                  className="kg-icon-btn nodrag kg-to-socket"
                  title={`Convert to an input (${p.hint.socket})`}
                  onClick={() => toggleSocket(p.name, true)}
                >
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
            <SweepEditor nodeId={id} name={p.name} hint={p.hint} value={node.params[p.name]} />
            {err && (
              <div className="kg-field-error" data-field={p.name}>
                {err}
              </div>
            )}
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
