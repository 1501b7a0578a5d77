import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript build script, no types
import { watToWasm } from '../../../../scripts/wat-to-wasm.mjs';

describe('layers.wasm', () => {
  it('is the build of layers.wat (run `npm run build:wasm` after editing the .wat)', async () => {
    const text = readFileSync(new URL('./wasm/layers.wat', import.meta.url), 'utf8');
    const built: Buffer = await watToWasm(text, 'layers.wat');
    expect(Buffer.compare(built, readFileSync(new URL('./wasm/layers.wasm', import.meta.url)))).toBe(0);
  });
});
