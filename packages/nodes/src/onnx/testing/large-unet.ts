import { GraphBuilder } from './onnx-graph.js';

/**
 * A randomly initialised 3D U-Net with the edm-video denoiser interface, sized like a real one in
 * parameters (about 100 M, most of them in the lowest-resolution blocks, as in real video U-Nets) for
 * benchmarks at 512x320, 14 frames. Layout and conditioning match the tiny edm test model.
 */
export interface LargeUnetOptions {
  precision?: 'fp32' | 'fp16';
  /** 3x3x3 convolutions at the lowest level (each 512 -> 512 is 7.1 M parameters). */
  midBlocks?: number;
}

const LATENT = 4;
const EMBED = 32;

export function largeEdmUnet(o: LargeUnetOptions = {}): { bytes: Uint8Array; parameters: number } {
  const g = new GraphBuilder('large_edm_unet', o.precision ?? 'fp32', 909);
  let parameters = 0;
  const w = (dims: number[], fanIn: number, scale = 1) => {
    parameters += dims.reduce((a, b) => a * b, 1);
    return g.weight(dims, fanIn, scale);
  };
  const silu = (x: string) => g.op('Mul', [x, g.op('Sigmoid', [x])]);
  const conv = (x: string, cin: number, cout: number, stride = [1, 1, 1]) =>
    g.op('Conv', [x, w([cout, cin, 3, 3, 3], cin * 27), w([cout], 1, 0.05)], { pads: [1, 1, 1, 1, 1, 1], strides: stride });
  const up = (x: string, cin: number, cout: number) =>
    g.op('ConvTranspose', [x, w([cin, cout, 1, 2, 2], cin), w([cout], 1, 0.05)], { strides: [1, 2, 2] });

  const sample = g.input('sample', 'float', ['batch', 'frames', 2 * LATENT, 'height', 'width']);
  const timestep = g.input('timestep', 'float', ['batch']);
  const context = g.input('encoder_hidden_states', 'float', ['batch', 1, EMBED]);
  const added = g.input('added_time_ids', 'float', ['batch', 3]);
  const x0 = silu(conv(g.op('Transpose', [sample], { perm: [0, 2, 1, 3, 4] }), 2 * LATENT, 64));
  const x1 = silu(conv(x0, 64, 128, [1, 2, 2]));
  const x2 = silu(conv(x1, 128, 256, [1, 2, 2]));
  let x = silu(conv(x2, 256, 512, [1, 2, 2]));
  const addedScaled = g.op('Mul', [added, g.constant([3], Float32Array.from([0.1, 0.005, 1]))]);
  const cond = g.op('Concat', [g.op('Flatten', [context], { axis: 1 }), addedScaled, g.op('Unsqueeze', [timestep, g.int64([1])])], {
    axis: 1,
  });
  const bias = g.op('Reshape', [g.op('MatMul', [cond, w([EMBED + 4, 512], EMBED + 4)]), g.int64([0, 512, 1, 1, 1])]);
  x = g.op('Add', [x, bias]);
  const blocks = o.midBlocks ?? 14;
  for (let i = 0; i < blocks; i++) x = g.op('Add', [x, g.op('Mul', [silu(conv(x, 512, 512)), g.constant([1], Float32Array.from([0.2]))])]);
  x = g.op('Add', [silu(up(x, 512, 256)), x2]);
  x = g.op('Add', [silu(up(x, 256, 128)), x1]);
  x = g.op('Add', [silu(up(x, 128, 64)), x0]);
  const out = conv(x, 64, LATENT);
  g.output(g.op('Transpose', [out], { perm: [0, 2, 1, 3, 4] }), 'out_sample', ['batch', 'frames', LATENT, 'height', 'width']);
  return { bytes: g.encode(), parameters };
}
