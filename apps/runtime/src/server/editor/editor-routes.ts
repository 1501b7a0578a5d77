import path from 'node:path';
import express, { Router } from 'express';
import type { EditorAssets } from './editor-assets.js';

const API_PREFIXES = ['/api/', '/files/', '/ws'];

/** Serves the built editor at `/`; any other page path gets index.html (the editor routes on the client). */
export function editorRoutes(assets: EditorAssets): Router {
  const r = Router();
  let statics: { dir: string; handler: express.RequestHandler } | undefined;

  r.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (API_PREFIXES.some((p) => req.path.startsWith(p) || req.path === p.replace(/\/$/, ''))) return next();
    const s = assets.current;
    if (s.state !== 'ready') {
      res.status(503).type('html').setHeader('Retry-After', '5');
      const text = s.state === 'building' ? 'The editor is being built (first start); this page reloads by itself.' : s.reason;
      res.send(
        `<!doctype html><meta charset="utf-8">${s.state === 'building' ? '<meta http-equiv="refresh" content="3">' : ''}<title>Kinegraph</title><p>${escapeHtml(text)}</p><p>The API is up at <code>/api</code>.</p>`,
      );
      return;
    }
    if (statics?.dir !== s.dir) statics = { dir: s.dir, handler: express.static(s.dir, { index: 'index.html', fallthrough: true }) };
    statics.handler(req, res, () => {
      // SPA fallback: a client-side route, not a missing asset (those have an extension).
      if (path.extname(req.path)) return next();
      res.sendFile(path.join(s.dir, 'index.html'));
    });
  });
  return r;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
