/**
 * How a family adds noise, and how its sigma maps to the model's timestep. Samplers only see this.
 *  - 've' (variance exploding, EDM): x = x0 + sigma * n.
 *  - 'rf' (rectified flow): x = (1 - sigma) * x0 + sigma * n, sigma in [0, 1].
 */
export interface ModelSampling {
  kind: 've' | 'rf';
  sigmaMin: number;
  sigmaMax: number;
  /** Scale of the clean signal at sigma. */
  alpha(sigma: number): number;
  /** The timestep the schedulers 'normal'/'sgm_uniform' space evenly, and its inverse. */
  timestep(sigma: number): number;
  sigmaAt(timestep: number): number;
  /** The model's discrete sigma table, ascending (the 'simple' scheduler walks it). */
  sigmaTable(): Float64Array;
}

const TABLE_SIZE = 1000;

/** EDM: c_noise = 0.25 ln(sigma) is the timestep; the table is log-uniform between the sigma bounds. */
export function edmSampling(sigmaMin: number, sigmaMax: number): ModelSampling {
  return {
    kind: 've',
    sigmaMin,
    sigmaMax,
    alpha: () => 1,
    timestep: (sigma) => 0.25 * Math.log(sigma),
    sigmaAt: (t) => Math.exp(t / 0.25),
    sigmaTable: () => {
      const table = new Float64Array(TABLE_SIZE);
      const a = Math.log(sigmaMin);
      const b = Math.log(sigmaMax);
      for (let i = 0; i < TABLE_SIZE; i++) table[i] = Math.exp(a + ((b - a) * i) / (TABLE_SIZE - 1));
      return table;
    },
  };
}

/** Time shift of SD3/Flux/Wan: sigma = shift t / (1 + (shift - 1) t). */
export function shiftSigma(shift: number, t: number): number {
  return (shift * t) / (1 + (shift - 1) * t);
}

/** Rectified flow with a shifted schedule; the timestep is sigma * multiplier (usually 1000). */
export function flowSampling(shift: number, multiplier = 1000): ModelSampling {
  const sigmaAt = (timestep: number) => shiftSigma(shift, timestep / multiplier);
  return {
    kind: 'rf',
    sigmaMin: sigmaAt(multiplier / TABLE_SIZE),
    sigmaMax: 1,
    alpha: (sigma) => 1 - sigma,
    timestep: (sigma) => sigma * multiplier,
    sigmaAt,
    sigmaTable: () => {
      const table = new Float64Array(TABLE_SIZE);
      for (let i = 0; i < TABLE_SIZE; i++) table[i] = sigmaAt(((i + 1) / TABLE_SIZE) * multiplier);
      return table;
    },
  };
}
