import { AbortError } from './errors.js';
import type { EngineEvent } from './events.js';
import type { Logger, NodeContext, PreviewImage, Services, UiOutput } from './node-definition.js';
import type { Workflow } from './workflow-schema.js';

export interface ContextOptions {
  runId: string;
  nodeId: string;
  signal: AbortSignal;
  log: Logger;
  services: Services;
  workflow: Workflow;
  emit: (e: EngineEvent) => void;
  ui: UiOutput[];
}

/** The `ctx` a node runs with: progress and previews become events; an interrupt surfaces at the next step. */
export function createNodeContext(o: ContextOptions): NodeContext {
  const throwIfAborted = () => {
    if (o.signal.aborted) throw new AbortError();
  };
  const prefix = (msg: string) => `[${o.nodeId}] ${msg}`;
  return {
    runId: o.runId,
    nodeId: o.nodeId,
    signal: o.signal,
    services: o.services,
    workflow: o.workflow,
    log: {
      debug: (m, d) => o.log.debug(prefix(m), d),
      info: (m, d) => o.log.info(prefix(m), d),
      warn: (m, d) => o.log.warn(prefix(m), d),
      error: (m, d) => o.log.error(prefix(m), d),
    },
    throwIfAborted,
    progress(value: number, max: number, preview?: PreviewImage) {
      throwIfAborted();
      const time = Date.now();
      o.emit({ type: 'progress', runId: o.runId, time, nodeId: o.nodeId, value, max });
      if (preview) o.emit({ type: 'preview', runId: o.runId, time, nodeId: o.nodeId, image: preview });
    },
    warn(message: string, field?: string) {
      o.emit({ type: 'node_warning', runId: o.runId, time: Date.now(), nodeId: o.nodeId, message, field });
    },
    ui(output: UiOutput) {
      o.ui.push(output);
    },
  };
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
