/** Labels 4-connected components of a binary mask; returns labels (0 = background) and their sizes. */
export function connectedComponents(mask: Uint8Array, w: number, h: number): { labels: Int32Array; sizes: number[] } {
  const labels = new Int32Array(w * h);
  const sizes: number[] = [0];
  const stack: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    const id = sizes.length;
    let size = 0;
    labels[start] = id;
    stack.push(start);
    while (stack.length) {
      const i = stack.pop()!;
      size++;
      const x = i % w;
      const y = (i / w) | 0;
      if (x > 0 && mask[i - 1] && !labels[i - 1]) (labels[i - 1] = id), stack.push(i - 1);
      if (x < w - 1 && mask[i + 1] && !labels[i + 1]) (labels[i + 1] = id), stack.push(i + 1);
      if (y > 0 && mask[i - w] && !labels[i - w]) (labels[i - w] = id), stack.push(i - w);
      if (y < h - 1 && mask[i + w] && !labels[i + w]) (labels[i + w] = id), stack.push(i + w);
    }
    sizes.push(size);
  }
  return { labels, sizes };
}
