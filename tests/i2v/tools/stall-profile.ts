/**
 * Where the event loop stalls: a CPU profile of encode, denoise and save of a clip, cut into stretches of
 * samples with no idle sample between them (one stretch = one synchronous block); prints the longest blocks
 * with the functions that took most of each (self time, then the deepest frame of ours on the stack).
 *   npx tsx tests/i2v/tools/stall-profile.ts [--seconds 10] [--photo path] [--top 8]
 */
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import sharp from 'sharp';
import { createServices } from '@kinegraph/graph-core';
import { encodeVideo, ImageValue, parallaxV2Bundle } from '@kinegraph/nodes';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createTestCtx } from '../../../packages/nodes/src/test-support/ctx.js';

const arg = (name: string, def: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : def);
const seconds = Number(arg('--seconds', '10'));
const top = Number(arg('--top', '8'));
const photoFile = arg('--photo', path.resolve(import.meta.dirname, '../../../workflows/assets/evening-glow.jpg'));

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 500 });

const { data, info } = await sharp(photoFile).removeAlpha().raw().toBuffer({ resolveWithObject: true });
const img = new ImageValue(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
const ctx = createTestCtx(createServices([]));
const { vae, textEncoder, model } = parallaxV2Bundle;
await vae.encode(ctx, img, { width: 1280, height: 720, resizeMode: 'crop' });
await session.post('Profiler.start');
const latent = await vae.encode(ctx, img, { width: 1280, height: 720, resizeMode: 'crop' });
const positive = await textEncoder.encode(ctx, 'the waves roll in softly, clouds drift to the left, slow push in, slow truck left');
const request = {
  image: latent,
  positive,
  frames: Math.round(seconds * 24),
  fps: 24,
  steps: 6,
  cfg: 1,
  seed: 42,
  sampler: 'default',
  scheduler: 'default',
  motion: 0.5,
};
const video = await vae.decode(ctx, await model.denoise(ctx, request));
const dir = await mkdtemp(path.join(tmpdir(), 'kg-prof-'));
await encodeVideo({ video, format: 'mp4', quality: 80, outFile: path.join(dir, 'out.mp4'), tempDir: dir });
await rm(dir, { recursive: true, force: true });
const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const idle = (id: number) =>
  ['(idle)', '(program)', '(garbage collector)'].includes(byId.get(id)!.callFrame.functionName) &&
  byId.get(id)!.callFrame.functionName === '(idle)';
const ours = (id: number | undefined): string => {
  for (let k = id; k !== undefined; k = parent.get(k)) {
    const f = byId.get(k)!.callFrame;
    if (f.url.includes('/packages/') && !f.url.includes('node_modules'))
      return `${f.functionName || '(anon)'} ${f.url.slice(f.url.indexOf('/packages/') + 10)}:${f.lineNumber + 1}`;
  }
  return '(not ours)';
};
type Block = { ms: number; self: Map<string, number> };
const blocks: Block[] = [];
let cur: Block | undefined;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  if (idle(id)) {
    if (cur) blocks.push(cur);
    cur = undefined;
    continue;
  }
  cur ??= { ms: 0, self: new Map() };
  cur.ms += dt;
  const key = ours(id);
  cur.self.set(key, (cur.self.get(key) ?? 0) + dt);
}
if (cur) blocks.push(cur);
blocks.sort((a, b) => b.ms - a.ms);
for (const b of blocks.slice(0, top)) {
  console.log(`block ${b.ms.toFixed(0)} ms`);
  for (const [k, v] of [...b.self].sort((a, c) => c[1] - a[1]).slice(0, 5)) console.log(`   ${v.toFixed(0).padStart(5)} ms  ${k}`);
}
