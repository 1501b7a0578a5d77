import express from 'express';
import type { ServerContext } from './context.js';
import type { EditorAssets } from './editor/editor-assets.js';
import { editorRoutes } from './editor/editor-routes.js';
import { errorHandler } from './http/error-handler.js';
import { guardMiddleware } from './http/guard-middleware.js';
import { jsonBody } from './http/json-body.js';
import { catalogRoutes } from './routes/catalog-routes.js';
import { fileRoutes } from './routes/file-routes.js';
import { gridRoutes } from './routes/grid-routes.js';
import { runRoutes } from './routes/run-routes.js';
import { systemRoutes } from './routes/system-routes.js';
import type { GuardOptions } from './security/request-guard.js';
import { HttpError } from './http-error.js';
import { binaryBodyPaths } from '../protocol/index.js';

/** Routes whose body is a raw file, as the '/api' mount sees them: the JSON parser leaves them alone. */
const RAW_BODY_ROUTES = new Set(binaryBodyPaths.map((p) => p.replace(/^\/api/, '')));

/** The express app: guard first, then the API, the files, the editor; errors as JSON. */
export function createApp(ctx: ServerContext, guard: GuardOptions, editor: EditorAssets): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', 'weak');
  app.use(guardMiddleware(guard));
  // Uploads take the raw bytes (a workflow upload may well be sent as application/json). JSON bodies are
  // bounded in size and shape before any route sees them.
  const json = jsonBody(ctx.limits);
  app.use('/api', (req, res, next) => (RAW_BODY_ROUTES.has(req.path) ? next() : json(req, res, next)));
  app.use(runRoutes(ctx));
  app.use(gridRoutes(ctx));
  app.use(catalogRoutes(ctx));
  app.use(fileRoutes(ctx));
  app.use(systemRoutes(ctx));
  app.use(editorRoutes(editor));
  app.use((req, _res, next) => next(new HttpError(404, 'not_found', `No route ${req.method} ${req.path}`)));
  app.use(errorHandler(ctx.log));
  return app;
}
