import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local stand-in for MiniMax's video API, on 127.0.0.1, for tests: the documented contract (Bearer key,
 * POST /v1/video_generation, GET /v1/query/video_generation, GET /v1/files/retrieve, base_resp codes, task
 * states Preparing → Queueing → Processing → Success) and, on request, every way it can go wrong. It serves
 * the MP4 it is given from its own "file storage" path, which takes no key (as MiniMax's download links do).
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One scripted answer, used once, in place of the documented behaviour. */
export type Scripted =
  | { status: number; json?: unknown; text?: string; headers?: Record<string, string> }
  /** Close the connection without an answer. */
  | { drop: true }
  /** Never answer (the client's timeout or an interrupt must end the wait). */
  | { hang: true };

export interface StandInTask {
  id: string;
  model: string;
  polls: number;
  /** Polls before the task is done (a slow task: many). Infinity: never. */
  pollsUntilDone: number;
  /** Set: the task ends failed with this base_resp. */
  failWith?: { status_code: number; status_msg: string };
}

export type DownloadMode = 'ok' | 'truncated' | 'garbage' | 'missing';

export interface StandIn {
  base: string;
  key: string;
  requests: RecordedRequest[];
  tasks: Map<string, StandInTask>;
  script: { submit: Scripted[]; query: Scripted[]; retrieve: Scripted[]; download: Scripted[] };
  /** How new tasks behave. */
  next: { pollsUntilDone: number; failWith?: StandInTask['failWith'] };
  /** How the primary download link behaves; the backup link always serves the file whole. */
  download: { primary: DownloadMode; backup: boolean; statedBytes?: number };
  /** The key echoed in every error message (to prove the client redacts it). */
  echoKey: boolean;
  count(path: string): number;
  close(): Promise<void>;
}

const VALID_MODELS = new Set([
  'MiniMax-Hailuo-2.3',
  'MiniMax-Hailuo-2.3-Fast',
  'MiniMax-Hailuo-02',
  'I2V-01-Director',
  'I2V-01-live',
  'I2V-01',
  'T2V-01-Director',
  'T2V-01',
]);
const NEEDS_IMAGE = new Set(['MiniMax-Hailuo-2.3-Fast', 'I2V-01-Director', 'I2V-01-live', 'I2V-01']);

export async function startStandIn(video: Buffer, key: string): Promise<StandIn> {
  const sockets = new Set<Socket>();
  let taskCounter = 0;
  const st: StandIn = {
    base: '',
    key,
    requests: [],
    tasks: new Map(),
    script: { submit: [], query: [], retrieve: [], download: [] },
    next: { pollsUntilDone: 2 },
    download: { primary: 'ok', backup: false },
    echoKey: false,
    count: (p) => st.requests.filter((r) => r.path === p).length,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };

  const base = (code: number, msg: string) => ({ status_code: code, status_msg: st.echoKey && code ? `${msg} (got key ${key})` : msg });
  const send = (res: ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(json));
  };
  /** A scripted answer if one is queued; true when it took care of the request. */
  const scripted = (res: ServerResponse, queue: Scripted[]): boolean => {
    const s = queue.shift();
    if (!s) return false;
    if ('drop' in s) res.socket?.destroy();
    else if ('hang' in s) {
      /* no answer */
    } else {
      res.writeHead(s.status, { 'content-type': s.text !== undefined ? 'text/plain' : 'application/json', ...s.headers });
      res.end(s.text ?? JSON.stringify(s.json ?? {}));
    }
    return true;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    st.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body,
    });

    if (url.pathname.startsWith('/download/')) return serveFile(url, res);
    const route =
      url.pathname === '/v1/video_generation'
        ? 'submit'
        : url.pathname === '/v1/query/video_generation'
          ? 'query'
          : url.pathname === '/v1/files/retrieve'
            ? 'retrieve'
            : undefined;
    if (!route) return send(res, 404, { base_resp: base(404, 'not found') });
    if (scripted(res, st.script[route])) return;
    // MiniMax answers a missing or wrong key with HTTP 200 and status 1004.
    if (req.headers.authorization !== `Bearer ${key}`)
      return send(res, 200, {
        base_resp: base(1004, "login fail: Please carry the API secret key in the 'Authorization' field of the request header"),
      });

    if (route === 'submit') {
      if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/json'))
        return send(res, 200, { task_id: '', base_resp: base(2013, 'invalid params, expected a JSON POST') });
      const problem = checkSubmit(body);
      if (problem) return send(res, 200, { task_id: '', base_resp: base(2013, `invalid params, ${problem}`) });
      const id = String(106916112212032 + ++taskCounter);
      const model = (JSON.parse(body) as { model: string }).model;
      st.tasks.set(id, { id, model, polls: 0, pollsUntilDone: st.next.pollsUntilDone, failWith: st.next.failWith });
      return send(res, 200, { task_id: id, base_resp: base(0, 'success') });
    }
    if (route === 'query') {
      const task = st.tasks.get(url.searchParams.get('task_id') ?? '');
      if (!task) return send(res, 200, { task_id: '', status: '', base_resp: base(2013, 'invalid params, task not found') });
      task.polls++;
      if (task.polls >= task.pollsUntilDone) {
        if (task.failWith) return send(res, 200, { task_id: task.id, status: 'Fail', file_id: '', base_resp: task.failWith });
        return send(res, 200, {
          task_id: task.id,
          status: 'Success',
          file_id: `${task.id}7`,
          video_width: 320,
          video_height: 180,
          base_resp: base(0, 'success'),
        });
      }
      const status = task.polls === 1 ? 'Preparing' : task.polls === 2 ? 'Queueing' : 'Processing';
      return send(res, 200, { task_id: task.id, status, file_id: '', base_resp: base(0, 'success') });
    }
    const fileId = url.searchParams.get('file_id') ?? '';
    if (![...st.tasks.values()].some((t) => `${t.id}7` === fileId))
      return send(res, 200, { base_resp: base(2013, 'invalid params, file not found') });
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return send(res, 200, {
      file: {
        file_id: Number(fileId),
        bytes: st.download.statedBytes ?? video.length,
        created_at: 1700469398,
        filename: 'output_aigc.mp4',
        purpose: 'video_generation',
        download_url: `${origin}/download/${fileId}.mp4?Expires=1700470000&Signature=abc`,
        ...(st.download.backup ? { backup_download_url: `${origin}/download/${fileId}.mp4?backup=1` } : {}),
      },
      base_resp: base(0, 'success'),
    });
  });

  function serveFile(url: URL, res: ServerResponse): void {
    if (scripted(res, st.script.download)) return;
    const mode: DownloadMode = url.searchParams.has('backup') ? 'ok' : st.download.primary;
    if (mode === 'missing') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no such file');
    } else if (mode === 'garbage') {
      const junk = Buffer.from('<html><body>Access denied</body></html>'.repeat(20));
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(junk.length) });
      res.end(junk);
    } else if (mode === 'truncated') {
      // Promises the whole file, sends a third, then the connection breaks.
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(video.length) });
      res.write(video.subarray(0, Math.floor(video.length / 3)), () => res.socket?.destroy());
    } else {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(video.length) });
      res.end(video);
    }
  }

  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  st.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return st;
}

/** The documented request checks: known model, prompt length, a frame image as a data URL where one is needed. */
function checkSubmit(body: string): string | undefined {
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return 'body is not JSON';
  }
  if (typeof r.model !== 'string' || !VALID_MODELS.has(r.model)) return `unknown model ${String(r.model)}`;
  if (r.prompt !== undefined && (typeof r.prompt !== 'string' || r.prompt.length > 2000))
    return 'prompt must be a string of at most 2000 characters';
  for (const f of ['first_frame_image', 'last_frame_image']) {
    const v = r[f];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !/^data:image\/(jpeg|png|webp);base64,[A-Za-z0-9+/]+=*$/.test(v))
      return `${f} must be a URL or a base64 data URL`;
  }
  if (NEEDS_IMAGE.has(r.model) && r.first_frame_image === undefined) return `${r.model} needs first_frame_image`;
  if (r.last_frame_image !== undefined && r.model !== 'MiniMax-Hailuo-02') return 'last_frame_image needs MiniMax-Hailuo-02';
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}
