/**
 * GIF Comment Extension (0x21 0xFE): ffmpeg's GIF muxer writes no metadata, so SaveVideo adds the
 * workflow as a comment block right after the header and global colour table.
 */
export function isGif(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 6 &&
    (Buffer.from(bytes.subarray(0, 6)).toString('latin1') === 'GIF89a' || Buffer.from(bytes.subarray(0, 6)).toString('latin1') === 'GIF87a')
  );
}

function headerEnd(gif: Buffer): number {
  const packed = gif[10];
  const hasTable = (packed & 0x80) !== 0;
  return 13 + (hasTable ? 3 * (1 << ((packed & 0x07) + 1)) : 0);
}

export function addGifComment(gif: Buffer, text: string): Buffer {
  if (!isGif(gif)) throw new Error('Not a GIF');
  const data = Buffer.from(text, 'latin1');
  const blocks: Buffer[] = [Buffer.from([0x21, 0xfe])];
  for (let i = 0; i < data.length; i += 255) {
    const part = data.subarray(i, i + 255);
    blocks.push(Buffer.from([part.length]), part);
  }
  blocks.push(Buffer.from([0]));
  const at = headerEnd(gif);
  const out = Buffer.concat([gif.subarray(0, at), ...blocks, gif.subarray(at)]);
  out.write('GIF89a', 0, 'latin1'); // comments are a GIF89a feature
  return out;
}

/** The first comment block's text, if the GIF has one before its first image. */
export function readGifComment(gif: Buffer): string | undefined {
  if (!isGif(gif)) return undefined;
  let at = headerEnd(gif);
  while (at + 1 < gif.length && gif[at] === 0x21) {
    const label = gif[at + 1];
    at += 2;
    const parts: Buffer[] = [];
    while (at < gif.length && gif[at] !== 0) {
      parts.push(gif.subarray(at + 1, at + 1 + gif[at]));
      at += 1 + gif[at];
    }
    at += 1;
    if (label === 0xfe) return Buffer.concat(parts).toString('latin1');
  }
  return undefined;
}
