import type { ValueCodec } from '@kinegraph/graph-core';
import { FacesValue } from '../values/faces.js';

/** A few boxes and landmarks: kept inside the cache entry itself, no file. */
export const facesCodec: ValueCodec<FacesValue> = {
  id: 'faces',
  encode: async (v) => ({ codec: 'faces', value: v.toJSON() }),
  decode: async (s) => FacesValue.fromJSON(s.value),
};
