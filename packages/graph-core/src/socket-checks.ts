import { UserError } from './errors.js';
import type { NodeDefinition } from './node-definition.js';
import type { SocketDef } from './socket-types.js';

/**
 * A value of the wrong socket type reached a node: named by node, input (or output) and both types, so
 * the CLI, the API and the editor can point at the link. A user error: the graph is wired wrong.
 */
export class SocketTypeError extends UserError {
  constructor(
    readonly nodeId: string,
    readonly socketName: string,
    readonly direction: 'input' | 'output',
    readonly expected: string,
    readonly got: string | undefined,
    hint?: string,
  ) {
    super(
      `The ${socketName} ${direction} is not ${article(expected)} ${expected}${got ? ` (got ${got})` : ''}${hint ? ` (${hint})` : ''}`,
      direction === 'input' ? socketName : undefined,
    );
    this.name = 'SocketTypeError';
  }
}

/** Checks each input value against its declared socket type (a missing optional input passes). */
export function checkInputs(def: NodeDefinition<any, any>, nodeId: string, inputs: Record<string, unknown>): void {
  for (const [name, spec] of Object.entries(def.inputs as NodeDefinition['inputs'])) {
    const value = inputs[name];
    if (value === undefined && spec.optional) continue;
    if (spec.socket && !spec.socket.is(value)) throw mismatch(nodeId, name, 'input', spec.socket, value);
  }
}

/** Checks each output value a node returned against its declared socket type (null: an output that does not apply this time). */
export function checkOutputs(def: NodeDefinition<any, any>, nodeId: string, outputs: Record<string, unknown>): void {
  for (const [name, spec] of Object.entries(def.outputs)) {
    const value = outputs[name];
    if (value !== null && spec.socket && !spec.socket.is(value)) throw mismatch(nodeId, name, 'output', spec.socket, value);
  }
}

function mismatch(nodeId: string, name: string, direction: 'input' | 'output', socket: SocketDef, value: unknown): SocketTypeError {
  return new SocketTypeError(nodeId, name, direction, socket.name, kindOf(value), direction === 'input' ? socket.hint : undefined);
}

/** The value's own kind tag ("mask" on a MaskValue), upper-cased, as a hint of what arrived instead. */
function kindOf(value: unknown): string | undefined {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' ? kind.toUpperCase() : undefined;
}

function article(type: string): string {
  return /^[AEIOU]/.test(type) ? 'an' : 'a';
}
