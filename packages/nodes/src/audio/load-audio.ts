import { defineNode, output, p } from '@kinegraph/graph-core';
import { AUDIO } from '../sockets.js';
import { decodeAudioFile } from '../ffmpeg/decode-audio.js';
import { resolveFileParam } from '../host/resolve-input.js';
import { PathsToken } from '../services.js';

export const LoadAudio = defineNode({
  type: 'LoadAudio',
  category: 'audio',
  title: 'Load Audio',
  description: 'Reads the first audio track of a sound or video file (WAV, MP3, AAC/M4A, Ogg, Opus, FLAC, MP4, WebM …).',
  version: 1,
  inputs: {},
  outputs: { audio: output(AUDIO) },
  params: {
    audio: p.file({ accept: 'audio', label: 'Audio file' }),
    channels: p.choice(['stereo', 'mono'], { default: 'stereo', label: 'Channels' }),
    sample_rate: p.choice(['48000', '44100', '32000', '24000', '16000'], { default: '48000', label: 'Sample rate', advanced: true }),
    max_seconds: p.float({
      default: 600,
      min: 0.1,
      max: 3600,
      label: 'Longest (s)',
      description: 'Longer files are cut here',
      advanced: true,
    }),
  },
  cache: 'file',
  fileRefs: (params) => [params.audio],
  concurrencySafe: true,
  async execute(ctx, _inputs, params) {
    const file = resolveFileParam(ctx.services.get(PathsToken), params.audio, 'audio');
    const audio = await decodeAudioFile(file, params.audio, {
      sampleRate: Number(params.sample_rate),
      channels: params.channels === 'mono' ? 1 : 2,
      maxSeconds: params.max_seconds,
      signal: ctx.signal,
    });
    return { audio };
  },
});
