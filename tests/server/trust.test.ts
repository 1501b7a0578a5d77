import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { UrlSigner } from '../../apps/runtime/src/server/security/signed-urls.js';
import { api, removeDir, startTestServer, tempDir, testJpeg, workflow } from './harness.js';

// Only this server's own origin and the configured ones may call the API or open the socket (not any page on
// another port of this machine), and with a token set, the token travels in the Authorization header only:
// what a browser loads by URL alone carries a short-lived signature for its path instead.

const DEV_ORIGIN = 'http://127.0.0.1:5173';

/** Opens a socket; resolves with the handshake's status (101 when open). */
function handshake(url: string, headers: Record<string, string> = {}): Promise<number> {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', (e) => (e.message.includes('Unexpected server response') ? undefined : reject(e)));
  });
}

describe('origins: this server and the configured ones only', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    dir = await tempDir();
    server = await startTestServer(dir, { allowedOrigins: [DEV_ORIGIN] });
  });
  afterAll(async () => {
    await server?.close();
    await removeDir(dir);
  });

  it('refuses pages on other loopback ports and *.localhost names, for POST, GET and the socket', async () => {
    const port = Number(new URL(server.url).port);
    const foreign = ['http://127.0.0.1:9999', `http://evil.localhost:${port}`, `http://localhost:${port + 1}`, 'http://[::1]:9999', 'null'];
    for (const origin of foreign) {
      const post = await api(server.url, '/api/queue/pause', { method: 'POST', headers: { origin } });
      expect(post.status, origin).toBe(403);
      expect(post.body.error.code).toBe('forbidden_origin');
      // Reading answers too: the page must not get the queue, history or files.
      expect((await api(server.url, '/api/queue', { headers: { origin } })).status, origin).toBe(403);
      expect(await handshake(server.url + '/ws', { origin }), origin).toBe(403);
    }
    const paused = await api(server.url, '/api/queue', {});
    expect(paused.body.paused).toBe(false);
  });

  it('accepts its own origin and a configured one (with CORS headers for that one only)', async () => {
    const own = await api(server.url, '/api/queue', { headers: { origin: server.url } });
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBeNull();
    const dev = await api(server.url, '/api/queue', { headers: { origin: DEV_ORIGIN } });
    expect(dev.status).toBe(200);
    expect(dev.headers.get('access-control-allow-origin')).toBe(DEV_ORIGIN);
    expect(await handshake(server.url + '/ws', { origin: server.url })).toBe(101);
    expect(await handshake(server.url + '/ws', { origin: DEV_ORIGIN })).toBe(101);
  });
});

