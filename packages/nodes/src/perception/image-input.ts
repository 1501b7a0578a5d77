import { UserError } from '@kinegraph/graph-core';
import { MAX_INPUT_PIXELS } from '../image/decode-image.js';
import { ImageValue } from '../values/image.js';

/** The IMAGE a perception node reads, or a UserError saying what is wrong with it. */
export function perceptionImage(value: unknown, field = 'image'): ImageValue {
  if (!(value instanceof ImageValue)) {
    const kind = (value as { kind?: unknown } | null)?.kind;
    throw new UserError(`The ${field} input is not an IMAGE${typeof kind === 'string' ? ` (got ${kind.toUpperCase()})` : ''}`, field);
  }
  if (value.width < 1 || value.height < 1) throw new UserError(`The ${field} is empty (${value.width}x${value.height})`, field);
  if (value.width * value.height > MAX_INPUT_PIXELS) {
    throw new UserError(`The ${field} is ${value.width}x${value.height}, over the ${MAX_INPUT_PIXELS / 1e6} MP limit; resize it first`, field);
  }
  return value;
}
