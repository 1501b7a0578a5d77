// Renders parallax frames on a worker thread. Plain JavaScript that loads the TypeScript renderer through
// tsx's loader, so the worker starts the same way under the CLI, the server, vitest and plain node.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { ParallaxRenderer } = await import('./renderer.ts');
const { scene, planes, ambient, seed, options } = workerData;
// The scene's large planes come one per message before any frame is asked for (render-pool.ts).
let waiting = planes ?? 0;
let background;
let renderer;

parentPort.on('message', (m) => {
  if (m.plane !== undefined) {
    if (m.plane === '$background') background = m.data;
    else scene[m.plane] = m.data;
    waiting--;
    return;
  }
  try {
    if (waiting > 0) throw new Error(`a frame was asked for before the scene arrived (${waiting} planes missing)`);
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
