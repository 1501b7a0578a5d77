import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatZodIssues } from '../../packages/nodes/src/onnx/model-folder.js';
import { ManifestSchema } from '../../packages/nodes/src/onnx/manifest.js';

/** docs/models.md shows manifests to copy: they must stay valid as the schema changes. */
describe('docs/models.md manifest examples', async () => {
  const text = await readFile(path.resolve(import.meta.dirname, '../../docs/models.md'), 'utf8');
  const blocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);

  it('has examples for both families', () => {
    const families = blocks.map((b) => JSON.parse(b).family);
    expect(families).toEqual(expect.arrayContaining(['edm-video', 'flow-video']));
  });

  it.each(blocks.map((b, i) => [i, b]))('example %i is a valid model.json', (_i, block) => {
    const parsed = ManifestSchema.safeParse(JSON.parse(block as string));
    expect(parsed.success, parsed.success ? '' : formatZodIssues(parsed.error)).toBe(true);
  });
});