describe('with a token: the header, or a signed URL for files and the socket', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const auth = { authorization: 'Bearer sesame' };
  beforeAll(async () => {
    dir = await tempDir();
    server = await startTestServer(dir, { token: 'sesame' });
  });
  afterAll(async () => {
    await server?.close();
    await removeDir(dir);
  });

  it('takes the token from the Authorization header, never from ?token=', async () => {
    expect((await api(server.url, '/api/queue')).status).toBe(401);
    expect((await api(server.url, '/api/queue', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await api(server.url, '/api/queue', { headers: auth })).status).toBe(200);
    const inUrl = await api(server.url, '/api/queue?token=sesame');
    expect(inUrl.status).toBe(401);
    expect(inUrl.body.error.message).toMatch(/not taken from the URL/);
    expect(await handshake(server.url + '/ws?token=sesame')).toBe(401);
    expect(await handshake(server.url + '/ws', auth)).toBe(101);
  });

  it('hands out signed, short-lived file URLs that open that file only', async () => {
    const jpeg = await testJpeg(40, 30);
    const up = await api(server.url, '/api/uploads?kind=image&filename=p.jpg', { method: 'POST', body: jpeg, headers: auth });
    expect(up.status).toBe(201);
    const url = new URL(up.body.url, server.url);
    expect(url.pathname).toBe(`/files/input/${up.body.name}`);
    expect(url.searchParams.get('exp')).toMatch(/^\d+$/);
    expect(url.searchParams.get('sig')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.has('token')).toBe(false);
    const exp = Number(url.searchParams.get('exp'));
    expect(exp * 1000).toBeGreaterThan(Date.now());
    expect(exp * 1000 - Date.now()).toBeLessThanOrEqual(2 * 60 * 60 * 1000);

    // No header needed: what an <img src> does.
    const got = await fetch(url);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(jpeg)).toBe(true);
    // A range request (a <video> seeking) with the same URL.
    expect((await fetch(url, { headers: { range: 'bytes=0-9' } })).status).toBe(206);

    const plain = await fetch(new URL(url.pathname, server.url));
    expect(plain.status).toBe(401);
    const tampered = new URL(url);
    tampered.searchParams.set(
      'sig',
      url.searchParams.get('sig')!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
    );
    expect((await fetch(tampered)).status).toBe(401);
    const later = new URL(url);
    later.searchParams.set('exp', String(exp + 300));
    expect((await fetch(later)).status).toBe(401);
    // The same signature on another file of the folder.
    await api(server.url, '/api/uploads?kind=image&filename=q.jpg', { method: 'POST', body: await testJpeg(41, 30), headers: auth });
    const other = new URL(url);
    other.pathname = '/files/input/other.jpg';
    expect((await fetch(other)).status).toBe(401);
    // A signed URL opens files and the socket only, not the API.
    const signer = new UrlSigner('sesame');
    expect((await api(server.url, signer.sign('/api/queue'))).status).toBe(401);
  });

  it('refuses an expired URL and one that claims to last for days', async () => {
    const signer = new UrlSigner('sesame');
    const up = await api(server.url, '/api/uploads?kind=image&filename=e.jpg', {
      method: 'POST',
      body: await testJpeg(42, 30),
      headers: auth,
    });
    const path = `/files/input/${up.body.name}`;
    expect((await fetch(server.url + signer.sign(path))).status).toBe(200);
    expect((await fetch(server.url + signer.sign(path, Date.now() - 3 * 60 * 60 * 1000))).status).toBe(401);
    expect((await fetch(server.url + signer.sign(path, Date.now() + 3 * 24 * 60 * 60 * 1000))).status).toBe(401);
    // Signed with another token's key.
    expect((await fetch(server.url + new UrlSigner('other').sign(path))).status).toBe(401);
  });

  it('opens the socket with a signed /ws URL (a browser can send no header there)', async () => {
    const signer = new UrlSigner('sesame');
    expect(await handshake(server.url + signer.sign('/ws'))).toBe(101);
    expect(await handshake(server.url + '/ws')).toBe(401);
    const forFile = new URL(signer.sign('/files/input/x.jpg'), server.url);
    expect(await handshake(`${server.url}/ws${forFile.search}`)).toBe(401);
  });

  it('signs the output URLs of a run record', async () => {
    const up = await api(server.url, '/api/uploads?kind=image&filename=r.jpg', {
      method: 'POST',
      body: await testJpeg(44, 30),
      headers: auth,
    });
    const wf = workflow({
      load: { type: 'LoadImage', params: { image: up.body.name } },
      save: { type: 'SaveImage', params: { filename_prefix: 'signed' }, inputs: { image: ['load', 'image'] } },
    });
    const sub = await api(server.url, '/api/runs', { method: 'POST', json: { workflow: wf }, headers: auth });
    expect(sub.status).toBe(201);
    const runId = sub.body.runs[0].runId;
    let rec = await api(server.url, `/api/history/${runId}`, { headers: auth });
    while (rec.status !== 200 || ['queued', 'running'].includes(rec.body.status)) {
      await new Promise((r) => setTimeout(r, 50));
      rec = await api(server.url, `/api/history/${runId}`, { headers: auth });
    }
    expect(rec.body.status).toBe('succeeded');
    expect(rec.body.outputs).toHaveLength(1);
    const out = new URL(rec.body.outputs[0].url, server.url);
    expect(out.searchParams.get('sig')).toBeTruthy();
    const png = await fetch(out);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
  });

  it("serves the editor's page without the token (it holds no data), and nothing else", async () => {
    const page = await fetch(server.url + '/');
    expect(page.status).not.toBe(401);
    expect((await fetch(server.url + '/api/nodes')).status).toBe(401);
    expect((await fetch(server.url + '/files/output/x.png')).status).toBe(401);
  });
});
