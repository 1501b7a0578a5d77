import cliProgress, { type SingleBar } from 'cli-progress';
import { applyNodeEvent, type EngineEvent, type NodeState } from '@kinegraph/graph-core';
import { formatIssue } from './format-issues.js';

export interface Printer {
  onEvent(e: EngineEvent): void;
  /** Removes a live bar before the process prints its last lines or exits. */
  close(): void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/**
 * Human output on stderr (stdout keeps only the written file paths): one line per finished or cached node,
 * and on a terminal a live bar for the running node (its name, step value/max).
 */
export function createHumanPrinter(stream: NodeJS.WriteStream = process.stderr): Printer {
  const live = Boolean(stream.isTTY);
  let bar: SingleBar | undefined;
  let barNode: string | undefined;
  // graph-core's node-status reducer: each node's type and last progress, for the bar.
  const states: Record<string, NodeState> = {};

  const stopBar = () => {
    bar?.stop();
    bar = undefined;
    barNode = undefined;
  };
  const line = (text: string) => {
    const node = barNode;
    const wasLive = Boolean(bar);
    stopBar();
    stream.write(text + '\n');
    const p = node ? (states[node]?.progress ?? { value: 0, max: 1 }) : undefined;
    if (wasLive && node && p) startBar(node, p.value, p.max);
  };
  const startBar = (nodeId: string, value: number, max: number) => {
    if (!live) return;
    bar = new cliProgress.SingleBar(
      {
        format: ' {node} |{bar}| {value}/{total}  {duration}s',
        stream,
        hideCursor: true,
        clearOnComplete: true,
        barsize: 30,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(max, value, { node: `${nodeId} (${states[nodeId]?.nodeType ?? '?'})` });
    barNode = nodeId;
  };

  return {
    onEvent(e) {
      applyNodeEvent(states, e);
      switch (e.type) {
        case 'run_started':
          stream.write(
            `Running ${e.toExecute.length} node${e.toExecute.length === 1 ? '' : 's'}${e.cached.length ? `, ${e.cached.length} from cache` : ''}\n`,
          );
          break;
        case 'node_cached':
          line(`  cached    ${e.nodeId} (${e.nodeType})`);
          break;
        case 'node_started':
          if (live && !bar) startBar(e.nodeId, 0, 1);
          break;
        case 'progress':
          if (!live) break;
          if (barNode !== e.nodeId) {
            stopBar();
            startBar(e.nodeId, e.value, e.max);
          } else {
            bar?.setTotal(e.max);
            bar?.update(e.value);
          }
          break;
        case 'node_warning':
          line(`  warning   ${e.nodeId}${e.field ? '.' + e.field : ''}: ${e.message}`);
          break;
        case 'node_finished': {
          if (barNode === e.nodeId) stopBar();
          const summary = Object.entries(e.outputs)
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ');
          line(`  done      ${e.nodeId} (${e.nodeType}) ${seconds(e.durationMs)}${summary ? '  ' + summary : ''}`);
          break;
        }
        case 'node_failed':
          if (barNode === e.nodeId) stopBar();
          line(`  failed    ${formatIssue({ ...e.error, code: e.error.code as never, nodeId: e.nodeId })}`);
          break;
        case 'run_finished':
          stopBar();
          stream.write(`Finished in ${seconds(e.durationMs)} (${e.executed.length} ran, ${e.cached.length} cached)\n`);
          break;
        case 'run_interrupted':
          stopBar();
          stream.write(`Interrupted after ${seconds(e.durationMs)}${e.nodeId ? ` in ${e.nodeId}` : ''}\n`);
          break;
        case 'run_failed':
          stopBar();
          break;
      }
    },
    close: stopBar,
  };
}

/** --json: every event as a JSON line on stdout. */
export function createJsonPrinter(write: (line: string) => void, toLine: (e: EngineEvent) => string): Printer {
  return { onEvent: (e) => write(toLine(e)), close: () => {} };
}
