import { execFileSync } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { ffmpegPath } from '@kinegraph/nodes';
import { bombPng, liarPng, PNG_SIGNATURE } from './png-bytes.js';

export type MediaKind = 'image' | 'video' | 'audio';
export type Category =
  | 'empty'
  | 'truncated'
  | 'corrupt'
  | 'decompression bomb'
  | 'wrong type'
  | 'svg entities'
  | 'polyglot'
  | 'absurd header'
  | 'broken audio'
  | 'symlink'
  | 'odd name';

/** One hostile input: a file in the input folder (or only a name), and how it is uploaded. */
export interface HostileFile {
  /** What a loader's file parameter says. */
  param: string;
  category: Category;
  note: string;
  /** Uploaded as this kind with these bytes (absent: symlinks and bare names, which HTTP can not carry). */
  upload?: { kind: MediaKind; filename: string; bytes: Buffer };
}

const ffmpeg = (...args: string[]) =>
  execFileSync(ffmpegPath(), ['-v', 'error', '-nostdin', '-y', ...args], { maxBuffer: 256 * 1024 * 1024 });

/**
 * Writes the hostile files into `inputDir` (symlinks point into `outsideDir`, which holds a "secret" and a real
 * picture the server must never read through a link). Everything is generated here, from ffmpeg's and sharp's
 * own output cut, patched or wrapped; nothing is committed.
 */
