// Builds every WebAssembly text module (*.wat) under packages/nodes/src into its binary (*.wasm) beside it,
// with wabt. The binaries are committed, so nothing is compiled at run time; a test checks they match.
//   npm run build:wasm
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { watToWasm } from './wat-to-wasm.mjs';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.wat')) continue;
  const file = path.join(entry.parentPath, entry.name);
  const out = file.replace(/\.wat$/, '.wasm');
  writeFileSync(out, await watToWasm(readFileSync(file, 'utf8'), entry.name));
  console.log(`${path.relative(src, file)} -> ${path.relative(src, out)}`);
}
