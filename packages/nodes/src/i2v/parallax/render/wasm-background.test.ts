import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript build script, no types
import { watToWasm } from '../../../../scripts/wat-to-wasm.mjs';

describe('background.wasm', () => {
  it('is the build of background.wat (run `npm run build:wasm` after editing the .wat)', async () => {
    const text = readFileSync(new URL('./wasm/background.wat', import.meta.url), 'utf8');
    const built: Buffer = await watToWasm(text, 'background.wat');
    expect(Buffer.compare(built, readFileSync(new URL('./wasm/background.wasm', import.meta.url)))).toBe(0);
  });
});
