import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe, readEmbeddedWorkflow } from '@kinegraph/nodes';
import { api, startTestServer, testJpeg, waitForRun, workflow } from '../server/harness.js';
import { kinegraph, repoRoot, resizeWorkflow, scratchWithPhoto, writeJson } from './cli-harness.js';

/**
 * "A file the project wrote reruns with `kinegraph run <that file>` alone": the written file records where
 * its relative inputs were found (relative to the file's own folder), and the rerun looks there.
 */
let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'kg-rerun-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** The pictures match pixel for pixel (the embedded workflows differ: each records its own folders). */
async function samePixels(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([a, b].map((f) => sharp(f).raw().toBuffer({ resolveWithObject: true })));
  return x.info.width === y.info.width && x.info.height === y.info.height && x.data.equals(y.data);
}

async function folder(name: string): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

describe('kinegraph run <a file Kinegraph wrote>', () => {
  it('reruns the default workflow from the MP4 it wrote, from another directory, with no other option', async () => {
    const first = await folder('first');
    const firstOut = path.join(first, 'out');
    // One second instead of six: the same graph and inputs, a shorter clip for a two-core machine.
    const made = await kinegraph(
      ['run', path.join(repoRoot, 'workflows/photo-to-video.json'), '--out', firstOut, '--set', 'denoise.duration=1'],
      { cwd: first },
    );
    expect(made.code, made.stderr).toBe(0);
    const video = path.join(firstOut, 'photo-to-video_00001.mp4');
    expect(made.stdout.trim()).toBe(video);

    const elsewhere = await folder('elsewhere');
    const again = await kinegraph(['run', video], { cwd: elsewhere });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/Running the workflow embedded in .*photo-to-video_00001\.mp4/);
    const rerun = path.join(elsewhere, 'out', 'photo-to-video_00001.mp4');
    expect(again.stdout.trim()).toBe(rerun);
    const info = await probe(rerun);
    expect(info.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 1280, height: 720 });
    // Same graph, same photo, an output folder as deep: the same bytes.
    expect((await readFile(rerun)).equals(await readFile(video))).toBe(true);
  });

  it("finds a user's own photo next to the workflow, not next to the file, and records no absolute path", async () => {
    const project = await scratchWithPhoto();
    await mkdir(path.join(project, 'pics'));
    await copyFile(path.join(project, 'photo.jpg'), path.join(project, 'pics', 'photo.jpg'));
    await writeJson(path.join(project, 'flow.json'), resizeWorkflow('pics/photo.jpg'));
    const renders = await folder('renders');
    const made = await kinegraph(['run', path.join(project, 'flow.json'), '--out', renders], { cwd: project });
    expect(made.code, made.stderr).toBe(0);
    const png = path.join(renders, 'small_00001.png');
    const embedded = (await readEmbeddedWorkflow(png)) as { meta: { inputFolders: string[] } };
    expect(embedded.meta.inputFolders).toEqual([path.relative(renders, project).split(path.sep).join('/')]);
    expect(embedded.meta.inputFolders[0]).not.toMatch(/^\//);

    // Neither the PNG's folder nor the working directory holds pics/photo.jpg: only the record leads to it.
    const cwd = await folder('cwd-for-png');
    const again = await kinegraph(['run', png, '--out', 'again', '--json'], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1)!)).toMatchObject({
      status: 'succeeded',
      files: [path.join(cwd, 'again', 'small_00001.png')],
    });
    expect(await samePixels(path.join(cwd, 'again', 'small_00001.png'), png)).toBe(true);

    // A copy moved away from what its record points at: validate and run both say where they looked.
    const moved = await folder('moved/deeper');
    await copyFile(png, path.join(moved, 'copy.png'));
    for (const cmd of ['validate', 'run']) {
      const lost = await kinegraph([cmd, path.join(moved, 'copy.png')], { cwd });
      expect(lost.code, cmd).toBe(1);
      expect(lost.stderr, cmd).toMatch(
        /^load\.image: File "pics\/photo\.jpg" not found \(looked in .*moved[\/\\]deeper.*; --input-dir names another folder\)/m,
      );
    }
    const found = await kinegraph(['run', path.join(moved, 'copy.png'), '--input-dir', project, '--out', 'with-dir'], { cwd });
    expect(found.code, found.stderr).toBe(0);
    await rm(project, { recursive: true, force: true });
  });

  it("reruns a file the server wrote from an uploaded photo (the record points at the server's input folder)", async () => {
    const data = await folder('server-data');
    const server = await startTestServer(data);
    let written: string;
    try {
      const upload = await api(server.url, '/api/uploads?kind=image&filename=holiday.jpg', {
        method: 'POST',
        body: await testJpeg(320, 200),
      });
      expect(upload.status).toBe(201);
      const wf = resizeWorkflow(upload.body.name);
      const submitted = await api(server.url, '/api/runs', { method: 'POST', json: { workflow: workflow(wf.nodes as never) } });
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
      const rec = await waitForRun(server.url, submitted.body.runs[0].runId, 60_000);
      expect(rec.status, JSON.stringify(rec.error)).toBe('succeeded');
      written = path.join(data, 'output', rec.outputs[0].filename);
    } finally {
      await server.close();
    }
    const cwd = await folder('cwd-for-server-file');
    const again = await kinegraph(['run', written, '--out', 'again'], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(await samePixels(path.join(cwd, 'again', path.basename(written)), written)).toBe(true);
  });
});
