import { z } from 'zod';
import type { NodeDefinition } from './node-definition.js';
import { hintOf, ParamHintSchema } from './param-hints.js';

/**
 * A node type as JSON: what the editor builds its palette and widgets from, what GET /api/nodes answers and
 * what `kinegraph nodes` prints. Loose objects: a newer server may add fields an older editor passes over.
 */
export const NodeDescriptionSchema = z.looseObject({
  type: z.string(),
  category: z.string(),
  title: z.string(),
  description: z.string(),
  version: z.number(),
  isOutput: z.boolean(),
  inputs: z.array(z.looseObject({ name: z.string(), type: z.string(), optional: z.boolean(), description: z.string().optional() })),
  outputs: z.array(z.looseObject({ name: z.string(), type: z.string(), description: z.string().optional() })),
  params: z.array(z.looseObject({ name: z.string(), hint: ParamHintSchema.loose(), schema: z.unknown(), default: z.unknown() })),
});
export type NodeDescription = z.infer<typeof NodeDescriptionSchema>;

export function describeNode(def: NodeDefinition): NodeDescription {
  return {
    type: def.type,
    category: def.category,
    title: def.title,
    description: def.description,
    version: def.version,
    isOutput: def.isOutput ?? false,
    inputs: Object.entries(def.inputs).map(([name, s]) => ({
      name,
      type: s.type,
      optional: s.optional ?? false,
      description: s.description,
    })),
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
