import { Handle, Position } from '@xyflow/react';
import type { WorkflowNode } from '../api/types.js';
import { useEditor } from '../app-context.js';

/** A node whose type the server does not know: kept with its params and links until replaced. */
export function PlaceholderBody({ node }: { node: WorkflowNode }) {
  const outs = useEditor((s) => {
    const names = new Set<string>();
    for (const n of Object.values(s.doc.nodes)) for (const l of Object.values(n.inputs)) if (s.doc.nodes[l[0]] === node) names.add(l[1]);
    return [...names].sort().join('\n');
  });
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
          {outs
            .split('\n')
            .filter(Boolean)
            .map((o) => (
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
