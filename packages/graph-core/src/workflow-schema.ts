import { z } from 'zod';

export const WORKFLOW_FORMAT = 'kinegraph.workflow';
export const WORKFLOW_VERSION = 1;

const Id = z.string().min(1).max(128);

/** A link into an input (or a parameter turned into an input): [sourceNodeId, outputName]. */
export const LinkSchema = z.tuple([Id, z.string().min(1).max(128)]);
export type Link = z.infer<typeof LinkSchema>;

export const NodeModeSchema = z.enum(['normal', 'bypass', 'mute']);
export type NodeMode = z.infer<typeof NodeModeSchema>;

export const WorkflowNodeSchema = z.looseObject({
  type: z.string().min(1).max(128),
  /** Version of the node type this node was saved with. */
  version: z.number().int().min(0).optional(),
  params: z.record(z.string(), z.unknown()).default({}),
  inputs: z.record(z.string(), LinkSchema).default({}),
  /** normal (the default), bypass (passes its matching input through) or mute (it and what needs it do not run): see node-modes.ts. */
  mode: NodeModeSchema.optional(),
});
export type WorkflowNode = z.infer<typeof WorkflowNodeSchema>;

/** What a seed parameter does after a run in the editor. */
export const SeedModeSchema = z.enum(['fixed', 'increment', 'randomize']);
export type SeedMode = z.infer<typeof SeedModeSchema>;

export const NodeUiSchema = z.looseObject({
  x: z.number(),
  y: z.number(),
  width: z.number().optional(),
  height: z.number().optional(),
  title: z.string().optional(),
  color: z.string().optional(),
  collapsed: z.boolean().optional(),
  /** Params shown as input sockets (a linked param is a socket anyway). */
  sockets: z.array(z.string()).optional(),
  /** Seed behaviour after a run, per seed param. */
  seedMode: z.record(z.string(), SeedModeSchema).optional(),
});
export type NodeUi = z.infer<typeof NodeUiSchema>;

export const WorkflowUiSchema = z.looseObject({
  nodes: z.record(z.string(), NodeUiSchema).default({}),
  groups: z
    .array(
      z.looseObject({
        id: z.string(),
        title: z.string(),
        x: z.number(),
        y: z.number(),
        width: z.number(),
        height: z.number(),
        color: z.string().optional(),
      }),
    )
    .default([]),
  notes: z
    .array(
      z.looseObject({
        id: z.string(),
        text: z.string(),
        x: z.number(),
        y: z.number(),
        width: z.number().optional(),
        height: z.number().optional(),
      }),
    )
    .default([]),
  viewport: z.object({ x: z.number(), y: z.number(), zoom: z.number() }).optional(),
});
export type WorkflowUi = z.infer<typeof WorkflowUiSchema>;

export const WorkflowSchema = z.looseObject({
  format: z.literal(WORKFLOW_FORMAT),
  version: z.literal(WORKFLOW_VERSION),
  nodes: z.record(Id, WorkflowNodeSchema),
  ui: WorkflowUiSchema.optional(),
  meta: z.looseObject({ name: z.string().optional(), description: z.string().optional() }).optional(),
});
export type Workflow = z.infer<typeof WorkflowSchema>;
