import { OnnxWriter, type Dim } from '../perception/converter/onnx-writer.js';

/**
 * Small real ONNX graphs for the upscaler tests (written with the converter's own writer): a bilinear 2x
 * upscaler in the NCHW 0-1 convention most exported upscalers use, and files that are not upscalers.
 */
export function bilinearUpscaler(scale = 2, dims: Dim[] = [1, 3, 'height', 'width']): Uint8Array {
  const w = new OnnxWriter();
  w.input('image', dims);
  const scales = w.float('scales', [4], new Float32Array([1, 1, scale, scale]));
  const out = w.node('Resize', ['image', '', scales], 'upscaled', { mode: 'linear', coordinate_transformation_mode: 'half_pixel' });
  w.output(out, [1, 3, 'out_height', 'out_width']);
  return w.encode('kinegraph tests', 'bilinear upscaler');
}

/** Same size out as in (a filter, not an upscaler). */
export function sameSizeFilter(): Uint8Array {
  const w = new OnnxWriter();
  w.input('image', [1, 3, 'height', 'width']);
  w.output(w.node('Relu', ['image'], 'filtered'), [1, 3, 'height', 'width']);
  return w.encode('kinegraph tests', 'relu');
}

/** Twice the size, but the picture negated: the output does not resemble the input on any scale. */
export function negatingUpscaler(): Uint8Array {
  const w = new OnnxWriter();
  w.input('image', [1, 3, 'height', 'width']);
  const scales = w.float('scales', [4], new Float32Array([1, 1, 2, 2]));
  const up = w.node('Resize', ['image', '', scales], 'up', { mode: 'nearest' });
  const k = w.float('k', [], new Float32Array([-1]));
  w.output(w.node('Mul', [up, k], 'negated'), [1, 3, 'out_height', 'out_width']);
  return w.encode('kinegraph tests', 'negated');
}

/** A vector model (a classifier-like input): not an image at all. */
export function vectorModel(): Uint8Array {
  const w = new OnnxWriter();
  w.input('features', [1, 10]);
  w.output(w.node('Relu', ['features'], 'scores'), [1, 10]);
  return w.encode('kinegraph tests', 'vector');
}
