export type ResizeFit = 'fit' | 'crop' | 'pad' | 'stretch';

/**
 * Output size for a resize: width/height 0 means "from the aspect ratio" (both 0: keep the size); every
 * side is rounded to the nearest multiple (at least one multiple). 'fit' keeps the whole picture inside
 * the box, so its size follows the picture's aspect ratio; the others fill the box exactly.
 */
export function resizePlan(
  source: { width: number; height: number },
  box: { width: number; height: number },
  fit: ResizeFit,
  multipleOf: number,
): { width: number; height: number } {
  const round = (v: number) => Math.max(multipleOf, Math.round(v / multipleOf) * multipleOf);
  const aspect = source.width / source.height;
  let w = box.width;
  let h = box.height;
  if (!w && !h) {
    w = source.width;
    h = source.height;
  } else if (!w) {
    w = h * aspect;
  } else if (!h) {
    h = w / aspect;
  } else if (fit === 'fit') {
    const scale = Math.min(w / source.width, h / source.height);
    w = source.width * scale;
    h = source.height * scale;
  }
  return { width: round(w), height: round(h) };
}
