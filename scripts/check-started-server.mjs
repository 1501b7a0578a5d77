#!/usr/bin/env node
// Checks a server started with `npm start` (default data folder) as a new user meets it: the editor page,
// the default workflow's photo served from the input folder, and after a run of the default workflow its
// video served with range requests (what a <video> element needs). Used by .ci/run; exits 1 on a fault.
const base = process.argv[2] ?? 'http://127.0.0.1:8188';

async function expectOk(path, init, want = 200) {
  const res = await fetch(base + path, init);
  if (res.status !== want) throw new Error(`${init?.method ?? 'GET'} ${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res;
}

// On a first start the server builds the editor and answers 503 with a self-reloading page meanwhile.
for (let i = 0; i < 240 && (await fetch(base + '/')).status === 503; i++) await new Promise((r) => setTimeout(r, 500));
const page = await (await expectOk('/')).text();
if (!page.includes('<div id="root"')) throw new Error('GET / is not the editor page');
const workflow = await (await expectOk('/api/workflows/photo-to-video')).json();
const load = Object.values(workflow.nodes).find((n) => n.type === 'LoadImage');
if (!load?.params?.image) throw new Error('the default workflow has no Load Image photo');
const photo = await expectOk(`/files/input/${encodeURIComponent(load.params.image)}`);
if (!photo.headers.get('content-type')?.startsWith('image/'))
  throw new Error(`the photo is served as ${photo.headers.get('content-type')}`);

const submitted = await (
  await expectOk('/api/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workflow }) }, 201)
).json();
const runId = submitted.runs[0].runId;
let record;
for (let i = 0; i < 600; i++) {
  record = await (await expectOk(`/api/history/${runId}`)).json();
  if (!['queued', 'running'].includes(record.status)) break;
  await new Promise((r) => setTimeout(r, 250));
}
if (record.status !== 'succeeded') throw new Error(`the default workflow ${record.status}: ${JSON.stringify(record.error)}`);
const video = record.outputs.find((o) => o.kind === 'video');
if (!video) throw new Error('the default workflow wrote no video');
const part = await expectOk(video.url, { headers: { range: 'bytes=0-1023' } }, 206);
if ((await part.arrayBuffer()).byteLength !== 1024) throw new Error('a range request did not answer 1024 bytes');
console.log(`npm start: editor page, ${load.params.image} and ${video.url} (range requests) served from the default data folder: ok`);
