import { REROUTE_TYPE } from '@kinegraph/graph-core';
import type { Draft } from 'immer';
import type { NodeSchema, Workflow } from '../api/types.js';
import { addNode } from './node-ops.js';

export { REROUTE_TYPE };

/**
 * A reroute: a dot on a link to bend it round the graph. The engine passes it through (graph-core node-modes.ts),
 * so the runtime has no such type; the editor knows it by this schema. Its type is whatever reaches it.
 */
export const REROUTE_SCHEMA: NodeSchema = {
  type: REROUTE_TYPE,
  category: 'utility',
  title: 'Reroute',
  description: 'A point on a link to route it tidily; vanishes when the workflow runs',
  version: 1,
  isOutput: false,
  inputs: [{ name: 'input', type: 'ANY', optional: false }],
  outputs: [{ name: 'output', type: 'ANY' }],
  params: [],
};

/** Splits the link into `target.input` with a reroute at `at` (flow coordinates); returns the reroute's id. */
export function insertReroute(d: Draft<Workflow>, target: string, input: string, at: { x: number; y: number }): string | undefined {
  const link = d.nodes[target]?.inputs[input];
  if (!link) return undefined;
  const id = addNode(d, REROUTE_SCHEMA, { x: at.x - 12, y: at.y - 12 });
  d.nodes[id]!.inputs.input = [link[0], link[1]];
  d.nodes[target]!.inputs[input] = [id, 'output'];
  return id;
}
