import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateWorkflow, validateWorkflow } from '@kinegraph/graph-core';
import { createNodeRegistry } from '@kinegraph/nodes';
import { repoRoot } from './cli-harness.js';

const dir = path.join(repoRoot, 'workflows');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('shipped workflows', () => {
  it('include the default workflow', () => {
    expect(files).toContain('photo-to-video.json');
  });

  it.each(files)('%s is valid and places every node on the canvas', (file) => {
    const doc = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    const result = validateWorkflow(migrateWorkflow(doc), createNodeRegistry());
    expect(result.issues.filter((i) => i.severity !== 'warning')).toEqual([]);
    expect(result.ok).toBe(true);
    for (const id of Object.keys(doc.nodes)) expect(doc.ui?.nodes?.[id], `${file}: ui position of ${id}`).toBeDefined();
  });
});
