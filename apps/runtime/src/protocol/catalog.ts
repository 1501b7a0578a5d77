import { z } from 'zod';
import { ParamHintSchema } from '@kinegraph/graph-core';

/** One node type as the editor sees it (graph-core's describeNode output). */
export const NodeSchemaJsonSchema = z.looseObject({
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
export type NodeSchemaJson = z.infer<typeof NodeSchemaJsonSchema>;
export const NodesResponseSchema = z.object({ nodes: z.array(NodeSchemaJsonSchema) });

export const ModelInfoSchema = z.looseObject({
  id: z.string(),
  kind: z.string(),
  family: z.string(),
  title: z.string(),
  description: z.string().optional(),
  hash: z.string(),
  samplers: z.array(z.string()),
  schedulers: z.array(z.string()),
});
export type ModelInfoJson = z.infer<typeof ModelInfoSchema>;
export const ModelsResponseSchema = z.object({ models: z.array(ModelInfoSchema) });

export const WorkflowNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'not a workflow name');
export const WorkflowListSchema = z.object({ workflows: z.array(z.object({ name: z.string(), title: z.string() })) });
export const WorkflowFromFileResponseSchema = z.object({ workflow: z.record(z.string(), z.unknown()) });
