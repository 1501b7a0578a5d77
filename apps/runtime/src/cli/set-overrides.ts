import { ErrorCode, type GraphIssue, type NodeRegistry } from '@kinegraph/graph-core';
import type { z } from 'zod';
import { CliError } from './exit-codes.js';

export interface SetOverride {
  nodeId: string;
  param: string;
  raw: string;
}

/** `nodeId.param=value`: the node id is everything before the last '.' of the left side (ids may hold dots). */
export function parseSetOption(text: string): SetOverride {
  const eq = text.indexOf('=');
  const key = eq < 0 ? text : text.slice(0, eq);
  const dot = key.lastIndexOf('.');
  if (eq < 0 || dot <= 0 || dot === key.length - 1) {
    throw new CliError(`--set "${text}" should look like <nodeId>.<param>=<value>`);
  }
  return { nodeId: key.slice(0, dot), param: key.slice(dot + 1), raw: text.slice(eq + 1) };
}

/**
 * The value a --set stands for: JSON when it parses (numbers, booleans, arrays, objects, quoted strings),
 * else the text itself. When JSON gives the wrong type for a text parameter ("--set n.prompt=42"), the text
 * wins; anything else is left for validation to report exactly as if the JSON file held it.
 */
export function chooseSetValue(raw: string, schema?: z.ZodType): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return raw;
  }
  if (schema && !schema.safeParse(parsed).success && schema.safeParse(raw).success) return raw;
  return parsed;
}

export interface AppliedOverrides {
  doc: unknown;
  problems: GraphIssue[];
  notes: string[];
}

/** Applies --set values to a copy of the (migrated) document; unknown nodes and parameters are problems. */
export function applySetOverrides(doc: unknown, overrides: SetOverride[], registry: NodeRegistry): AppliedOverrides {
  if (!overrides.length) return { doc, problems: [], notes: [] };
  const copy = structuredClone(doc) as { nodes?: Record<string, Record<string, unknown>> };
  const problems: GraphIssue[] = [];
  const notes: string[] = [];
  const nodes = copy && typeof copy === 'object' && copy.nodes && typeof copy.nodes === 'object' ? copy.nodes : undefined;
  for (const o of overrides) {
    const node = nodes && Object.hasOwn(nodes, o.nodeId) ? nodes[o.nodeId] : undefined;
    if (!node || typeof node !== 'object') {
      const ids = nodes ? Object.keys(nodes).join(', ') : '';
      problems.push({
        code: ErrorCode.unknownTarget,
        nodeId: o.nodeId,
        message: `--set: no node "${o.nodeId}" in the workflow${ids ? ` (nodes: ${ids})` : ''}`,
      });
      continue;
    }
    const def = typeof node.type === 'string' ? registry.get(node.type) : undefined;
    const schema = def?.params[o.param];
    if (def && !schema) {
      const known = Object.keys(def.params);
      problems.push({
        code: ErrorCode.unknownParam,
        nodeId: o.nodeId,
        field: o.param,
        message: `--set: ${def.type} has no parameter "${o.param}"${known.length ? ` (parameters: ${known.join(', ')})` : ''}`,
      });
      continue;
    }
    const params = node.params && typeof node.params === 'object' ? (node.params as Record<string, unknown>) : {};
    params[o.param] = chooseSetValue(o.raw, schema);
    node.params = params;
    const inputs = node.inputs && typeof node.inputs === 'object' ? (node.inputs as Record<string, unknown>) : undefined;
    if (inputs && Object.hasOwn(inputs, o.param)) {
      delete inputs[o.param];
      notes.push(`--set ${o.nodeId}.${o.param} replaces the link that fed it`);
    }
  }
  return { doc: copy, problems, notes };
}
