import type { VideoValue } from '../../values/video.js';

/** Frame pairs sampled to judge the pace (each pair two neighbouring frames). */
const PAIRS = 3;

/**
 * How busy the clip's motion is, 0 (still) .. 1 (fast): the mean luminance change between neighbouring
 * frames at three places in the clip, per second, on a coarse grid of pixels. (Each pair costs two frames
 * of a lazy source, that is two renders, so few are taken.) Auto tempo places the mood's tempo range by
 * it: a slow push-in gets the slow end, a lively pan the quick one.
 */
export async function videoPace(video: VideoValue, signal?: AbortSignal): Promise<number> {
  if (video.frameCount < 2) return 0.5;
  const stride = Math.max(1, Math.floor(Math.max(video.width, video.height) / 96));
  let total = 0;
  let count = 0;
  for (let k = 0; k < PAIRS; k++) {
    signal?.throwIfAborted();
    const i = Math.min(video.frameCount - 2, Math.floor(((k + 0.5) / PAIRS) * (video.frameCount - 1)));
    const a = await video.frameAt(i);
    const b = await video.frameAt(i + 1);
    let diff = 0;
    let n = 0;
    for (let y = 0; y < video.height; y += stride) {
      for (let x = 0; x < video.width; x += stride) {
        const p = (y * video.width + x) * 3;
        const la = 0.2126 * a[p] + 0.7152 * a[p + 1] + 0.0722 * a[p + 2];
        const lb = 0.2126 * b[p] + 0.7152 * b[p + 1] + 0.0722 * b[p + 2];
        diff += Math.abs(la - lb);
        n++;
      }
    }
    total += diff / n;
    count++;
  }
  // Levels per frame pair, scaled to per second: about 10 luma steps a second reads as calm, 150 as brisk.
  const perSecond = (total / count) * video.fps;
  const pace = Math.log(Math.max(1, perSecond) / 10) / Math.log(15);
  return Math.min(1, Math.max(0, pace));
}
