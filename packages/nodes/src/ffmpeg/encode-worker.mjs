// Runs ffmpeg (through fluent-ffmpeg) on its own thread and feeds it the raw frames the main thread posts.
// Plain JavaScript on purpose: a worker must load without a TypeScript loader (tsx, vitest, plain node alike).
// Why a thread at all: frame rendering is synchronous CPU work on the main thread; while it runs, the main
// thread can not move bytes into ffmpeg's stdin, so ffmpeg would wait. From here the pipe keeps flowing and
// rendering and encoding overlap on two cores.
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const ffmpeg = require('fluent-ffmpeg');

const { ffmpegPath, frameBytes, inputOptions, audio, outputOptions, outFile } = workerData;
const input = new PassThrough({ highWaterMark: frameBytes * 2 });
const command = ffmpeg({ stdoutLines: 40 })
  .setFfmpegPath(ffmpegPath)
  .input(input)
  .inputOptions(...inputOptions);
if (audio) command.input(audio.file).inputOptions(...audio.inputOptions);
command.outputOptions(...outputOptions).output(outFile);

// An abort may come before fluent-ffmpeg has spawned the process: remember it and kill on start.
let aborted = false;
command.on('start', () => {
  if (aborted) command.kill('SIGKILL');
});
command.on('end', () => parentPort.postMessage({ type: 'done' }));
command.on('error', (err, _stdout, stderr) =>
  parentPort.postMessage({ type: 'error', message: err.message, stderr: String(stderr ?? '') }),
);

parentPort.on('message', (m) => {
  if (m.type === 'frame') {
    const chunk = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
    // One credit back per frame once the stream can take more: the main thread never runs far ahead.
    if (input.write(chunk)) parentPort.postMessage({ type: 'credit' });
    else input.once('drain', () => parentPort.postMessage({ type: 'credit' }));
  } else if (m.type === 'end') {
    input.end();
  } else if (m.type === 'abort' && !aborted) {
    aborted = true;
    if (command.ffmpegProc) command.kill('SIGKILL');
    input.end();
  }
});

command.run();