export async function makeHostileFiles(inputDir: string, outsideDir: string, work: string): Promise<HostileFile[]> {
  await mkdir(work, { recursive: true });
  const w = (n: string) => path.join(work, n);
  const files: HostileFile[] = [];
  const add = async (param: string, category: Category, note: string, bytes: Buffer | undefined, kind?: MediaKind, filename = param) => {
    if (bytes) await writeFile(path.join(inputDir, param), bytes);
    files.push({ param, category, note, ...(bytes && kind ? { upload: { kind, filename, bytes } } : {}) });
  };

  // Good sources, cut and patched below.
  const jpeg = await sharp({
    create: { width: 640, height: 480, channels: 3, background: '#336699', noise: { type: 'gaussian', mean: 120, sigma: 40 } },
  })
    .jpeg({ quality: 85 })
    .toBuffer();
  const png = await sharp({
    create: { width: 320, height: 240, channels: 3, background: '#993366', noise: { type: 'gaussian', mean: 100, sigma: 30 } },
  })
    .png()
    .toBuffer();
  const webp = await sharp(png).webp().toBuffer();
  const tiff = await sharp(png).tiff().toBuffer();
  const gif = await sharp(png).gif().toBuffer();
  const tone = ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2:sample_rate=44100'];
  const picture = ['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=12:duration=2'];
  ffmpeg(...tone, '-c:a', 'pcm_s16le', w('tone.wav'));
  ffmpeg(...tone, '-c:a', 'libmp3lame', '-q:a', '5', w('tone.mp3'));
  ffmpeg(...tone, '-c:a', 'flac', w('tone.flac'));
  ffmpeg(...tone, '-c:a', 'libopus', w('tone.ogg'));
  ffmpeg(...tone, '-c:a', 'aac', w('tone.m4a'));
  ffmpeg(...picture, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', w('clip-faststart.mp4'));
  ffmpeg(...picture, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', w('clip.mp4'));
  ffmpeg(...picture, '-c:v', 'libvpx-vp9', '-deadline', 'realtime', w('clip.webm'));
  ffmpeg(...picture, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', w('clip.mkv'));
  const [wav, mp3, flac, ogg, m4a, mp4fast, mp4, webm, mkv] = (await Promise.all(
    ['tone.wav', 'tone.mp3', 'tone.flac', 'tone.ogg', 'tone.m4a', 'clip-faststart.mp4', 'clip.mp4', 'clip.webm', 'clip.mkv'].map((n) =>
      readFile(w(n)),
    ),
  )) as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
  const cut = (b: Buffer, f: number) => b.subarray(0, Math.max(1, Math.floor(b.length * f)));

  // Empty files under every kind's names.
  for (const [n, k] of [
    ['empty.jpg', 'image'],
    ['empty.png', 'image'],
    ['empty.mp4', 'video'],
    ['empty.webm', 'video'],
    ['empty.wav', 'audio'],
    ['empty.mp3', 'audio'],
  ] as const) {
    await add(n, 'empty', '0 bytes', Buffer.alloc(0), k);
  }

  // Truncated: the first part of real files.
  for (const f of [0.002, 0.1, 0.5, 0.9]) {
    await add(`cut-${f}.jpg`, 'truncated', `JPEG cut at ${f * 100}%`, cut(jpeg, f), 'image');
    await add(`cut-${f}.png`, 'truncated', `PNG cut at ${f * 100}%`, cut(png, f), 'image');
    await add(`cut-${f}.mp4`, 'truncated', `MP4 (moov last) cut at ${f * 100}%`, cut(mp4, f), 'video');
    await add(`cut-fast-${f}.mp4`, 'truncated', `MP4 (moov first) cut at ${f * 100}%`, cut(mp4fast, f), 'video');
    await add(`cut-${f}.wav`, 'truncated', `WAV cut at ${f * 100}%`, cut(wav, f), 'audio');
  }
  for (const f of [0.1, 0.5]) {
    await add(`cut-${f}.webp`, 'truncated', `WebP cut at ${f * 100}%`, cut(webp, f), 'image');
    await add(`cut-${f}.tif`, 'truncated', `TIFF cut at ${f * 100}%`, cut(tiff, f), 'image');
    await add(`cut-${f}.webm`, 'truncated', `WebM cut at ${f * 100}%`, cut(webm, f), 'video');
    await add(`cut-${f}.mkv`, 'truncated', `Matroska cut at ${f * 100}%`, cut(mkv, f), 'video');
    await add(`cut-${f}.mp3`, 'truncated', `MP3 cut at ${f * 100}%`, cut(mp3, f), 'audio');
    await add(`cut-${f}.flac`, 'truncated', `FLAC cut at ${f * 100}%`, cut(flac, f), 'audio');
    await add(`cut-${f}.ogg`, 'truncated', `Ogg Opus cut at ${f * 100}%`, cut(ogg, f), 'audio');
    await add(`cut-${f}.m4a`, 'truncated', `M4A cut at ${f * 100}%`, cut(m4a, f), 'audio');
  }

  // Corrupt: right header, garbage after it.
  const garbage = (b: Buffer, from: number, seed: number) => {
    const out = Buffer.from(b);
    let x = seed;
    for (let i = from; i < out.length; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    return out;
  };
  await add('garbage.jpg', 'corrupt', 'JPEG header, random bytes after 200', garbage(jpeg, 200, 1), 'image');
  await add('garbage.png', 'corrupt', 'PNG IHDR, random bytes after it', garbage(png, 33, 2), 'image');
  await add('garbage.webp', 'corrupt', 'WebP header, random bytes after 30', garbage(webp, 30, 3), 'image');
  await add('garbage.mp4', 'corrupt', 'MP4 ftyp, random bytes after 40', garbage(mp4fast, 40, 4), 'video');
  await add('garbage.webm', 'corrupt', 'WebM EBML header, random bytes after 60', garbage(webm, 60, 5), 'video');
  await add('garbage.wav', 'corrupt', 'WAV header, random sample data', garbage(wav, 44, 6), 'audio');
  await add('garbage.flac', 'corrupt', 'FLAC header, random frames', garbage(flac, 42, 7), 'audio');
  const badCrc = Buffer.from(png);
  badCrc[29] = (badCrc[29]! ^ 0xff) & 0xff; // IHDR CRC
  await add('bad-crc.png', 'corrupt', 'PNG with a wrong IHDR CRC', badCrc, 'image');

  // Decompression bombs: a few hundred KB that claim (or really hold) gigapixels.
  await add('bomb-30k.png', 'decompression bomb', 'valid 30000x30000 1-bit PNG (900 MP, 2.7 GB as RGB)', bombPng(30_000, 30_000), 'image');
  await add('bomb-8001.png', 'decompression bomb', 'valid 8001x8001 PNG, just over 64 MP', bombPng(8001, 8001), 'image');
  await add('bomb-wide.png', 'decompression bomb', 'valid 1000000x64 PNG', bombPng(1_000_000, 64), 'image');
  await add('liar-100k.png', 'decompression bomb', 'IHDR says 100000x100000, 64 bytes of data', liarPng(100_000, 100_000), 'image');
  await add('liar-max.png', 'decompression bomb', 'IHDR says 2147483647x2147483647', liarPng(2 ** 31 - 1, 2 ** 31 - 1), 'image');
  await add('liar-zero.png', 'decompression bomb', 'IHDR says 0x0', liarPng(0, 0), 'image');
  await add('liar.webp', 'decompression bomb', 'WebP whose VP8 frame header says 16383x16383', patchWebpSize(webp, 16383, 16383), 'image');
  await add('bomb-jpeg.jpg', 'decompression bomb', 'JPEG whose SOF says 65500x65500', patchJpegSize(jpeg, 65500, 65500), 'image');
  const gifBomb = Buffer.from(gif);
  gifBomb.writeUInt16LE(65535, 6);
  gifBomb.writeUInt16LE(65535, 8);
  await add('bomb.gif', 'decompression bomb', 'GIF screen descriptor says 65535x65535', gifBomb, 'video');
  ffmpeg(
    '-f',
    'lavfi',
    '-i',
    'color=black:size=8192x8192:rate=1',
    '-frames:v',
    '2',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    w('huge.mp4'),
  );
  await add(
    'huge-8192.mp4',
    'decompression bomb',
    'real 8192x8192 H.264, 2 frames (200 MB a frame decoded)',
    await readFile(w('huge.mp4')),
    'video',
  );
  ffmpeg('-f', 'lavfi', '-i', 'color=black:size=64x64:rate=1000', '-t', '101', '-c:v', 'libx264', '-preset', 'ultrafast', w('many.mp4'));
  await add(
    'frames-101k.mp4',
    'decompression bomb',
    'real 64x64 clip of 101,000 frames (1000 fps x 101 s)',
    await readFile(w('many.mp4')),
    'video',
  );

  // Wrong type: bytes of one kind under the name (and upload kind) of another.
  const text = Buffer.from('hello, this is text and not a picture\n'.repeat(20));
  const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510)]);
  const zip = zipOf('a.txt', 'zip content');
  const json = Buffer.from(JSON.stringify({ format: 'kinegraph.workflow', version: 1, nodes: {} }));
  for (const [n, b, k, what] of [
    ['wav-as.jpg', wav, 'image', 'a WAV named .jpg'],
    ['mp4-as.png', mp4fast, 'image', 'an MP4 named .png'],
    ['text-as.jpg', text, 'image', 'plain text named .jpg'],
    ['html-as.png', html, 'image', 'an HTML page named .png'],
    ['pdf-as.png', pdf, 'image', 'a PDF named .png'],
    ['exe-as.jpg', exe, 'image', 'a Windows executable named .jpg'],
    ['zip-as.webp', zip, 'image', 'a ZIP named .webp'],
    ['json-as.png', json, 'image', 'a workflow JSON named .png'],
    ['jpeg-as.mp4', jpeg, 'video', 'a JPEG named .mp4'],
    ['wav-as.mp4', wav, 'video', 'a WAV (no picture) named .mp4'],
    ['text-as.webm', text, 'video', 'text named .webm'],
    ['zip-as.mov', zip, 'video', 'a ZIP named .mov'],
    ['png-as.wav', png, 'audio', 'a PNG named .wav'],
    ['mp4-noaudio-as.mp3', mp4fast, 'audio', 'an MP4 without sound named .mp3'],
    ['text-as.flac', text, 'audio', 'text named .flac'],
    ['exe-as.ogg', exe, 'audio', 'an executable named .ogg'],
  ] as const)
    await add(n, 'wrong type', what, b, k);

  // SVG with entities: never handed to an SVG renderer (LoadImage does not read SVG).
  const laughs = ['<?xml version="1.0"?>', '<!DOCTYPE svg [', '<!ENTITY lol "lol">'];
  for (let i = 1; i <= 9; i++) laughs.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
  laughs.push(']>', '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><text>&lol9;</text></svg>');
  const secret = path.join(outsideDir, 'secret.txt');
  const xxe = `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file://${secret}">]><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><text>&xxe;</text></svg>`;
  const href = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100"><image xlink:href="file://${path.join(outsideDir, 'outside.png')}" width="100" height="100"/></svg>`;
  const plain = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="red"/></svg>';
  for (const [n, s, what] of [
    ['laughs.svg', laughs.join('\n'), 'billion laughs (10^9 entity expansions)'],
    ['laughs-as.png', laughs.join('\n'), 'billion laughs named .png'],
    ['xxe.svg', xxe, 'external entity reading a file outside the folder'],
    ['xxe-as.jpg', xxe, 'external entity, named .jpg'],
    ['href.svg', href, 'an <image> linking a file outside the folder'],
    ['plain.svg', plain, 'a plain SVG (not an accepted image type)'],
  ] as const)
    await add(n, 'svg entities', what, Buffer.from(s), 'image');

  // Polyglots: text ffmpeg would follow to other files, under media names; archives behind images.
  const playlist = (entry: string) => `#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1.0,\n${entry}\n#EXT-X-ENDLIST\n`;
  const id3 = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0]);
  const outsideWav = path.join(outsideDir, 'outside.wav');
  for (const [n, b, k, what] of [
    ['hls.mp3', Buffer.from(playlist(outsideWav)), 'audio', 'an HLS playlist (to a file outside) named .mp3'],
    ['hls-url.wav', Buffer.from(playlist(`file://${outsideWav}`)), 'audio', 'an HLS playlist with a file:// URL named .wav'],
    ['hls.mp4', Buffer.from(playlist(outsideWav)), 'video', 'an HLS playlist named .mp4'],
    ['hls.m3u8', Buffer.from(playlist(outsideWav)), 'video', 'an HLS playlist under its own name'],
    ['id3-hls.mp3', Buffer.concat([id3, Buffer.from(playlist(outsideWav))]), 'audio', 'an ID3 tag, then an HLS playlist'],
    ['concat.mp4', Buffer.from(`ffconcat version 1.0\nfile '${outsideWav}'\n`), 'video', 'an ffmpeg concat script named .mp4'],
    ['concat.mp3', Buffer.from(`file '${outsideWav}'\n`), 'audio', 'a bare concat list named .mp3'],
    ['hls-as.png', Buffer.from(playlist(outsideWav)), 'image', 'an HLS playlist named .png'],
    [
      'png-hls.png',
      Buffer.concat([png, Buffer.from(playlist(outsideWav))]),
      'image',
      'a real PNG with a playlist appended (loads as the PNG)',
    ],
    ['jpeg-zip.jpg', Buffer.concat([jpeg, zip]), 'image', 'a real JPEG with a ZIP appended (loads as the JPEG)'],
    [
      'gif-js.gif',
      Buffer.concat([Buffer.from('GIF89a/*'), Buffer.alloc(8), Buffer.from('*/=alert(1);')]),
      'image',
      'a GIF header that is also JavaScript',
    ],
    [
      'wav-html.wav',
      Buffer.concat([wav.subarray(0, 44), Buffer.from('<html><script>alert(1)</script></html>')]),
      'audio',
      'a WAV header over an HTML page',
    ],
  ] as const)
    await add(n, 'polyglot', what, b, k);

  // Absurd numbers in headers.
  await add('wav-0ch.wav', 'absurd header', 'WAV fmt says 0 channels', patchWav(wav, { channels: 0 }), 'audio');
  await add('wav-65535ch.wav', 'absurd header', 'WAV fmt says 65535 channels', patchWav(wav, { channels: 65535 }), 'audio');
  await add('wav-0hz.wav', 'absurd header', 'WAV fmt says 0 Hz', patchWav(wav, { rate: 0 }), 'audio');
  await add('wav-4ghz.wav', 'absurd header', 'WAV fmt says 4,294,967,295 Hz', patchWav(wav, { rate: 0xffffffff }), 'audio');
  await add('wav-0bits.wav', 'absurd header', 'WAV fmt says 0 bits a sample', patchWav(wav, { bits: 0 }), 'audio');
  await add('wav-badformat.wav', 'absurd header', 'WAV format tag 0x9999 (no such codec)', patchWav(wav, { format: 0x9999 }), 'audio');
  await add('wav-4gb.wav', 'absurd header', 'WAV data chunk says 4 GB, holds 2 s', patchWav(wav, { dataSize: 0xffffffff }), 'audio');
  await add('mp4-dur.mp4', 'absurd header', 'MP4 whose mvhd/mdhd durations say 2^32-1', patchAtomDurations(mp4fast), 'video');
  await add('mp4-dims.mp4', 'absurd header', 'MP4 whose tkhd says 65535x65535', patchTkhdSize(mp4fast, 65535, 65535), 'video');
  await add(
    'y4m-huge.y4m',
    'absurd header',
    'Y4M header says 65535x65535, one short frame',
    Buffer.from('YUV4MPEG2 W65535 H65535 F25:1 Ip A1:1 C420jpeg\nFRAME\n' + '\0'.repeat(100)),
    'video',
  );
  await add(
    'png-huge-chunk.png',
    'absurd header',
    'PNG chunk length 0x7fffffff',
    Buffer.concat([PNG_SIGNATURE, Buffer.from([0x7f, 0xff, 0xff, 0xff]), Buffer.from('IHDR'), Buffer.alloc(13)]),
    'image',
  );

  // Broken audio: headers without sound, frames without headers.
  await add('wav-header-only.wav', 'broken audio', 'a WAV header and no samples', wav.subarray(0, 44), 'audio');
  await add(
    'wav-no-fmt.wav',
    'broken audio',
    'RIFF/WAVE with the fmt chunk removed',
    Buffer.concat([wav.subarray(0, 12), wav.subarray(36)]),
    'audio',
  );
  await add(
    'wav-odd-bytes.wav',
    'broken audio',
    'WAV data of 3 bytes (half a stereo sample)',
    Buffer.concat([patchWav(wav.subarray(0, 44), { dataSize: 3 }), Buffer.from([1, 2, 3])]),
    'audio',
  );
  await add('mp3-junk-frames.mp3', 'broken audio', 'MP3 frame sync words around random bytes', mp3Junk(), 'audio');
  await add('flac-header-only.flac', 'broken audio', 'FLAC STREAMINFO and no frames', flac.subarray(0, 42), 'audio');
  await add('ogg-page-only.ogg', 'broken audio', 'the first Ogg page only', ogg.subarray(0, 80), 'audio');
  await add('m4a-no-mdat.m4a', 'broken audio', 'M4A with its sample data zeroed', zeroMdat(m4a), 'audio');
  await add(
    'aiff.aiff',
    'broken audio',
    'an AIFF header (not an accepted type)',
    Buffer.concat([Buffer.from('FORM'), Buffer.alloc(4), Buffer.from('AIFFCOMM'), Buffer.alloc(22)]),
    'audio',
  );

  // Symlinks out of the folder (and one inside, which is fine).
  await writeFile(secret, 'KINEGRAPH-SECRET do not read\n');
  await writeFile(path.join(outsideDir, 'outside.png'), png);
  await writeFile(outsideWav, wav);
  await writeFile(path.join(inputDir, 'inside.png'), png);
  for (const [n, target, what] of [
    ['link-secret.png', secret, 'a link to a text file outside the folder'],
    ['link-outside.png', path.join(outsideDir, 'outside.png'), 'a link to a real picture outside the folder'],
    ['link-outside.wav', outsideWav, 'a link to a real sound outside the folder'],
    ['link-passwd.jpg', '/etc/passwd', 'a link to /etc/passwd'],
    ['link-dir.png', outsideDir, 'a link to a folder outside'],
    ['link-dangling.png', path.join(outsideDir, 'gone.png'), 'a link to nothing'],
    ['link-relative.png', path.relative(inputDir, path.join(outsideDir, 'outside.png')), 'a relative link climbing out'],
    ['link-inside.png', 'inside.png', 'a link to a file inside the folder (allowed)'],
  ] as const) {
    await symlink(target, path.join(inputDir, n));
    files.push({ param: n, category: 'symlink', note: what });
  }
  await symlink('link-outside.png', path.join(inputDir, 'link-chain.png'));
  files.push({ param: 'link-chain.png', category: 'symlink', note: 'a link to a link that leads outside' });

  // Odd names: as a loader parameter, and as an upload's file name (the stored name is always safe).
  for (const [param, what] of [
    ['../outside.png', "a name with '..'"],
    ['sub/../../outside.png', "'..' after a folder"],
    ['..\\outside.png', "'..' with a backslash"],
    [path.join(outsideDir, 'outside.png'), 'an absolute path outside'],
    ['/etc/passwd', 'an absolute system path'],
    ['photo\u0000.png', 'a NUL byte'],
    ['photo\u001b[31m.png', 'a terminal escape'],
    ['photo\n.png', 'a newline'],
    ['a'.repeat(5000) + '.png', 'a 5,000-character name'],
    ['', 'no name'],
    ['   ', 'blanks only'],
    ['missing.png', 'a file that is not there'],
    ['.', 'the folder itself'],
  ] as const)
    files.push({ param, category: 'odd name', note: what });
  await mkdir(path.join(inputDir, 'a-folder.png'));
  files.push({ param: 'a-folder.png', category: 'odd name', note: 'a folder named like a picture' });
  for (const [param, filename, what] of [
    ['фото-🎞.png', 'фото-🎞.png', 'Cyrillic and an emoji (a valid picture)'],
    ['CON.png', 'CON.png', 'a Windows device name (a valid picture)'],
    ['.hidden.png', '.hidden.png', 'a dot name (a valid picture)'],
  ] as const)
    await add(param, 'odd name', what, png, 'image', filename);
  for (const [filename, what] of [
    ['../../../etc/evil.png', "upload name with '..'"],
    ['/abs/evil.png', 'upload name that is an absolute path'],
    ['x\u0000y\r\n.png', 'upload name with NUL and CRLF'],
    ['a'.repeat(254) + '.png', 'upload name of 258 characters (over the 255 limit)'],
    ['%2e%2e%2fevil.png', 'upload name percent-encoded twice'],
  ] as const)
    files.push({ param: 'inside.png', category: 'odd name', note: what, upload: { kind: 'image', filename, bytes: png } });
  return files;
}

