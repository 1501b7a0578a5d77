import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateWorkflow, WorkflowSchema } from '@kinegraph/graph-core';
import { createNodeRegistry } from '@kinegraph/nodes';

const dir = path.resolve(import.meta.dirname, '../../workflows');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

/** The shareable example workflows must always validate against the installed node library. */
describe('workflows/', () => {
  const registry = createNodeRegistry();

  it('ships example workflows, the default one among them', () => {
    expect(files).toContain('photo-to-video.json');
  });

  it.each(files)('%s is a valid, current workflow with a layout', (file) => {
    const doc = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    const result = validateWorkflow(doc, registry);
    expect(result.issues.filter((i) => i.severity !== 'warning')).toEqual([]);
    const parsed = WorkflowSchema.parse(doc);
    for (const id of Object.keys(parsed.nodes)) expect(parsed.ui?.nodes[id], `${file}: node ${id} has a position`).toBeDefined();
  });
});
