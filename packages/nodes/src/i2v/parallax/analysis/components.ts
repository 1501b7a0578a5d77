/** Labels 4-connected components of a binary mask; returns labels (0 = background) and their sizes. */
export function connectedComponents(mask: Uint8Array, w: number, h: number): { labels: Int32Array; sizes: number[] } {
  const labels = new Int32Array(w * h);
  const sizes: number[] = [0];
  // Depth-first flood fill; every cell is pushed at most once, so w·h slots always suffice.
  const stack = new Int32Array(w * h);
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    const id = sizes.length;
    labels[start] = id;
    sizes.push(flood(mask, labels, stack, start, id, w, h));
  }
  return { labels, sizes };
}

/** Labels the component of `start` with id; returns its size. */
function flood(mask: Uint8Array, labels: Int32Array, stack: Int32Array, start: number, id: number, w: number, h: number): number {
  let top = 0;
  let size = 0;
  stack[top++] = start;
  while (top > 0) {
    const i = stack[--top];
    size++;
    const x = i % w;
    const y = (i / w) | 0;
    if (x > 0 && mask[i - 1] && !labels[i - 1]) ((labels[i - 1] = id), (stack[top++] = i - 1));
    if (x < w - 1 && mask[i + 1] && !labels[i + 1]) ((labels[i + 1] = id), (stack[top++] = i + 1));
    if (y > 0 && mask[i - w] && !labels[i - w]) ((labels[i - w] = id), (stack[top++] = i - w));
    if (y < h - 1 && mask[i + w] && !labels[i + w]) ((labels[i + w] = id), (stack[top++] = i + w));
  }
  return size;
}
