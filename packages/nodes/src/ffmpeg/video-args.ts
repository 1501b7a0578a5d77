/** The container/codec choices SaveVideo offers. */
export type VideoFormat = 'mp4' | 'webm' | 'gif';

export const VIDEO_MIME: Record<VideoFormat, string> = { mp4: 'video/mp4', webm: 'video/webm', gif: 'image/gif' };

/** quality 1..100 → x264 CRF 35..12 (80 → 17, visually lossless for most pictures). */
export function x264Crf(quality: number): number {
  return Math.round(35 - (Math.min(100, Math.max(1, quality)) / 100) * 23);
}

/** quality 1..100 → VP9 CRF 55..15 (80 → 23). */
export function vp9Crf(quality: number): number {
  return Math.round(55 - (Math.min(100, Math.max(1, quality)) / 100) * 40);
}

export interface VideoArgOptions {
  format: VideoFormat;
  quality: number;
  /** x264 preset (default veryfast: on moving pictures it takes under half the CPU of "fast" for a file no larger at the same CRF). */
  preset?: string;
  /**
   * With an audio track: the clip's length in seconds. The track is padded with silence to exactly this;
   * `apad` alone is endless, and ffmpeg 6+ ends `-shortest` only after buffering, so the audio outran the video.
   */
  audioSeconds?: number;
  /** Output size when it differs from the frames' (previews). */
  scaleTo?: { width: number; height: number };
  /** The frames' size: yuv420p needs even sides, so an odd column or row is cropped off. */
  width: number;
  height: number;
  /** What the frames arrive as (default rgb24). GIF always takes rgb24. */
  input?: RawPixelFormat;
}

export type RawPixelFormat = 'rgb24' | 'yuv420p';

/** MP4 and WebM are BT.709 limited range, and say so, so that players show the colours the frames have. */
const BT709_TAGS = ['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv'];

/** Output options (after the inputs) for one format: codec, pixel format, quality, filters, muxer flags. */
export function videoOutputArgs(o: VideoArgOptions): string[] {
  const pad = o.audioSeconds !== undefined ? ['-af', `apad=whole_dur=${o.audioSeconds}`, '-shortest'] : [];
  const filters: string[] = [];
  if (o.format !== 'gif' && !o.scaleTo && (o.width % 2 || o.height % 2))
    filters.push(`crop=${o.width - (o.width % 2)}:${o.height - (o.height % 2)}:0:0`);
  // RGB frames are converted with the BT.709 matrix (ffmpeg's default is BT.601, which the tags would contradict).
  const toVideo = o.format !== 'gif' && (o.input ?? 'rgb24') === 'rgb24' ? ['out_color_matrix=bt709', 'out_range=tv'] : [];
  const size = o.scaleTo ? [`${o.scaleTo.width}:${o.scaleTo.height}`, 'flags=bicubic'] : [];
  if (size.length || toVideo.length) filters.push(`scale=${[...size, ...toVideo].join(':')}`);

  switch (o.format) {
    case 'mp4':
      return [
        ...(filters.length ? ['-vf', filters.join(',')] : []),
        '-c:v',
        'libx264',
        '-preset',
        o.preset ?? 'veryfast',
        '-crf',
        String(x264Crf(o.quality)),
        '-pix_fmt',
        'yuv420p',
        ...BT709_TAGS,
        ...(pad.length ? ['-c:a', 'aac', '-b:a', '192k', ...pad] : []),
        '-movflags',
        '+faststart+use_metadata_tags',
        '-f',
        'mp4',
      ];
    case 'webm':
      return [
        ...(filters.length ? ['-vf', filters.join(',')] : []),
        '-c:v',
        'libvpx-vp9',
        '-crf',
        String(vp9Crf(o.quality)),
        '-b:v',
        '0',
        '-pix_fmt',
        'yuv420p',
        ...BT709_TAGS,
        '-deadline',
        'good',
        '-cpu-used',
        '4',
        '-row-mt',
        '1',
        ...(pad.length ? ['-c:a', 'libopus', '-b:a', '160k', '-ar', '48000', ...pad] : []),
        '-f',
        'webm',
      ];
    case 'gif': {
      // One palette for the whole clip, then dithered frames: far better than the fixed 256-colour default.
      const pre = filters.length ? filters.join(',') + ',' : '';
      const graph = `[0:v]${pre}split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer:bayer_scale=3[out]`;
      return ['-filter_complex', graph, '-map', '[out]', '-loop', '0', '-f', 'gif'];
    }
  }
}
