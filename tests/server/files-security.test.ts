import { request } from 'node:http';
import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../apps/runtime/src/server/start.js';
import { api, removeDir, startTestServer, tempDir, testJpeg, waitForRun, workflow, WsProbe } from './harness.js';

let dir: string;
let server: Awaited<ReturnType<typeof startTestServer>>;
let base: string;

beforeAll(async () => {
  dir = await tempDir();
  server = await startTestServer(dir, { maxUploadMb: 1, maxImageMegapixels: 1 });
  base = server.url;
  await writeFile(path.join(dir, 'secret.txt'), 'outside the folders');
});
afterAll(async () => {
  await server?.close();
  await removeDir(dir);
});

/** A raw HTTP GET: fetch() would normalise `..` away before sending. */
function rawGet(pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: pathname, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('uploads', () => {
  it('takes the type from the bytes, not the name, and stores under a safe unique name', async () => {
    const jpeg = await testJpeg(64, 48);
    const r = await api(base, '/api/uploads?kind=image&filename=../../evil name.png', { method: 'POST', body: jpeg });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'image', mime: 'image/jpeg', size: jpeg.length, width: 64, height: 48 });
    expect(r.body.name).toMatch(/^evil-name-[0-9a-f]{12}\.jpg$/);
    const back = await fetch(base + r.body.url);
    expect(Buffer.from(await back.arrayBuffer()).equals(jpeg)).toBe(true);
    // Same bytes, same stored file.
    const again = await api(base, '/api/uploads?kind=image&filename=evil name.jpg', { method: 'POST', body: jpeg });
    expect(again.body.name).toBe(r.body.name);
  });

  it('refuses bytes that are not what the kind says', async () => {
    const text = await api(base, '/api/uploads?kind=image&filename=photo.jpg', { method: 'POST', body: '<script>alert(1)</script>' });
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('unsupported_type');
    const asAudio = await api(base, '/api/uploads?kind=audio&filename=a.wav', { method: 'POST', body: await testJpeg(32, 32) });
    expect(asAudio.status).toBe(415);
    const badKind = await api(base, '/api/uploads?kind=exe', { method: 'POST', body: 'x' });
    expect(badKind.status).toBe(400);
    const empty = await api(base, '/api/uploads?kind=image', { method: 'POST', body: '' });
    expect(empty.status).toBe(400);
  });

  it('says how to send a file when it arrives as multipart/form-data', async () => {
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(await testJpeg(32, 32))], { type: 'image/jpeg' }), 'photo.jpg');
    const res = await fetch(`${base}/api/uploads?kind=image&filename=photo.jpg`, { method: 'POST', body: form });
    expect(res.status).toBe(415);
    expect((await res.json()).error.message).toMatch(/request body.*not as multipart\/form-data/);
  });

  it('reports an EXIF-rotated photo with its size as shown (portrait), as LoadImage sees it', async () => {
    const rotated = await sharp(await testJpeg(320, 200))
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const r = await api(base, '/api/uploads?kind=image&filename=phone.jpg', { method: 'POST', body: rotated });
    expect(r.status).toBe(201);
    expect([r.body.width, r.body.height]).toEqual([200, 320]);
  });

  it('refuses a truncated image when it is dropped, not when a run reaches LoadImage', async () => {
    const jpeg = await testJpeg(320, 200);
    const cut = await api(base, '/api/uploads?kind=image&filename=cut.jpg', {
      method: 'POST',
      body: jpeg.subarray(0, Math.floor(jpeg.length / 2)),
    });
    expect(cut.status).toBe(400);
    expect(cut.body.error).toMatchObject({ code: 'unsupported_type', message: expect.stringMatching(/^The image is truncated/) });
  });

  it('enforces the size limit and the pixel limit', async () => {
    const big = await api(base, '/api/uploads?kind=image', { method: 'POST', body: Buffer.alloc(1024 * 1024 + 10, 1) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    const huge = await api(base, '/api/uploads?kind=image', { method: 'POST', body: await testJpeg(1200, 1000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('image_too_large');
  });

  it('accepts a workflow JSON and rejects JSON that is not a workflow', async () => {
    const wf = workflow({ i: { type: 'Int', params: { value: 3 } } });
    const ok = await api(base, '/api/uploads?kind=workflow&filename=mine.json', { method: 'POST', json: wf });
    expect(ok.status).toBe(201);
    expect(ok.body.name).toMatch(/^mine-[0-9a-f]{12}\.json$/);
    const bad = await api(base, '/api/uploads?kind=workflow', { method: 'POST', json: { hello: 1 } });
    expect(bad.status).toBe(400);
  });

  it('reads the workflow embedded in a PNG written by SaveImage, or a JSON file', async () => {
    const up = await api(base, '/api/uploads?kind=image', { method: 'POST', body: await testJpeg(40, 30) });
    const wf = workflow({
      load: { type: 'LoadImage', params: { image: up.body.name } },
      save: { type: 'SaveImage', params: { filename_prefix: 'embedded' }, inputs: { image: ['load', 'image'] } },
    });
    const sub = await api(base, '/api/runs', { method: 'POST', json: { workflow: wf } });
    const rec = await waitForRun(base, sub.body.runs[0].runId);
    const png = Buffer.from(await (await fetch(base + rec.outputs[0].url)).arrayBuffer());
    const r = await api(base, '/api/workflow-from-file', { method: 'POST', body: png });
    expect(r.status).toBe(200);
    expect(r.body.workflow.nodes.load.params.image).toBe(up.body.name);
    expect(r.body.workflow.nodes.save.inputs.image).toEqual(['load', 'image']);
    const j = await api(base, '/api/workflow-from-file', { method: 'POST', json: wf });
    expect(j.body.workflow.nodes.load.type).toBe('LoadImage');
    const none = await api(base, '/api/workflow-from-file', { method: 'POST', body: await testJpeg(8, 8) });
    expect(none.status).toBe(422);
  });
});

describe('file routes stay inside their folders', () => {
  it('rejects traversal: plain, encoded, double-encoded, absolute, backslash, symlink', async () => {
    await symlink(path.join(dir, 'secret.txt'), path.join(dir, 'input', 'link.txt'));
    const attempts = [
      '/files/input/../secret.txt',
      '/files/input/..%2Fsecret.txt',
      '/files/input/%2e%2e%2fsecret.txt',
      '/files/input/%252e%252e%252fsecret.txt',
      '/files/input/..%5Csecret.txt',
      '/files/input/%2Fetc%2Fpasswd',
      '/files/input/link.txt',
      '/files/input/.hidden',
      '/files/secrets/x.txt',
      '/files/input/..',
    ];
    for (const a of attempts) {
      const r = await rawGet(a);
      expect([400, 404], a).toContain(r.status);
      expect(r.body, a).not.toContain('outside the folders');
    }
  });
});

describe('request guard', () => {
  it('refuses a cross-site POST (CSRF) and a foreign Host (DNS rebinding), allows same-origin', async () => {
    const wf = workflow({ s: { type: 'TestSteps', params: { steps: 1 } } });
    const csrf = await api(base, '/api/runs', { method: 'POST', json: { workflow: wf }, headers: { origin: 'https://evil.example' } });
    expect(csrf.status).toBe(403);
    expect(csrf.body.error.code).toBe('forbidden_origin');
    const same = await api(base, '/api/queue/pause', { method: 'POST', headers: { origin: base } });
    expect(same.status).toBe(200);
    await api(base, '/api/queue/resume', { method: 'POST' });
    const rebinding = await rawGet('/api/queue', { host: 'evil.example:8188' });
    expect(rebinding.status).toBe(421);
  });

  it('refuses a WebSocket from another site and accepts one from the editor origin', async () => {
    await expect(WsProbe.open(base, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    const ok = await WsProbe.open(base, { origin: base });
    await ok.until((p) => p.messages[0]?.type === 'snapshot');
    ok.close();
  });

  it('will not listen beyond loopback without a token, and checks the token when one is set', async () => {
    const d = await tempDir();
    try {
      await expect(startServer({ host: '0.0.0.0', port: 0, dataDir: d, modelsDir: d, editorDir: false, log: () => {} })).rejects.toThrow(
        /token/,
      );
      const s = await startServer({
        host: '127.0.0.1',
        port: 0,
        dataDir: d,
        modelsDir: d,
        editorDir: false,
        token: 'sesame',
        log: () => {},
      });
      try {
        expect((await api(s.url, '/api/queue')).status).toBe(401);
        expect((await api(s.url, '/api/queue', { headers: { authorization: 'Bearer sesame' } })).status).toBe(200);
        // Never from the URL (history, logs, shared links): trust.test.ts has the signed URLs that replace it.
        expect((await api(s.url, '/api/queue?token=sesame')).status).toBe(401);
        await expect(WsProbe.open(s.url)).rejects.toThrow(/401/);
        const ws = await WsProbe.open(s.url, { authorization: 'Bearer sesame' });
        ws.close();
      } finally {
        await s.close();
      }
    } finally {
      await removeDir(d);
    }
  });
});
