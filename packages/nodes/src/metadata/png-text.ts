import { crc32 } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && Buffer.from(bytes.subarray(0, 8)).equals(SIGNATURE);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** Inserts a tEXt chunk right after IHDR (text must be Latin-1; keep it ASCII). */
export function addPngText(png: Buffer, keyword: string, text: string): Buffer {
  if (!isPng(png)) throw new Error('Not a PNG');
  const ihdrEnd = 8 + 12 + png.readUInt32BE(8);
  const body = Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0]), Buffer.from(text, 'latin1')]);
  return Buffer.concat([png.subarray(0, ihdrEnd), chunk('tEXt', body), png.subarray(ihdrEnd)]);
}

/** Every tEXt (and uncompressed iTXt) entry of a PNG, keyword → text. */
export function readPngText(png: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  if (!isPng(png)) return out;
  let at = 8;
  while (at + 12 <= png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, Math.min(at + 8 + length, png.length));
    if (type === 'tEXt') {
      const nul = data.indexOf(0);
      if (nul > 0) out.set(data.toString('latin1', 0, nul), data.toString('latin1', nul + 1));
    } else if (type === 'iTXt') {
      const nul = data.indexOf(0);
      // keyword \0 compressionFlag compressionMethod languageTag \0 translatedKeyword \0 text
      if (nul > 0 && data[nul + 1] === 0) {
        const lang = data.indexOf(0, nul + 3);
        const translated = lang >= 0 ? data.indexOf(0, lang + 1) : -1;
        if (translated >= 0) out.set(data.toString('latin1', 0, nul), data.toString('utf8', translated + 1));
      }
    } else if (type === 'IEND') break;
    at += 12 + length;
  }
  return out;
}
