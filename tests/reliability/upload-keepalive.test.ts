import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestServer, tempDir } from '../server/harness.js';

/**
 * Found by the hostile-files pass: an upload refused from its first bytes left the rest of its body unread on
 * a kept-alive connection, and the next request the client sent on that connection was reset (no answer at all).
 */
describe('an upload refused before its body ended', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    dir = await tempDir('kg-keepalive-');
    server = await startTestServer(dir);
  });
  afterAll(async () => {
    await server.close();
    await removeDir(dir);
  });

  it('leaves the connection usable: every later request gets its answer', async () => {
    // A WAV header over 1 MB: refused as an image from its first 4,100 bytes, while the client still sends.
    const wav = Buffer.alloc(1_000_000, 1);
    wav.write('RIFF', 0);
    wav.writeUInt32LE(wav.length - 8, 4);
    wav.write('WAVEfmt ', 8);
    const text = Buffer.from('plain text, not a picture');
    const statuses: Array<number | string> = [];
    for (const body of [wav, text, wav, wav, text, wav, text]) {
      const status = await fetch(`${server.url}/api/uploads?kind=image&filename=a.jpg`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body,
      })
        .then(async (r) => (await r.arrayBuffer(), r.status))
        .catch((e: Error) => `no answer: ${(e.cause as Error | undefined)?.message ?? e.message}`);
      statuses.push(status);
    }
    expect(statuses).toEqual([415, 415, 415, 415, 415, 415, 415]);
  });
});