/** Replaces the size in a JPEG's first SOFn marker. */
function patchJpegSize(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let i = 2; i < out.length - 9;) {
    if (out[i] !== 0xff) break;
    const marker = out[i + 1]!;
    const len = out.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc3) {
      out.writeUInt16BE(height, i + 5);
      out.writeUInt16BE(width, i + 7);
      return out;
    }
    i += 2 + len;
  }
  throw new Error('no SOF marker');
}

/** Replaces the size in a lossy WebP's VP8 frame header (after its start code 9d 01 2a). */
function patchWebpSize(webp: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(webp);
  const at = out.indexOf(Buffer.from([0x9d, 0x01, 0x2a]));
  if (at < 0) throw new Error('not a lossy WebP');
  out.writeUInt16LE(width & 0x3fff, at + 3);
  out.writeUInt16LE(height & 0x3fff, at + 5);
  return out;
}

/** Patches the fields of a canonical 44-byte WAV header. */
function patchWav(wav: Buffer, p: { channels?: number; rate?: number; bits?: number; format?: number; dataSize?: number }): Buffer {
  const out = Buffer.from(wav);
  if (p.format !== undefined) out.writeUInt16LE(p.format, 20);
  if (p.channels !== undefined) out.writeUInt16LE(p.channels, 22);
  if (p.rate !== undefined) out.writeUInt32LE(p.rate, 24);
  if (p.bits !== undefined) out.writeUInt16LE(p.bits, 34);
  if (p.dataSize !== undefined) out.writeUInt32LE(p.dataSize, 40);
  return out;
}

