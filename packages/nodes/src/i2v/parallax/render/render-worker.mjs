// Renders parallax frames on a worker thread. Plain JavaScript that loads the TypeScript renderer through
// tsx's loader, so the worker starts the same way under the CLI, the server, vitest and plain node.
// A worker serves one clip's scene at a time and may be kept for the next (render-pool.ts): each `setup`
// message starts a scene, its large planes follow one per message, then frames are asked for.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { ParallaxRenderer } = await import('./renderer.ts');
let setup;
let waiting = 0;
let background;
let renderer;

parentPort.on('message', (m) => {
  if (m.setup || m.release) {
    // A new scene (or none, while parked): the old one's planes and renderer can go.
    setup = m.setup;
    waiting = m.setup?.planes ?? 0;
    background = undefined;
    renderer = undefined;
    return;
  }
  if (m.plane !== undefined) {
    if (m.plane === '$background') background = m.data;
    else setup.scene[m.plane] = m.data;
    waiting--;
    return;
  }
  try {
    if (!setup || waiting > 0) throw new Error(`a frame was asked for before the scene arrived (${waiting} planes missing)`);
    const { scene, ambient, seed, options } = setup;
    renderer ??= new ParallaxRenderer(scene, background ?? scene.background, ambient, seed, scene.width, scene.height, options ?? {});
    // Drawn into the buffer sent back from an earlier frame when there is one (render-pool.ts recycle).
    const into = m.into ? new Uint8Array(m.into) : undefined;
    const out = m.format === 'i420' ? renderer.renderI420(m.pose, m.t, into) : renderer.render(m.pose, m.t, into);
    parentPort.postMessage({ index: m.index, out }, [out.buffer]);
  } catch (err) {
    parentPort.postMessage({ index: m.index, error: String(err?.stack ?? err) });
  }
});
parentPort.postMessage({ ready: true });
