import { UserError } from '@kinegraph/graph-core';
import { MAX_INPUT_PIXELS } from '../image/decode-image.js';
import type { MaskValue } from '../values/mask.js';

/** The MASK a node reads (the engine has checked its type), or a UserError saying it is empty or too big. */
export function maskInput(value: MaskValue, field = 'mask'): MaskValue {
  if (value.width < 1 || value.height < 1 || value.data.length === 0)
    throw new UserError(`The ${field} is empty (${value.width}x${value.height})`, field);
  if (value.width * value.height > MAX_INPUT_PIXELS) {
    throw new UserError(`The ${field} is ${value.width}x${value.height}, over the ${MAX_INPUT_PIXELS / 1e6} MP limit`, field);
  }
  return value;
}

/** Two masks an operation combines must have one size (no silent resizing). */
export function sameSize(a: MaskValue, b: MaskValue, field: string): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new UserError(`The masks differ in size (${a.width}x${a.height} and ${b.width}x${b.height}); resize one first`, field);
  }
}
