import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import type { CacheStats, SystemInfo } from '../api/types.js';
import { useRunGlobal } from '../app-context.js';

export function fmtBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) ((n /= 1024), i++);
  return `${n < 10 && i > 0 ? n.toFixed(1) : Math.round(n)} ${units[i]}`;
}

function cacheText(c: CacheStats | undefined): string {
  if (!c) return '–';
  const bytes = c.bytes ?? c.sizeBytes ?? c.totalBytes;
  const entries = c.entries ?? c.count ?? c.files;
  return `${fmtBytes(bytes)}${entries !== undefined ? ` (${entries})` : ''}`;
}

/** Device and provider, memory, cache sizes, and the live connection (the socket reconnects by itself). */
export function StatusBar() {
  const g = useRunGlobal();
  const [sys, setSys] = useState<SystemInfo | null>(null);
  useEffect(() => {
    let live = true;
    const poll = () =>
      api.system().then(
        (s) => live && setSys(s),
        () => undefined,
      );
    void poll();
    const t = setInterval(poll, 5000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [g.connection, g.lastRun]);
  return (
    <footer className="kg-status" data-testid="status-bar">
      <span className={'kg-conn ' + g.connection} data-testid="connection" title="Connection to the runtime">
        ● {g.connection === 'open' ? 'connected' : g.connection === 'connecting' ? 'connecting…' : 'disconnected, retrying'}
      </span>
      {sys && (
        <>
          <span title={sys.device.providers.join(', ')}>
            device {sys.device.active} · providers {sys.device.providers.join(', ') || '–'}
          </span>
          <span>
            memory {fmtBytes(sys.memory.rss)} / {fmtBytes(sys.memory.total)}
          </span>
          <span>
            cache RAM {cacheText(sys.cache.memory)} · disk {cacheText(sys.cache.disk)}
          </span>
          <button
            className="kg-link"
            onClick={() => void api.freeCache().then(() => api.system().then(setSys))}
            title="Free the result cache"
          >
            free cache
          </button>
        </>
      )}
      <span className="kg-spacer" />
      {g.queue.paused && <span className="kg-warn">queue paused</span>}
      {g.activeRunId && <span className="kg-running">running {g.activeRunId}</span>}
      <span className="kg-muted">{sys ? `Kinegraph ${sys.version}` : ''}</span>
    </footer>
  );
}
