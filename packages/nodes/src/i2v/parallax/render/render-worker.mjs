// Renders parallax frames on a worker thread. Plain JavaScript that loads the TypeScript renderer through
// tsx's loader, so the worker starts the same way under the CLI, the server, vitest and plain node.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { ParallaxRenderer } = await import('./renderer.ts');
const { scene, background, ambient, seed, options } = workerData;
const renderer = new ParallaxRenderer(scene, background, ambient, seed, scene.width, scene.height, options ?? {});

parentPort.on('message', (m) => {
  try {
    const out = m.format === 'i420' ? renderer.renderI420(m.pose, m.t) : renderer.render(m.pose, m.t);
    parentPort.postMessage({ index: m.index, out }, [out.buffer]);
  } catch (err) {
    parentPort.postMessage({ index: m.index, error: String(err?.stack ?? err) });
  }
});
parentPort.postMessage({ ready: true });
