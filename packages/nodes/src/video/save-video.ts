import { defineNode, input, p } from '@kinegraph/graph-core';
import { AUDIO, VIDEO } from '../sockets.js';
import { encodeVideo } from '../ffmpeg/encode-video.js';
import { VIDEO_MIME } from '../ffmpeg/video-args.js';
import { checkPrefixParam, writeNewOutputFile, writesOutputFile } from '../host/output-files.js';
import { WORKFLOW_KEY, workflowTagValue, workflowText } from '../metadata/workflow-text.js';
import { PathsToken } from '../services.js';
import { loudnessTarget, truePeakCeiling } from '../audio/normalize-loudness.js';
import { normalizedForVideo } from './save-video-audio.js';

const FORMATS = ['mp4', 'webm', 'gif'] as const;

export const SaveVideo = defineNode({
  type: 'SaveVideo',
  category: 'video',
  title: 'Save Video',
  description:
    'Encodes the frames (and the soundtrack, if connected) into the output folder as <prefix>_00001.mp4, never overwriting: MP4 is H.264 yuv420p with fast start, WebM is VP9 (+Opus), GIF uses one optimised palette. The sound is normalised first (EBU R128: -14 LUFS, true peak under -1 dBTP, by default) whatever its level. The workflow is embedded in the file. A rerun with nothing changed upstream reuses the file already written.',
  version: 1,
  inputs: {
    video: input(VIDEO),
    audio: input(AUDIO, { optional: true, description: 'Muxed as AAC (MP4) or Opus (WebM); cut or padded to the video length' }),
  },
  outputs: {},
  params: {
    format: p.choice(FORMATS, { default: 'mp4', label: 'Format' }),
    quality: p.int({
      default: 80,
      min: 1,
      max: 100,
      slider: true,
      label: 'Quality',
      description: '80 is visually lossless for most pictures',
    }),
    filename_prefix: p.string({ default: 'kinegraph', label: 'Filename prefix', maxLength: 80 }),
    normalize_audio: p.bool({
      default: true,
      label: 'Normalise loudness',
      description: 'Bring the sound to the loudness target with the peaks under the ceiling before muxing',
      advanced: true,
    }),
    loudness: loudnessTarget(true),
    true_peak: truePeakCeiling(true),
  },
  ...writesOutputFile,
  checkParams: checkPrefixParam,
  async execute(ctx, inputs, params) {
    const video = inputs.video;
    const audio = inputs.audio;
    if (audio && params.format === 'gif') ctx.warn('GIF has no sound: the audio input is left out', 'audio');
    let muxed = audio && params.format !== 'gif' ? audio : undefined;
    if (muxed && params.normalize_audio) {
      const { audio: normalized, report } = normalizedForVideo(muxed, video.frameCount / video.fps, params.loudness, params.true_peak);
      if (report.silent) ctx.warn('The sound is silent under the clip: muxed as it is', 'audio');
      muxed = normalized;
    }
    const { outputDir, tempDir } = ctx.services.get(PathsToken);
    // GIF comments have no size limit; container tags pass through one ffmpeg argument (compressed when large).
    const embedded = params.format === 'gif' ? workflowText(ctx.workflow) : workflowTagValue(ctx.workflow);
    if (embedded === undefined) ctx.warn('The workflow is too large to embed in the video file; save it separately', 'format');
    const filename = await writeNewOutputFile(outputDir, params.filename_prefix, params.format, (partial) =>
      encodeVideo({
        video,
        audio: muxed,
        format: params.format,
        quality: params.quality,
        outFile: partial,
        tempDir,
        tags: embedded === undefined ? undefined : { [WORKFLOW_KEY]: embedded },
        signal: ctx.signal,
        onFrame: (i, n) => ctx.progress(i, n),
      }),
    );
    ctx.progress(video.frameCount, video.frameCount);
    ctx.ui({
      // Browsers animate a GIF in an <img>, never in a <video>.
      kind: params.format === 'gif' ? 'image' : 'video',
      filename,
      folder: 'output',
      mime: VIDEO_MIME[params.format],
      data: { width: video.width, height: video.height, fps: video.fps, frames: video.frameCount, audio: Boolean(audio) },
    });
    return {};
  },
});
