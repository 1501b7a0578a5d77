import { writeFile } from 'node:fs/promises';
import type { NodeContext, Services, UiOutput } from '@kinegraph/graph-core';
import { encodeAudio } from '../ffmpeg/encode-audio.js';
import { outputFilesExist, writeNewOutputFile } from '../host/output-files.js';
import { PathsToken } from '../services.js';
import type { AudioValue } from '../values/audio.js';
import { waveformPng } from './waveform.js';

/**
 * The audio nodes' preview, shown in the node: a waveform picture and a playable MP3, both in the temp
 * folder (nothing in the output folder). Hosts without folders (some tests) get none.
 */
export async function emitAudioPreview(
  ctx: NodeContext,
  audio: AudioValue,
  prefix: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  if (!ctx.services.has(PathsToken) || audio.samples.length === 0) return;
  const { tempDir } = ctx.services.get(PathsToken);
  const wave = await waveformPng(audio);
  const picture = await writeNewOutputFile(tempDir, `${prefix}-waveform`, 'png', (partial) => writeFile(partial, wave.data));
  const sound = await writeNewOutputFile(tempDir, `${prefix}-preview`, 'mp3', (partial) =>
    encodeAudio({ audio, format: 'mp3', outFile: partial, signal: ctx.signal }),
  );
  const facts = {
    seconds: Math.round(audio.durationSeconds * 1000) / 1000,
    sampleRate: audio.sampleRate,
    channels: audio.channels,
    ...data,
  };
  ctx.ui({
    kind: 'image',
    filename: picture,
    folder: 'temp',
    mime: 'image/png',
    data: { width: wave.width, height: wave.height, waveform: true },
  });
  ctx.ui({ kind: 'audio', filename: sound, folder: 'temp', mime: 'audio/mpeg', data: facts });
}

/** A cached audio node's result stands while its preview files are still there. */
export function previewFilesExist(result: { ui: UiOutput[] }, services: Services): boolean {
  return outputFilesExist(result, services);
}
