import { z } from 'zod';
import type { NodeDefinition } from './node-definition.js';
import { hintOf, type ParamHint } from './param-hints.js';

/** A node type as JSON: what the editor builds its palette and widgets from and what `kinegraph nodes` prints. */
export interface NodeDescription {
  type: string;
  category: string;
  title: string;
  description: string;
  version: number;
  isOutput: boolean;
  inputs: Array<{ name: string; type: string; optional: boolean; description?: string }>;
  outputs: Array<{ name: string; type: string; description?: string }>;
  params: Array<{ name: string; hint: ParamHint; schema: unknown; default: unknown }>;
}

export function describeNode(def: NodeDefinition): NodeDescription {
  return {
    type: def.type,
    category: def.category,
    title: def.title,
    description: def.description,
    version: def.version,
    isOutput: def.isOutput ?? false,
    inputs: Object.entries(def.inputs).map(([name, s]) => ({ name, type: s.type, optional: s.optional ?? false, description: s.description })),
    outputs: Object.entries(def.outputs).map(([name, s]) => ({ name, type: s.type, description: s.description })),
    params: Object.entries(def.params).map(([name, schema]) => {
      const hint = hintOf(schema) ?? { widget: 'json' as const };
      const parsed = schema.safeParse(undefined);
      return { name, hint, schema: jsonSchemaOf(schema), default: parsed.success ? parsed.data : hint.default };
    }),
  };
}

function jsonSchemaOf(schema: z.ZodType): unknown {
  try {
    return z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' });
  } catch {
    return {};
  }
}
