import express, { type Request, type RequestHandler } from 'express';
import { findLimitBreach, type DocumentLimitName } from '@kinegraph/graph-core';
import type { LimitName, ServerLimitsJson } from '../../protocol/index.js';
import { HttpError } from '../http-error.js';

/** The server's names for graph-core's document limits (GET /api/limits lists them). */
const NAMES: Record<DocumentLimitName, LimitName> = {
  maxDepth: 'maxJsonDepth',
  maxStringLength: 'maxStringLength',
  maxEntries: 'maxEntries',
  maxNodes: 'maxNodes',
  maxValues: 'maxValues',
};

const bodyBytes = new WeakMap<Request, number>();

/** Bytes of the JSON body as sent (0 when there was none). */
export function jsonBodyBytes(req: Request): number {
  return bodyBytes.get(req) ?? 0;
}

/**
 * Parses JSON bodies up to `maxJsonBytes`, then bounds their shape (depth, string length, entries, values)
 * before any route looks at them: a refusal is a 413 naming the limit, and costs no more than the limits allow.
 */
export function jsonBody(limits: ServerLimitsJson): RequestHandler {
  const parse = express.json({
    limit: limits.maxJsonBytes,
    verify: (req, _res, buf) => void bodyBytes.set(req as Request, buf.length),
  });
  return (req, res, next) => {
    parse(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (req.body !== undefined) {
        // A run request's node count first: past it, "too many nodes" says more than "too many entries".
        const workflow = typeof req.body === 'object' && req.body !== null ? (req.body as { workflow?: unknown }).workflow : undefined;
        const breach = checkNodeCount(workflow, limits) ?? checkBounds(req.body, limits, Infinity);
        if (breach) return next(breach);
      }
      next();
    });
  };
}

/** A workflow's own bounds (its node count) and what a batch of it adds to the queue's files. */
export function checkWorkflowBounds(req: Request, workflow: unknown, batch: number, limits: ServerLimitsJson): void {
  const breach = checkBounds(workflow, limits, limits.maxNodes);
  if (breach) throw breach;
  const bytes = jsonBodyBytes(req);
  if (bytes * batch > limits.maxBatchBytes) {
    throw new HttpError(
      413,
      'payload_too_large',
      `A batch of ${batch} runs of a ${bytes}-byte request would queue ${bytes * batch} bytes; the limit is ${limits.maxBatchBytes} (maxBatchBytes): send a smaller batch or a smaller workflow`,
      undefined,
      { limit: { name: 'maxBatchBytes', max: limits.maxBatchBytes } },
    );
  }
}

function checkNodeCount(workflow: unknown, limits: ServerLimitsJson): HttpError | undefined {
  const nodes = typeof workflow === 'object' && workflow !== null ? (workflow as { nodes?: unknown }).nodes : undefined;
  if (typeof nodes !== 'object' || nodes === null) return undefined;
  const n = Object.keys(nodes).length;
  if (n <= limits.maxNodes) return undefined;
  return new HttpError(413, 'limit_exceeded', `The workflow has ${n} nodes; the limit is ${limits.maxNodes} (maxNodes)`, undefined, {
    limit: { name: 'maxNodes', max: limits.maxNodes },
  });
}

function checkBounds(value: unknown, limits: ServerLimitsJson, maxNodes: number): HttpError | undefined {
  const b = findLimitBreach(value, {
    maxDepth: limits.maxJsonDepth,
    maxStringLength: limits.maxStringLength,
    maxEntries: limits.maxEntries,
    maxNodes,
    maxValues: limits.maxValues,
  });
  if (!b) return undefined;
  const name = NAMES[b.limit];
  const where = b.path && !b.message.includes(`"${b.path}"`) ? ` at "${b.path}"` : '';
  return new HttpError(413, 'limit_exceeded', `${b.message}${where} (${name})`, undefined, { limit: { name, max: b.max } });
}
