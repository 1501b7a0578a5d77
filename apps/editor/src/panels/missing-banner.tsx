import { useMemo, useState } from 'react';
import { useApp, useEditor } from '../app-context.js';
import { findMissing, isEmptyReport } from '../graph/missing.js';

/** Lists node types and models the document needs but the runtime lacks (placeholders stay on the canvas). */
export function MissingBanner({ onReplace }: { onReplace: (nodeId: string) => void }) {
  const { schemas, models } = useApp();
  const nodes = useEditor((s) => s.doc.nodes);
  const [hidden, setHidden] = useState<string | null>(null);
  const report = useMemo(
    () => findMissing({ format: 'kinegraph.workflow', version: 1, nodes, ui: { nodes: {}, groups: [], notes: [] } }, schemas, models),
    [nodes, schemas, models],
  );
  const key = JSON.stringify(report);
  if (isEmptyReport(report) || hidden === key) return null;
  return (
    <div className="kg-missing" role="alert" data-testid="missing">
      <button className="kg-icon-btn kg-missing-close" onClick={() => setHidden(key)} aria-label="Hide">
        ×
      </button>
      {Object.keys(report.nodeTypes).length > 0 && (
        <div className="kg-missing-row">
          Missing node types, kept as placeholders with their parameters and links (click one to replace it):{' '}
          {Object.entries(report.nodeTypes).map(([type, ids], i) => (
            <span key={type}>
              {i > 0 && '; '}
              <b>{type}</b>{' '}
              {ids.map((id, j) => (
                <span key={id}>
                  {j > 0 && ', '}
                  <button className="kg-link" onClick={() => onReplace(id)} title="Replace with an installed node type">
                    #{id}
                  </button>
                </span>
              ))}
            </span>
          ))}
        </div>
      )}
      {Object.entries(report.models).map(([model, places]) => (
        <div key={model} className="kg-missing-row">
          Missing model <b>{model}</b> (used by {places.join(', ')})
        </div>
      ))}
    </div>
  );
}
