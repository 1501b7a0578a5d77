import sharp from 'sharp';
import type { ValueCodec } from '@kinegraph/graph-core';
import { ImageValue } from '../values/image.js';

/** An IMAGE as a PNG: lossless and quick (a cache file is read back by us, so speed beats size). */
export const imageCodec: ValueCodec<ImageValue> = {
  id: 'image',
  async encode(v, store, name) {
    const png = await sharp(Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength), {
      raw: { width: v.width, height: v.height, channels: 3 },
    })
      .png({ compressionLevel: 1, adaptiveFiltering: false })
      .toBuffer();
    const file = `${name}.png`;
    return { codec: 'image', file, bytes: await store.writeBytes(file, png), width: v.width, height: v.height };
  },
  async decode(s, store) {
    const { data, info } = await sharp(await store.readBytes(String(s.file)))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.width !== s.width || info.height !== s.height || info.channels !== 3) throw new Error('cached image does not match its entry');
    return new ImageValue(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  },
};
