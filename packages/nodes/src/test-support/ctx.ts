import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AbortError,
  checkInputs,
  type NodeContext,
  type NodeDefinition,
  type ParamShape,
  type PreviewImage,
  type Services,
  type UiOutput,
  type Workflow,
} from '@kinegraph/graph-core';
import { createHostServices } from '../host/host-services.js';

/** A scratch host: input/output/temp/models folders under one temporary directory. */
export interface TestHost {
  root: string;
  inputDir: string;
  outputDir: string;
  tempDir: string;
  services: Services;
  cleanup(): Promise<void>;
}

export async function createTestHost(o: { allowAbsolutePaths?: boolean } = {}): Promise<TestHost> {
  const root = await mkdtemp(path.join(tmpdir(), 'kinegraph-nodes-'));
  const dirs = {
    inputDir: path.join(root, 'input'),
    outputDir: path.join(root, 'output'),
    tempDir: path.join(root, 'temp'),
    modelsDir: path.join(root, 'models'),
  };
  await Promise.all(Object.values(dirs).map((d) => mkdir(d, { recursive: true })));
  const services = createHostServices({ ...dirs, allowAbsolutePaths: o.allowAbsolutePaths });
  return { root, ...dirs, services, cleanup: () => rm(root, { recursive: true, force: true }) };
}

export const testWorkflow: Workflow = {
  format: 'kinegraph.workflow',
  version: 1,
  nodes: { n1: { type: 'Test', params: { text: 'ünïcode ✓' }, inputs: {} } },
};

/** What a node did through its ctx during one execute call. */
export interface TestCtx extends NodeContext {
  uis: UiOutput[];
  warnings: Array<{ message: string; field?: string }>;
  progressLog: Array<{ value: number; max: number; preview?: PreviewImage }>;
  controller: AbortController;
}

export function createTestCtx(services: Services, o: { workflow?: Workflow; nodeId?: string } = {}): TestCtx {
  const controller = new AbortController();
  const uis: UiOutput[] = [];
  const warnings: TestCtx['warnings'] = [];
  const progressLog: TestCtx['progressLog'] = [];
  const throwIfAborted = () => {
    if (controller.signal.aborted) throw new AbortError();
  };
  const quiet = () => {};
  return {
    runId: 'test-run',
    nodeId: o.nodeId ?? 'n1',
    signal: controller.signal,
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    services,
    workflow: o.workflow ?? testWorkflow,
    progress(value, max, preview) {
      progressLog.push({ value, max, preview });
      throwIfAborted();
    },
    throwIfAborted,
    warn(message, field) {
      warnings.push({ message, field });
    },
    ui(output) {
      uis.push(output);
    },
    uis,
    warnings,
    progressLog,
    controller,
  };
}

/** Runs a node the way the engine does: inputs checked against their socket types, params parsed by their schemas (defaults filled), then execute. */
export async function runNode(
  def: NodeDefinition<any>,
  ctx: NodeContext,
  inputs: Record<string, unknown>,
  params: Record<string, unknown> = {},
): Promise<Record<string, any>> {
  const resolved: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(def.params as ParamShape)) resolved[name] = schema.parse(params[name]);
  checkInputs(def, ctx.nodeId, inputs);
  return def.execute(ctx, inputs, resolved as never);
}
