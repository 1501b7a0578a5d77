// Runs the photo analysis on a worker thread (the main thread keeps answering HTTP and interrupts while it
// runs for a second or more). Plain JavaScript that loads the TypeScript analysis through tsx's loader, as
// render-worker.mjs does. One job at a time: { id, rgb, w, h, options } in, { id, scene, timings } out.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { analyzePhoto } = await import('./analyze.ts');

parentPort.on('message', async (m) => {
  try {
    const timings = {};
    const scene = await analyzePhoto(m.rgb, m.w, m.h, (stage, ms) => (timings[stage] = ms), m.options);
    // The scene's arrays move to the main thread instead of being copied (each buffer once).
    const buffers = [
      ...new Set(
        Object.values(scene)
          .filter((v) => ArrayBuffer.isView(v))
          .map((v) => v.buffer),
      ),
    ];
    parentPort.postMessage({ id: m.id, scene, timings }, buffers);
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String(err?.stack ?? err) });
  }
});
parentPort.postMessage({ ready: true });
