/** An SSD anchor centre in normalised input coordinates (MediaPipe's fixed_anchor_size: w = h = 1). */
export interface Anchor {
  x: number;
  y: number;
}

/**
 * MediaPipe's SsdAnchorsCalculator for the face detectors: consecutive layers with the same stride share a
 * grid, each layer adds 2 anchors per cell (aspect ratio 1 plus the interpolated scale), anchor offset 0.5.
 * Order: grid by grid, then row, column, anchor - the order of the model's outputs.
 */
export function ssdAnchors(inputSize: number, strides: readonly number[]): Anchor[] {
  const anchors: Anchor[] = [];
  let layer = 0;
  while (layer < strides.length) {
    let last = layer;
    while (last < strides.length && strides[last] === strides[layer]) last++;
    const perCell = 2 * (last - layer);
    const grid = Math.ceil(inputSize / strides[layer]);
    for (let y = 0; y < grid; y++) {
      for (let x = 0; x < grid; x++) {
        for (let a = 0; a < perCell; a++) anchors.push({ x: (x + 0.5) / grid, y: (y + 0.5) / grid });
      }
    }
    layer = last;
  }
  return anchors;
}
