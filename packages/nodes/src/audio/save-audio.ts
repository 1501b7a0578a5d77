import { defineNode, input, p, UserError } from '@kinegraph/graph-core';
import { AUDIO } from '../sockets.js';
import { AUDIO_EXT, AUDIO_FORMATS, AUDIO_MIME, encodeAudio } from '../ffmpeg/encode-audio.js';
import { checkPrefixParam, writeNewOutputFile, writesOutputFile } from '../host/output-files.js';
import { WORKFLOW_KEY, workflowTagValue } from '../metadata/workflow-text.js';
import { PathsToken } from '../services.js';

export const SaveAudio = defineNode({
  type: 'SaveAudio',
  category: 'audio',
  title: 'Save Audio',
  description:
    'Writes the sound into the output folder as <prefix>_00001.flac (FLAC, MP3, Ogg Opus or WAV), never overwriting. FLAC, MP3 and Opus carry the workflow in their tags.',
  version: 1,
  inputs: { audio: input(AUDIO) },
  outputs: {},
  params: {
    format: p.choice(AUDIO_FORMATS, { default: 'flac', label: 'Format' }),
    filename_prefix: p.string({ default: 'kinegraph-audio', label: 'Filename prefix', maxLength: 80 }),
  },
  ...writesOutputFile,
  checkParams: checkPrefixParam,
  // Like SaveVideo: an unchanged rerun reuses the file already written.
  async execute(ctx, inputs, params) {
    const audio = inputs.audio;
    if (audio.samples.length === 0) throw new UserError('The audio is empty', 'audio');
    const embedded = params.format === 'wav' ? undefined : workflowTagValue(ctx.workflow);
    const { outputDir } = ctx.services.get(PathsToken);
    const filename = await writeNewOutputFile(outputDir, params.filename_prefix, AUDIO_EXT[params.format], (partial) =>
      encodeAudio({
        audio,
        format: params.format,
        outFile: partial,
        tags: embedded ? { [WORKFLOW_KEY]: embedded } : undefined,
        signal: ctx.signal,
      }),
    );
    ctx.ui({
      kind: 'audio',
      filename,
      folder: 'output',
      mime: AUDIO_MIME[params.format],
      data: { seconds: audio.durationSeconds, sampleRate: audio.sampleRate, channels: audio.channels },
    });
    return {};
  },
});
