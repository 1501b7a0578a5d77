import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import type { RouteDef } from '../../protocol/index.js';
import { HttpError } from '../http-error.js';
import { parseOr400 } from '../validate.js';

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
export interface RouteInput<R extends RouteDef> {
  params: { [K in keyof R['params']]: Parsed<R['params'][K]> };
  query: Parsed<R['query']>;
  body: R['body'] extends z.ZodType ? z.output<R['body']> : undefined;
  req: Request;
  res: Response;
}
/** A handler that wrote its answer itself (a file sent as it is). */
export const ANSWERED = Symbol('answered');

/**
 * Registers a route of the protocol's table: params, query and JSON body parsed with its schemas (400 with
 * every problem otherwise), the handler's result sent as JSON with the route's status.
 */
export function onRoute<R extends RouteDef>(
  router: Router,
  route: R,
  handler: (input: RouteInput<R>) => Promise<z.input<R['response']> | typeof ANSWERED> | z.input<R['response']> | typeof ANSWERED,
): void {
  const method = route.method === 'GET' ? 'get' : route.method === 'POST' ? 'post' : 'delete';
  router[method](route.path, async (req, res) => {
    const params: Record<string, unknown> = {};
    for (const [name, schema] of Object.entries(route.params ?? {})) params[name] = parseOr400(schema, req.params[name], spaced(name));
    const query = route.query ? parseOr400(route.query, req.query, route.what) : undefined;
    const body = route.body && route.body !== 'binary' ? parseBody(route.body, req, route.what) : undefined;
    const out = await handler({ params, query, body, req, res } as RouteInput<R>);
    if (out !== ANSWERED) res.status(route.status ?? 200).json(out);
  });
}

function parseBody(schema: z.ZodType, req: Request, what: string): unknown {
  const r = schema.safeParse(req.body);
  if (r.success) return r.data;
  // No JSON parser ran (curl --data without a content type sends a form): say so instead of "expected object".
  if (req.body === undefined && !req.is('application/json')) {
    throw new HttpError(
      415,
      'unsupported_type',
      `Send the ${what} as JSON with "Content-Type: application/json" (got ${req.get('content-type') ?? 'no content type'})`,
    );
  }
  return parseOr400(schema, req.body, what);
}

/** "runId" -> "run id", for error messages. */
function spaced(name: string): string {
  return name.replace(/[A-Z]/g, (c) => ' ' + c.toLowerCase());
}
