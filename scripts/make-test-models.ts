/**
 * Builds the tiny random-weight ONNX test models of both families (and fp16 / camera variants) into
 * `<folder>/video/<name>/`; with --large also the ~100 M parameter edm-video U-Net the bench uses (~420 MB).
 * Usage: npx tsx scripts/make-test-models.ts <models folder> [--large]
 */
import path from 'node:path';
import { writeEdmTestModel, writeTestModels } from '../packages/nodes/src/onnx/testing/test-models.js';

const args = process.argv.slice(2);
const target = args.find((a) => !a.startsWith('--'));
if (!target) {
  console.error('usage: npx tsx scripts/make-test-models.ts <models folder> [--large]');
  process.exit(2);
}
const root = path.resolve(target);
const built = await writeTestModels(root);
if (args.includes('--large')) built.push(await writeEdmTestModel(root, 'large-edm', { large: true }));
for (const m of built) console.log(`${m.manifest.family.padEnd(10)} ${m.dir}  ${m.manifest.title}`);
