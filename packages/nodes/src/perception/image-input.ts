import { UserError } from '@kinegraph/graph-core';
import { MAX_INPUT_PIXELS } from '../image/decode-image.js';
import type { ImageValue } from '../values/image.js';

/** The IMAGE a perception node reads (the engine has checked its type), or a UserError saying it is empty or too big. */
export function perceptionImage(value: ImageValue, field = 'image'): ImageValue {
  if (value.width < 1 || value.height < 1) throw new UserError(`The ${field} is empty (${value.width}x${value.height})`, field);
  if (value.width * value.height > MAX_INPUT_PIXELS) {
    throw new UserError(
      `The ${field} is ${value.width}x${value.height}, over the ${MAX_INPUT_PIXELS / 1e6} MP limit; resize it first`,
      field,
    );
  }
  return value;
}
