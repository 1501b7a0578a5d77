import { shiftSigma, type ModelSampling } from './model-sampling.js';

/**
 * Noise schedules: `steps + 1` descending sigmas ending in 0 (k-diffusion / ComfyUI conventions).
 * Formulas follow Karras et al. 2022 (eq. 5) and ComfyUI's comfy/samplers.py; this is our own code.
 */
export type Scheduler = (steps: number, sampling: ModelSampling, options?: SchedulerOptions) => Float64Array;
export interface SchedulerOptions {
  /** Karras rho (default 7). */
  rho?: number;
  /** Flow shift for 'flow_shift' (default: the model's own, given by the family). */
  shift?: number;
}

function withZero(values: number[]): Float64Array {
  return Float64Array.from([...values, 0]);
}

function linspace(a: number, b: number, n: number): number[] {
  if (n === 1) return [a];
  return Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}

export const karras: Scheduler = (steps, s, o) => {
  const rho = o?.rho ?? 7;
  const maxInv = s.sigmaMax ** (1 / rho);
  const minInv = s.sigmaMin ** (1 / rho);
  return withZero(linspace(0, 1, steps).map((r) => (maxInv + r * (minInv - maxInv)) ** rho));
};

export const exponential: Scheduler = (steps, s) => withZero(linspace(Math.log(s.sigmaMax), Math.log(s.sigmaMin), steps).map(Math.exp));

/** Evenly spaced in the model's timestep. */
export const normal: Scheduler = (steps, s) =>
  withZero(linspace(s.timestep(s.sigmaMax), s.timestep(s.sigmaMin), steps).map((t) => s.sigmaAt(t)));

/** Like normal with steps + 1 points, dropping the last (the SGM "uniform" spacing). */
export const sgmUniform: Scheduler = (steps, s) =>
  withZero(
    linspace(s.timestep(s.sigmaMax), s.timestep(s.sigmaMin), steps + 1)
      .slice(0, steps)
      .map((t) => s.sigmaAt(t)),
  );

/** Walks the model's sigma table from the top in equal strides. */
export const simple: Scheduler = (steps, s) => {
  const table = s.sigmaTable();
  const stride = table.length / steps;
  return withZero(Array.from({ length: steps }, (_, i) => table[table.length - 1 - Math.floor(i * stride)]));
};

/** Rectified-flow schedule: t evenly from 1 to 0, then shifted (Wan / SD3 / LTX style). */
export const flowShift: Scheduler = (steps, _s, o) => {
  const shift = o?.shift ?? 1;
  return Float64Array.from(linspace(1, 0, steps + 1).map((t) => shiftSigma(shift, t)));
};

export const schedulers: Record<string, Scheduler> = {
  karras,
  exponential,
  normal,
  simple,
  sgm_uniform: sgmUniform,
  flow_shift: flowShift,
};

export function schedulerNames(): string[] {
  return Object.keys(schedulers);
}
