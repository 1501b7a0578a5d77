import { execFileSync } from 'node:child_process';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '@kinegraph/nodes';
import { DEFAULT_MAX_CONCURRENT_UPLOADS } from '../../apps/runtime/src/server/files/upload-gate.js';
import { api, removeDir, startTestServer, tempDir } from './harness.js';

// Uploads stream to a temp file (never buffered whole), are refused as soon as their first bytes show the
// wrong type, stop at the size limit, are limited in number at once, and every sound or video is probed and
// decoded before it is kept. A refused upload leaves nothing in the input folder.

let dir: string;
let server: Awaited<ReturnType<typeof startTestServer>>;
let base: string;
const input = () => path.join(dir, 'input');

beforeAll(async () => {
  dir = await tempDir();
  server = await startTestServer(dir, { maxUploadMb: 1 });
  base = server.url;
});
afterAll(async () => {
  await server?.close();
  await removeDir(dir);
});

/** A PCM WAV file: RIFF header, fmt chunk, data chunk (a 440 Hz tone). */
function wav(seconds = 0.5, rate = 8000, channels = 1): Buffer {
  const n = Math.round(seconds * rate) * channels;
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) data.writeInt16LE(Math.round(8000 * Math.sin((i / channels / rate) * 2 * Math.PI * 440)), i * 2);
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(1, 0); // PCM
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(rate, 4);
  fmt.writeUInt32LE(rate * channels * 2, 8);
  fmt.writeUInt16LE(channels * 2, 12);
  fmt.writeUInt16LE(16, 14);
  const chunk = (id: string, body: Buffer) => {
    const h = Buffer.alloc(8);
    h.write(id, 0, 'latin1');
    h.writeUInt32LE(body.length, 4);
    return Buffer.concat([h, body]);
  };
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), chunk('fmt ', fmt), chunk('data', data)]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

/** Offsets in wav()'s layout. */
const AT = { format: 20, channels: 22, rate: 24, bits: 34, dataSize: 40, data: 44 };
function patched(offset: number, write: (b: Buffer) => void): Buffer {
  const b = Buffer.from(wav());
  write(b.subarray(offset));
  return b;
}

/** Polls a condition the server reaches on its own (never a timed assertion: only how often it looks). */
async function until(done: () => Promise<boolean>): Promise<void> {
  while (!(await done())) await new Promise((r) => setTimeout(r, 10));
}

async function leftovers(): Promise<string[]> {
  return (await readdir(input())).filter((n) => n.startsWith('.upload-'));
}

