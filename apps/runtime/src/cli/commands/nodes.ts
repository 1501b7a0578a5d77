import { describeNode } from '@kinegraph/graph-core';
import { allNodes } from '@kinegraph/nodes';
import { ExitCode } from '../exit-codes.js';
import { consoleIo, type CliIo } from './run.js';

/** `kinegraph nodes`: every node type, as a table or (--json) with full parameter schemas. */
export function nodesCommand(o: { json?: boolean }, io: CliIo = consoleIo): number {
  const described = allNodes.map(describeNode).sort((a, b) => a.category.localeCompare(b.category) || a.type.localeCompare(b.type));
  if (o.json) {
    io.stdout(JSON.stringify(described, null, 2));
    return ExitCode.ok;
  }
  let category = '';
  for (const d of described) {
    if (d.category !== category) {
      category = d.category;
      io.stdout(`\n${category}`);
    }
    const ins = d.inputs.map((i) => `${i.name}${i.optional ? '?' : ''}: ${i.type}`).join(', ');
    const outs = d.outputs.map((x) => `${x.name}: ${x.type}`).join(', ');
    const params = d.params.map((p) => p.name).join(', ');
    io.stdout(`  ${d.type.padEnd(16)} ${d.title}${d.isOutput ? ' [output]' : ''}`);
    io.stdout(`  ${''.padEnd(16)} (${ins}) -> (${outs})${params ? `  params: ${params}` : ''}`);
  }
  return ExitCode.ok;
}