/** Finds `type` boxes anywhere in an MP4 (a plain scan; good enough for ffmpeg's own output). */
function boxes(mp4: Buffer, type: string): number[] {
  const at: number[] = [];
  for (let i = 4; (i = mp4.indexOf(type, i, 'latin1')) >= 0; i += 4) at.push(i - 4);
  return at;
}

function patchAtomDurations(mp4: Buffer): Buffer {
  const out = Buffer.from(mp4);
  // version 0 mvhd/mdhd: size, type, version+flags, created, modified, timescale, duration.
  for (const t of ['mvhd', 'mdhd']) for (const at of boxes(out, t)) if (out[at + 8] === 0) out.writeUInt32BE(0xffffffff, at + 24);
  return out;
}

function patchTkhdSize(mp4: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(mp4);
  // version 0 tkhd: width and height (16.16 fixed point) are its last 8 bytes.
  for (const at of boxes(out, 'tkhd')) {
    const size = out.readUInt32BE(at);
    out.writeUInt32BE(width * 65536, at + size - 8);
    out.writeUInt32BE(height * 65536, at + size - 4);
  }
  return out;
}

function zeroMdat(mp4: Buffer): Buffer {
  const out = Buffer.from(mp4);
  for (const at of boxes(out, 'mdat')) out.fill(0, at + 8, Math.min(out.length, at + out.readUInt32BE(at)));
  return out;
}

function mp3Junk(): Buffer {
  const parts: Buffer[] = [];
  let x = 99;
  for (let f = 0; f < 60; f++) {
    const frame = Buffer.alloc(417);
    for (let i = 4; i < frame.length; i++) frame[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    frame.set([0xff, 0xfb, 0x90, 0x64]); // MPEG-1 layer III, 128 kbit/s, 44.1 kHz
    parts.push(frame);
  }
  return Buffer.concat(parts);
}

/** A one-file ZIP (stored, no compression): enough for a sniffer to say "zip". */
function zipOf(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(n.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + n.length, 12);
  end.writeUInt32LE(30 + n.length + data.length, 16);
  return Buffer.concat([local, n, data, central, n, end]);
}
