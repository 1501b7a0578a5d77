import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortError, OperationalError, UserError, type Services } from '@kinegraph/graph-core';
import { createTestCtx, createTestHost, runNode, type TestCtx, type TestHost } from '../test-support/ctx.js';
import { VideoValue } from '../values/video.js';
import { MiniMaxImageToVideo } from './minimax-image-to-video.js';
import { MiniMaxTextToVideo } from './minimax-text-to-video.js';
import { FAST, makeTestMp4, testImage, withMiniMax } from './testing/fixtures.js';
import { startStandIn, type StandIn } from './testing/stand-in.js';

const KEY = `mmx-${randomUUID()}`;
const SUBMIT = '/v1/video_generation';
const QUERY = '/v1/query/video_generation';
const RETRIEVE = '/v1/files/retrieve';
const PROMPT = 'the waves roll in softly, a lighthouse blinks [Truck left, Zoom in]';

let host: TestHost;
let st: StandIn;
let mp4: Buffer;
let keyDir: string;
let saved: Record<string, string | undefined>;

const services = (settings = FAST): Services => withMiniMax(host.services, [{ dir: keyDir, label: 'the test key file' }], settings);
const setKey = (k: string) => writeFile(path.join(keyDir, 'minimax.key'), `${k}\n`);
const i2v = (ctx: TestCtx, params: Record<string, unknown> = {}, inputs: Record<string, unknown> = { image: testImage() }) =>
  runNode(MiniMaxImageToVideo, ctx, inputs, { prompt: PROMPT, ...params });
async function failure(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, 'the run should have failed').toBeInstanceOf(Error);
  return e as Error;
}
const leftovers = async () => (await readdir(host.tempDir).catch(() => [])).filter((f) => f.startsWith('minimax-'));
const uiText = (ctx: TestCtx) => ctx.uis.map((u) => u.text ?? '').join('\n');