const upload = (kind: string, name: string, body: Buffer | string) =>
  api(base, `/api/uploads?kind=${kind}&filename=${encodeURIComponent(name)}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });

/** An upload whose body is sent in parts, by hand: the test decides when (and whether) it ends. */
function openUpload(
  query: string,
  headers: Record<string, string> = {},
): { req: ClientRequest; response: Promise<{ status: number; body: any }> } {
  const u = new URL(base);
  const req = request({
    host: u.hostname,
    port: u.port,
    method: 'POST',
    path: `/api/uploads?${query}`,
    agent: false,
    headers: headers['content-length'] ? headers : { 'transfer-encoding': 'chunked', ...headers },
  });
  const response = new Promise<{ status: number; body: any }>((resolve, reject) => {
    req.on('response', (res: IncomingMessage) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text || '{}') }));
    });
    req.on('error', reject);
  });
  return { req, response };
}

describe('sound uploads are probed and decoded before they are kept', () => {
  it('accepts a whole WAV', async () => {
    const r = await upload('audio', 'tone.wav', wav());
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'audio', mime: 'audio/wav' });
    expect(r.body.name).toMatch(/^tone-[0-9a-f]{12}\.wav$/);
    expect(await readFile(path.join(input(), r.body.name))).toEqual(wav());
  });

  const broken: Array<[string, () => Buffer, RegExp]> = [
    ['a truncated header', () => wav().subarray(0, 30), /not a readable audio file|truncated or damaged/],
    ['a data size larger than the file', () => patched(AT.dataSize, (b) => b.writeUInt32LE(80_000, 0)), /truncated or damaged/],
    ['the largest data size there is', () => patched(AT.dataSize, (b) => b.writeUInt32LE(0xffffffff, 0)), /truncated or damaged/],
    ['a file cut in half', () => wav().subarray(0, 4000), /truncated or damaged/],
    ['zero channels', () => patched(AT.channels, (b) => b.writeUInt16LE(0, 0)), /no audio channels|not a readable audio file/],
    [
      '65535 channels',
      () => patched(AT.channels, (b) => b.writeUInt16LE(65535, 0)),
      /no audio channels|not a readable audio file|not decodable/,
    ],
    [
      'garbage after RIFF',
      () => Buffer.concat([wav().subarray(0, 12), Buffer.alloc(4000, 0x5a)]),
      /not a readable audio file|Not an accepted audio file/,
    ],
    ['a sample rate of zero', () => patched(AT.rate, (b) => b.writeUInt32LE(0, 0)), /not a readable audio file|no sample rate/],
    ['an unknown sample format', () => patched(AT.format, (b) => b.writeUInt16LE(0x1234, 0)), /codec that can not be decoded/],
    ['zero bits per sample', () => patched(AT.bits, (b) => b.writeUInt16LE(0, 0)), /codec that can not be decoded|not decodable/],
    ['a header and no data chunk', () => wav().subarray(0, 36), /not a readable audio file|truncated or damaged/],
  ];
  it.each(broken)('refuses a WAV with %s, with a specific reason, and keeps nothing', async (_what, make, why) => {
    const before = (await readdir(input())).sort();
    const r = await upload('audio', 'broken.wav', make());
    expect(r.status, JSON.stringify(r.body)).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.body.error.code).toBe('unsupported_type');
    expect(r.body.error.message).toMatch(why);
    expect(r.body.error.message).not.toContain(dir);
    expect((await readdir(input())).sort()).toEqual(before);
  });

  it('probes a video upload: a real clip is kept with its size, junk under a video name is not', async () => {
    const clip = execFileSync(ffmpegPath(), [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=96x64:rate=10',
      '-t',
      '1',
      '-pix_fmt',
      'yuv420p',
      '-movflags',
      '+frag_keyframe+empty_moov',
      '-f',
      'mp4',
      'pipe:1',
    ]);
    const ok = await upload('video', 'clip.mp4', clip);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ kind: 'video', mime: 'video/mp4', width: 96, height: 64 });
    const text = await upload('video', 'clip.mp4', 'not a video at all\n'.repeat(400));
    expect(text.status).toBe(415);
    // The right magic bytes, then nothing a decoder can use.
    const fake = Buffer.concat([clip.subarray(0, 64), Buffer.alloc(8000, 0)]);
    const broken = await upload('video', 'fake.mp4', fake);
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toMatch(/fake\.mp4/);
  });
});

describe('uploads are streamed, bounded and cleaned up', () => {
  it('answers a wrong type from the first bytes, before the rest of the body is sent', async () => {
    const { req, response } = openUpload('kind=image&filename=big.jpg');
    req.write(Buffer.alloc(8192, 0x41));
    // The body never ends from our side: only a server that judges the first bytes can answer.
    const r = await response;
    expect(r.status).toBe(415);
    expect(r.body.error.message).toMatch(/Not an accepted image file/);
    req.destroy();
    expect(await leftovers()).toEqual([]);
  });

  it('stops a body without Content-Length at the size limit (413) and keeps nothing', async () => {
    const { req, response } = openUpload('kind=audio&filename=long.wav');
    const whole = wav(70, 8000, 1); // 1.1 MB, over the 1 MB limit
    for (let at = 0; at < whole.length; at += 64 * 1024) req.write(whole.subarray(at, at + 64 * 1024));
    req.end();
    const r = await response;
    expect(r.status).toBe(413);
    expect(r.body.error).toMatchObject({ code: 'payload_too_large', limit: { name: 'maxUploadBytes', max: 1024 * 1024 } });
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    const { req, response } = openUpload('kind=audio&filename=huge.wav', { 'content-length': String(500 * 1024 * 1024) });
    req.write(wav().subarray(0, 1024));
    const r = await response;
    expect(r.status).toBe(413);
    req.destroy();
  });

  it(`refuses more than ${DEFAULT_MAX_CONCURRENT_UPLOADS} uploads at once with 429, and takes uploads again after`, async () => {
    const whole = wav(1);
    const open: ReturnType<typeof openUpload>[] = [];
    for (let i = 0; i < DEFAULT_MAX_CONCURRENT_UPLOADS; i++) {
      const o = openUpload(`kind=audio&filename=slow-${i}.wav`);
      o.req.write(whole.subarray(0, 5000));
      open.push(o);
      // In progress once its temp file exists (the server has judged its first bytes and holds a slot).
      await until(async () => (await leftovers()).length === i + 1);
    }
    const refused = await upload('audio', 'one-more.wav', wav(0.2));
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({
      code: 'too_many_uploads',
      limit: { name: 'maxConcurrentUploads', max: DEFAULT_MAX_CONCURRENT_UPLOADS },
    });
    for (const o of open) o.req.end(whole.subarray(5000));
    const done = await Promise.all(open.map((o) => o.response));
    expect(done.map((d) => d.status)).toEqual(open.map(() => 201));
    expect((await upload('audio', 'after.wav', wav(0.3))).status).toBe(201);
    expect(await leftovers()).toEqual([]);
  });

  it('keeps nothing of an upload whose client goes away halfway', async () => {
    const { req, response } = openUpload('kind=audio&filename=gone.wav');
    response.catch(() => undefined);
    req.write(wav(1).subarray(0, 6000));
    await until(async () => (await leftovers()).length === 1);
    req.destroy();
    // The cleanup runs when the server sees the socket close.
    await until(async () => (await leftovers()).length === 0);
    const left = await leftovers();
    expect(left).toEqual([]);
  });
});
