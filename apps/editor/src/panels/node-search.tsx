import { useEffect, useMemo, useRef, useState } from 'react';
import type { NodeSchema } from '../api/types.js';
import { useApp, type SearchRequest } from '../app-context.js';
import { typesAccepting, typesProducing } from '../graph/compat.js';
import { buildSearchIndex, searchNodes, type SearchEntry } from '../graph/search-index.js';
import { socketColor } from '../graph/socket-colors.js';

interface NodeSearchProps {
  request: SearchRequest;
  onPick: (schema: NodeSchema) => void;
  onClose: () => void;
}

/** The fuzzy node search (Ctrl+K, double-click, or a link dropped on empty canvas): type, arrows, Enter. */
export function NodeSearch({ request, onPick, onClose }: NodeSearchProps) {
  const { schemas } = useApp();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const list = useRef<HTMLUListElement>(null);
  const from = request.from;

  const entries: SearchEntry[] = useMemo(() => {
    if (!from) return [...schemas.values()].map((schema) => ({ schema }));
    if (from.handleType === 'source') return typesAccepting(schemas, from.type).map((x) => ({ schema: x.schema, socket: x.input }));
    return typesProducing(schemas, from.type).map((x) => ({ schema: x.schema, socket: x.output }));
  }, [schemas, from]);
  const index = useMemo(() => buildSearchIndex(entries), [entries]);
  const results = useMemo(() => searchNodes(index, entries, query), [index, entries, query]);

  useEffect(() => setActive(0), [query]);
  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive((a) => Math.min(results.length - 1, a + 1));
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(0, a - 1));
    else if (e.key === 'Enter') {
      const r = results[active];
      if (r) onPick(r.schema);
    } else if (e.key === 'Escape') onClose();
    else return;
    e.preventDefault();
  };

  const title = request.replace
    ? `Replace node #${request.replace} with…`
    : from
      ? `Nodes that ${from.handleType === 'source' ? 'take' : 'give'} ${from.type}`
      : 'Add a node';
  return (
    <div className="kg-modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="kg-search" role="dialog" aria-label="Node search" data-testid="node-search">
        <div className="kg-search-title">
          {from && <span className="kg-dot" style={{ background: socketColor(from.type) }} />}
          {title}
        </div>
        <input
          className="kg-search-input"
          autoFocus
          placeholder="Search node types…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onKey}
          aria-label="Search node types"
        />
        <ul className="kg-search-results" ref={list} role="listbox">
          {results.length === 0 && <li className="kg-search-empty">No node type matches “{query}”</li>}
          {results.map((r, i) => (
            <li
              key={r.schema.type}
              role="option"
              aria-selected={i === active}
              className={'kg-search-item' + (i === active ? ' active' : '')}
              data-type={r.schema.type}
              onMouseEnter={() => setActive(i)}
              onClick={() => onPick(r.schema)}
            >
              <span className="kg-search-name">{r.schema.title}</span>
              <span className="kg-search-cat">{r.schema.category}</span>
              {r.schema.description && <span className="kg-search-desc">{r.schema.description}</span>}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