beforeAll(async () => {
  saved = { key: process.env.MINIMAX_API_KEY, base: process.env.MINIMAX_API_BASE };
  delete process.env.MINIMAX_API_KEY;
  host = await createTestHost();
  keyDir = await mkdtemp(path.join(tmpdir(), 'kinegraph-minimax-key-'));
  mp4 = await makeTestMp4();
  st = await startStandIn(mp4, KEY);
  // The API base comes from the environment, as it does for users.
  process.env.MINIMAX_API_BASE = st.base;
});
afterAll(async () => {
  await st.close();
  await host.cleanup();
  await rm(keyDir, { recursive: true, force: true });
  for (const [k, v] of [
    ['MINIMAX_API_KEY', saved.key],
    ['MINIMAX_API_BASE', saved.base],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});
beforeEach(async () => {
  await setKey(KEY);
  st.requests.length = 0;
  st.script = { submit: [], query: [], retrieve: [], download: [] };
  st.next = { pollsUntilDone: 2 };
  st.download = { primary: 'ok', backup: false };
  st.echoKey = false;
});

describe('MiniMaxImageToVideo against the stand-in', () => {
  it('submits the image and the prompt, waits, downloads and decodes the clip', async () => {
    const ctx = createTestCtx(services());
    const out = await i2v(ctx);
    expect(out.video).toBeInstanceOf(VideoValue);
    expect([out.video.width, out.video.height, out.video.frameCount, out.video.fps]).toEqual([320, 180, 24, 24]);
    expect(out.task_id).toMatch(/^\d+$/);
    expect([...st.tasks.keys()]).toContain(out.task_id);

    const submit = st.requests.find((r) => r.path === SUBMIT)!;
    expect(submit.method).toBe('POST');
    expect(submit.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(submit.headers['content-type']).toBe('application/json');
    const body = JSON.parse(submit.body);
    expect(Object.keys(body).sort()).toEqual(['duration', 'first_frame_image', 'model', 'prompt', 'prompt_optimizer', 'resolution']);
    expect(body).toMatchObject({ model: 'MiniMax-Hailuo-2.3', prompt: PROMPT, duration: 6, resolution: '768P', prompt_optimizer: true });
    const jpeg = Buffer.from(body.first_frame_image.replace(/^data:image\/jpeg;base64,/, ''), 'base64');
    expect(await sharp(jpeg).metadata()).toMatchObject({ format: 'jpeg', width: 480, height: 320 });
    expect(submit.body).not.toContain(KEY);

    expect(st.count(QUERY)).toBe(2);
    expect(st.requests.find((r) => r.path === QUERY)!.query).toEqual({ task_id: out.task_id });
    expect(st.requests.find((r) => r.path === RETRIEVE)!.query.file_id).toBe(`${out.task_id}7`);
    // The download link goes to file storage: the key stays with the API.
    const download = st.requests.find((r) => r.path.startsWith('/download/'))!;
    expect(download.headers.authorization).toBeUndefined();

    const text = uiText(ctx);
    expect(text).toContain(`MiniMax task ${out.task_id}`);
    expect(text).toContain("about $0.28 at MiniMax's list price");
    expect(text).toContain('The built-in model (builtin/parallax-v2) reads this prompt as:');
    expect(text).toMatch(/Ignored: .*lighthouse/);
    expect(JSON.stringify(ctx.uis)).not.toContain(KEY);
    expect(ctx.warnings).toEqual([]);

    const values = ctx.progressLog.map((p) => p.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(ctx.progressLog.at(-1)).toMatchObject({ value: 1000, max: 1000 });
    expect(await leftovers()).toEqual([]);
  });

  it('waits out a slow task, the bar moving with its state', async () => {
    st.next.pollsUntilDone = 12;
    const ctx = createTestCtx(services());
    const out = await i2v(ctx);
    expect(out.video.frameCount).toBe(24);
    expect(st.count(QUERY)).toBe(12);
    const during = ctx.progressLog.map((p) => p.value).filter((v) => v < 800);
    expect(Math.max(...during)).toBeGreaterThanOrEqual(100);
  });

  it('sends a first and a last frame to Hailuo 02, and warns about unknown commands', async () => {
    const ctx = createTestCtx(services());
    await i2v(
      ctx,
      { model: 'MiniMax-Hailuo-02', prompt: 'a girl grows up [Dolly zoom]' },
      { image: testImage(), last_frame: testImage(400, 400) },
    );
    const body = JSON.parse(st.requests.find((r) => r.path === SUBMIT)!.body);
    expect(body.first_frame_image).toMatch(/^data:image\/jpeg;base64,/);
    expect(body.last_frame_image).toMatch(/^data:image\/jpeg;base64,/);
    expect(body.prompt).toBe('a girl grows up [Dolly zoom]');
    expect(ctx.warnings).toEqual([
      { message: expect.stringContaining("Not among MiniMax's camera commands: [Dolly zoom]"), field: 'prompt' },
    ]);
  });

  it('refuses a last frame for a model without one, and a too small picture, before sending anything', async () => {
    let e = await failure(i2v(createTestCtx(services()), {}, { image: testImage(), last_frame: testImage() }));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toContain('takes no last frame');
    e = await failure(i2v(createTestCtx(services()), {}, { image: testImage(200, 150) }));
    expect(e.message).toContain('short side at least 300 px');
    e = await failure(i2v(createTestCtx(services()), {}, { image: testImage(1200, 300) }));
    expect(e.message).toContain('2:5 to 5:2');
    expect(st.requests).toEqual([]);
  });

  it('without a key fails with where to put one and sends nothing', async () => {
    await rm(path.join(keyDir, 'minimax.key'));
    const e = await failure(i2v(createTestCtx(services())));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(/No MiniMax API key: set MINIMAX_API_KEY .* or put the key alone in the test key file/);
    expect(MiniMaxImageToVideo.checkHost!({} as never, services())).toEqual([[undefined, e.message]]);
    expect(st.requests).toEqual([]);
    await setKey(KEY);
    expect(MiniMaxImageToVideo.checkHost!({} as never, services())).toEqual([]);
  });

  it('a plain-http API base off this machine is refused at validation (it would send the key in the clear)', () => {
    const base = process.env.MINIMAX_API_BASE;
    process.env.MINIMAX_API_BASE = 'http://api.example.com';
    try {
      expect(MiniMaxTextToVideo.checkHost!({} as never, services())).toEqual([
        [undefined, expect.stringContaining('MINIMAX_API_BASE must be an https:// URL')],
      ]);
    } finally {
      process.env.MINIMAX_API_BASE = base;
    }
  });
});

describe('MiniMaxTextToVideo', () => {
  it('sends the prompt alone', async () => {
    const ctx = createTestCtx(services());
    const out = await runNode(
      MiniMaxTextToVideo,
      ctx,
      {},
      { prompt: 'a fox in the snow [Tracking shot]', model: 'T2V-01-Director', resolution: '720P' },
    );
    expect(out.video.frameCount).toBe(24);
    const body = JSON.parse(st.requests.find((r) => r.path === SUBMIT)!.body);
    expect(body).toEqual({
      model: 'T2V-01-Director',
      prompt: 'a fox in the snow [Tracking shot]',
      duration: 6,
      resolution: '720P',
      prompt_optimizer: true,
    });
    expect(uiText(ctx)).toContain('about $0.43');
  });

  it('warns that a model without Director does not read brackets', async () => {
    const ctx = createTestCtx(services());
    await runNode(MiniMaxTextToVideo, ctx, {}, { prompt: 'a fox [Pan left]', model: 'T2V-01', resolution: '720P' });
    expect(ctx.warnings[0]!.message).toContain('T2V-01 does not take [bracket] camera commands');
  });
});

describe('MiniMax failures', () => {
  it('401 and 403: the key is refused, said once, never retried, never shown', async () => {
    for (const status of [401, 403]) {
      st.requests.length = 0;
      st.script.submit.push({ status, json: { base_resp: { status_code: 1004, status_msg: `unauthorized ${KEY}` } } });
      const e = await failure(i2v(createTestCtx(services())));
      expect(e).toBeInstanceOf(UserError);
      expect(e.message).toContain(`MiniMax refused the API key from the test key file (HTTP ${status}`);
      expect(e.message).not.toContain(KEY);
      expect(e.message).toContain('[redacted key]');
      expect(st.count(SUBMIT)).toBe(1);
    }
  });

  it('a wrong key (status 1004) is named as such', async () => {
    await setKey('mmx-wrong-key-123');
    const e = await failure(i2v(createTestCtx(services())));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toContain('authentication failed');
    expect(e.message).not.toContain('mmx-wrong-key-123');
    expect(st.count(SUBMIT)).toBe(1);
  });

  it('429 and status 1002: waits and submits again', async () => {
    st.script.submit.push({
      status: 429,
      json: { base_resp: { status_code: 1002, status_msg: 'rate limit' } },
      headers: { 'retry-after': '0' },
    });
    st.script.submit.push({ status: 200, json: { base_resp: { status_code: 1002, status_msg: 'rate limit exceeded' } } });
    const out = await i2v(createTestCtx(services()));
    expect(out.video.frameCount).toBe(24);
    expect(st.count(SUBMIT)).toBe(3);
    expect(st.tasks.has(out.task_id)).toBe(true);
  });

  it('a rate limit that does not lift ends in a clear error', async () => {
    for (let i = 0; i < 3; i++) st.script.submit.push({ status: 429, text: 'Too Many Requests' });
    const e = await failure(i2v(createTestCtx(services())));
    expect(e).toBeInstanceOf(OperationalError);
    expect(e.message).toContain("MiniMax's rate limit was reached (HTTP 429: Too Many Requests)");
    expect(e.message).toContain('gave up after 3 tries');
    expect(st.count(SUBMIT)).toBe(3);
  });

  it('a 500 or a dropped connection on submit is not sent again (a task may exist); a 503 is', async () => {
    st.script.submit.push({ status: 500, json: { base_resp: { status_code: 1013, status_msg: 'internal error' } } });
    let e = await failure(i2v(createTestCtx(services())));
    expect(e.message).toContain('Submitting the video task: MiniMax answered HTTP 500: internal error');
    expect(st.count(SUBMIT)).toBe(1);

    st.requests.length = 0;
    st.script.submit.push({ drop: true });
    e = await failure(i2v(createTestCtx(services())));
    expect(e.message).toMatch(/could not reach MiniMax at http:\/\/127\.0\.0\.1:\d+ \(/);
    expect(st.count(SUBMIT)).toBe(1);

    st.requests.length = 0;
    st.script.submit.push({ status: 503, text: 'Service Unavailable' });
    const out = await i2v(createTestCtx(services()));
    expect(out.video.frameCount).toBe(24);
    expect(st.count(SUBMIT)).toBe(2);
  });

  it('5xx answers, dropped connections and junk while waiting are asked again', async () => {
    st.script.query.push({ status: 502, text: 'Bad Gateway' }, { drop: true }, { status: 200, text: '<html>proxy</html>' });
    st.script.retrieve.push({ status: 500, json: { base_resp: { status_code: 1000, status_msg: 'unknown' } } });
    const ctx = createTestCtx(services({ ...FAST, attempts: 4 }));
    const out = await i2v(ctx);
    expect(out.video.frameCount).toBe(24);
    expect(st.count(QUERY)).toBe(5);
    expect(st.count(RETRIEVE)).toBe(2);
  });

  it('an unreachable API host is tried again, then named', async () => {
    const port = await closedPort();
    const e = await failure(i2v(createTestCtx(services({ ...FAST, apiBase: `http://127.0.0.1:${port}` }))));
    expect(e).toBeInstanceOf(OperationalError);
    expect(e.message).toContain(`could not reach MiniMax at http://127.0.0.1:${port} (ECONNREFUSED)`);
    expect(e.message).toContain('gave up after 3 tries');
  });

  it('a failed task says why, with its task id', async () => {
    st.next.failWith = { status_code: 1027, status_msg: 'output video sensitive' };
    let e = await failure(i2v(createTestCtx(services())));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(
      /^MiniMax could not make the video: the generated video was flagged as sensitive content.*\(status 1027: output video sensitive\) \(MiniMax task \d+\)$/,
    );
    st.next.failWith = { status_code: 1000, status_msg: 'unknown error' };
    e = await failure(i2v(createTestCtx(services())));
    expect(e).toBeInstanceOf(OperationalError);
    expect(e.message).toContain("MiniMax's task failed");
    expect(st.count(SUBMIT)).toBe(2);
  });

  it('a task that never finishes times out, naming the task', async () => {
    st.next.pollsUntilDone = Infinity;
    const e = await failure(i2v(createTestCtx(services({ ...FAST, taskTimeoutMs: 60 }))));
    expect(e).toBeInstanceOf(OperationalError);
    expect(e.message).toMatch(
      /^MiniMax task \d+ was not finished after 0 s \(last status: (Preparing|Queueing|Processing)\); it may still finish/,
    );
    expect(st.count(QUERY)).toBeGreaterThan(1);
  });

  it('a request MiniMax never answers ends at the request timeout', async () => {
    st.script.submit.push({ hang: true });
    const e = await failure(i2v(createTestCtx(services({ ...FAST, requestTimeoutMs: 50 }))));
    expect(e.message).toContain('Submitting the video task: MiniMax did not answer within 0 s');
    expect(st.count(SUBMIT)).toBe(1);
  });

  it('an interrupt while waiting abandons the task at once and leaves nothing behind', async () => {
    st.next.pollsUntilDone = Infinity;
    const ctx = createTestCtx(services());
    const run = i2v(ctx);
    await vi.waitFor(() => expect(st.count(QUERY)).toBeGreaterThanOrEqual(2), { timeout: 10_000, interval: 5 });
    ctx.controller.abort();
    expect(await failure(run)).toBeInstanceOf(AbortError);
    const abandoned = st.requests.find((r) => r.path === QUERY)!.query.task_id;
    // Nothing more is asked about the abandoned task: none of its queries comes after the next run's submit.
    st.next.pollsUntilDone = 1;
    await i2v(createTestCtx(services()));
    const nextSubmit = st.requests.findLastIndex((r) => r.path === SUBMIT);
    expect(st.requests.slice(nextSubmit).filter((r) => r.query.task_id === abandoned)).toEqual([]);
    expect(await leftovers()).toEqual([]);
  });

  it('an interrupt during a submit that hangs ends the run', async () => {
    st.script.submit.push({ hang: true });
    const ctx = createTestCtx(services({ ...FAST, requestTimeoutMs: 60_000 }));
    const run = i2v(ctx);
    await vi.waitFor(() => expect(st.count(SUBMIT)).toBe(1), { timeout: 10_000, interval: 5 });
    ctx.controller.abort();
    expect(await failure(run)).toBeInstanceOf(AbortError);
  });

  it('a cut download is tried again and then refused; nothing half-written stays', async () => {
    st.download.primary = 'truncated';
    const e = await failure(i2v(createTestCtx(services())));
    expect(e).toBeInstanceOf(OperationalError);
    expect(e.message).toMatch(/^Could not download the video MiniMax made: .*(broke off|cut short)/);
    expect(st.requests.filter((r) => r.path.startsWith('/download/')).length).toBe(3);
    expect(await leftovers()).toEqual([]);
  });

  it('a download that is no video is refused as untrusted media', async () => {
    st.download = { primary: 'garbage', backup: false, statedBytes: 0 };
    const e = await failure(i2v(createTestCtx(services())));
    expect(e.message).toMatch(/^MiniMax sent a file that is not a usable video: .*not a readable video file/);
    expect(await leftovers()).toEqual([]);
  });

  it('uses the backup link when the first one is gone', async () => {
    st.download = { primary: 'missing', backup: true };
    const out = await i2v(createTestCtx(services()));
    expect(out.video.frameCount).toBe(24);
    expect(st.requests.filter((r) => r.path.startsWith('/download/')).map((r) => r.query.backup ?? 'primary')).toEqual(['primary', '1']);
  });

  it('never lets the key through in an error, whatever MiniMax echoes', async () => {
    st.script.submit.push({
      status: 200,
      json: { base_resp: { status_code: 2013, status_msg: `invalid params, key=${KEY}, header Authorization: Bearer ${KEY}` } },
    });
    const e = await failure(i2v(createTestCtx(services())));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toContain('MiniMax refused the request: invalid parameters (status 2013: invalid params, key=[redacted key]');
    expect(e.message).not.toContain(KEY);
  });
});

/** A port nothing listens on: one the OS just handed out and took back. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
