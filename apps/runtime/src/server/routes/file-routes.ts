import { Router } from 'express';
import { FileFolderSchema, routes } from '../../protocol/index.js';
import type { ServerContext } from '../context.js';
import { receiveUpload, removeStaleUploads } from '../files/receive-upload.js';
import { resolveInFolder } from '../files/safe-path.js';
import { UploadGate } from '../files/upload-gate.js';
import { checkUploadHead, storeUpload } from '../files/uploads.js';
import { HttpError } from '../http-error.js';
import { onRoute } from '../http/on-route.js';
import { parseOr400 } from '../validate.js';

/** Uploads into the input folder and downloads from the input, output and temp folders (with HTTP ranges). */
export function fileRoutes(ctx: ServerContext, gate = new UploadGate()): Router {
  const r = Router();
  const folders = { input: ctx.dirs.input, output: ctx.dirs.output, temp: ctx.dirs.temp };
  // Uploads a crash cut short left their temp files: nothing refers to them.
  void removeStaleUploads(ctx.dirs.input).catch(() => undefined);

  onRoute(r, routes.upload, async ({ query: q, req }) => {
    // A browser form or `curl -F` wraps the file in multipart; the sniffer would only see "unknown data".
    if (req.is('multipart/form-data')) {
      throw new HttpError(
        415,
        'unsupported_type',
        'Send the file itself as the request body (curl --data-binary @photo.jpg), not as multipart/form-data',
      );
    }
    const leave = gate.enter();
    try {
      // Streamed to a temp file beside its final place: memory stays flat whatever the size, and nothing of a
      // refused upload is left behind. A workflow is parsed whole, so it gets the JSON limit.
      const maxBytes = q.kind === 'workflow' ? Math.min(ctx.limits.maxUploadBytes, ctx.limits.maxJsonBytes) : ctx.limits.maxUploadBytes;
      const up = await receiveUpload(req, { dir: ctx.dirs.input, maxBytes, onHead: (head) => checkUploadHead(q.kind, head) });
      let stored: Awaited<ReturnType<typeof storeUpload>>;
      try {
        stored = await storeUpload(q.kind, q.filename, up, ctx.dirs.input, { maxImagePixels: ctx.limits.maxImagePixels });
      } finally {
        // Before answering: once the client has its answer, no temp file of this upload is left.
        await up.discard();
      }
      return { ...stored, url: ctx.urls.sign(stored.url) };
    } finally {
      leave();
    }
  });

  r.get('/files/:folder/:name', async (req, res) => {
    const folder = parseOr400(FileFolderSchema, req.params.folder, 'folder');
    const { root, relative } = await resolveInFolder(folders[folder], String(req.params.name));
    // A file is data, never a page of ours: no sniffing, and a sandbox if a browser renders it anyway.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'; img-src 'self'; media-src 'self'");
    res.setHeader('Cache-Control', folder === 'output' ? 'private, max-age=3600' : 'no-cache');
    // sendFile answers Range requests (206, Content-Range) so a video element can seek. With `root`, the
    // dotfile rule applies to the path inside the folder only, not to `.kinegraph/` above it.
    await new Promise<void>((resolve, reject) => {
      res.sendFile(relative, { root, dotfiles: 'deny', acceptRanges: true }, (err) => (err && !res.headersSent ? reject(err) : resolve()));
    });
  });

  return r;
}
