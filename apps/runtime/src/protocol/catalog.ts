import { z } from 'zod';
import { NodeDescriptionSchema } from '@kinegraph/graph-core';
import { ModelInfoSchema } from '@kinegraph/nodes/model-info';

/** One node type as the editor sees it: graph-core's describeNode output, with its one schema. */
export const NodeSchemaJsonSchema = NodeDescriptionSchema;
export type NodeSchemaJson = z.infer<typeof NodeSchemaJsonSchema>;
export const NodesResponseSchema = z.object({ nodes: z.array(NodeSchemaJsonSchema) });

/** One model as GET /api/models lists it: the node library's own schema. */
export { ModelInfoSchema };
export type ModelInfoJson = z.infer<typeof ModelInfoSchema>;
export const ModelsResponseSchema = z.object({ models: z.array(ModelInfoSchema) });

export const WorkflowNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'not a workflow name');
export const WorkflowListSchema = z.object({ workflows: z.array(z.object({ name: z.string(), title: z.string() })) });
export const WorkflowFromFileResponseSchema = z.object({ workflow: z.record(z.string(), z.unknown()) });
