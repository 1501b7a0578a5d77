/**
 * Builds the tiny random-weight ONNX test models of both families (and fp16 / camera variants) into
 * `<folder>/video/<name>/`. Usage: npx tsx scripts/make-test-models.ts <models folder>
 */
import path from 'node:path';
import { writeTestModels } from '../packages/nodes/src/onnx/testing/test-models.js';

const target = process.argv[2];
if (!target) {
  console.error('usage: npx tsx scripts/make-test-models.ts <models folder>');
  process.exit(2);
}
const built = await writeTestModels(path.resolve(target));
for (const m of built) console.log(`${m.manifest.family.padEnd(10)} ${m.dir}`);
