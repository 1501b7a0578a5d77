/**
 * What the network predicts, and how to turn its output F into the denoised estimate:
 *   D(x, sigma) = c_skip * x + c_out * F(c_in * x, c_noise)
 * EDM (Karras et al. 2022, Table 1) for eps / v / x0 networks; rectified flow as the special case
 * c_skip = 1, c_out = -sigma, c_in = 1 (x0 = x - sigma * v), with the timestep sigma * multiplier.
 */
export type Prediction = 'eps' | 'v' | 'x0' | 'flow';

export interface Preconditioning {
  cSkip: number;
  cOut: number;
  cIn: number;
  /** The timestep value the network is fed. */
  cNoise: number;
}

export function preconditioning(prediction: Prediction, sigma: number, sigmaData = 1, timestepMultiplier = 1000): Preconditioning {
  if (prediction === 'flow') return { cSkip: 1, cOut: -sigma, cIn: 1, cNoise: sigma * timestepMultiplier };
  const total = sigma * sigma + sigmaData * sigmaData;
  const cIn = 1 / Math.sqrt(total);
  const cNoise = 0.25 * Math.log(sigma);
  if (prediction === 'eps') return { cSkip: 1, cOut: -sigma, cIn, cNoise };
  const cSkip = (sigmaData * sigmaData) / total;
  const scale = (sigma * sigmaData) / Math.sqrt(total);
  return { cSkip, cOut: prediction === 'v' ? -scale : scale, cIn, cNoise };
}

/** out = c_skip * x + c_out * output, element-wise (the network output already un-batched). */
export function applyPreconditioning(p: Preconditioning, x: Float32Array, output: ArrayLike<number>, out: Float32Array): void {
  for (let k = 0; k < x.length; k++) out[k] = p.cSkip * x[k] + p.cOut * output[k];
}
