import { Handle, Position } from '@xyflow/react';
import type { NodeSchema, WorkflowNode } from '../api/types.js';
import { useEditor } from '../app-context.js';

/** Collapsed nodes keep every handle (stacked on the header) so their links stay drawn. */
export function CollapsedHandles({ node, schema }: { node: WorkflowNode; schema?: NodeSchema }) {
  const ins = new Set([...(schema?.inputs.map((i) => i.name) ?? []), ...Object.keys(node.inputs)]);
  for (const p of schema?.params ?? []) if (p.hint.socket) ins.add(p.name);
  const outs = schema?.outputs.map((o) => o.name) ?? [];
  const extraOuts = useEditor((s) => {
    if (schema) return '';
    const names = new Set<string>();
    for (const n of Object.values(s.doc.nodes)) for (const l of Object.values(n.inputs)) if (s.doc.nodes[l[0]] === node) names.add(l[1]);
    return [...names].join('\n');
  });
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
