import type { ModelSampling } from './model-sampling.js';
import { gaussianNoise, NoiseStream } from './noise.js';

/**
 * Diffusion samplers in the k-diffusion form: the model is seen as a denoiser D(x, sigma) returning its
 * estimate of the clean latent; x is noised as alpha(sigma) * x0 + sigma * n (see ModelSampling).
 * Every sampler updates `x` in place and allocates its scratch arrays once, never per step.
 * Written from the equations (Karras et al. 2022; Lu et al. 2022 DPM-Solver++; Luo et al. 2023 LCM),
 * checked against k-diffusion / ComfyUI behaviour.
 */
export interface SamplerInput {
  /** The starting latent (already noised to sigmas[0]); holds the result afterwards. */
  x: Float32Array;
  sigmas: Float64Array;
  sampling: ModelSampling;
  /** Writes D(x, sigma) into `out`. `step` is the sampler step the call belongs to. */
  denoise(x: Float32Array, sigma: number, step: number, out: Float32Array): Promise<void>;
  /** Seed for the noise stochastic samplers add (stream NoiseStream.step + step). */
  seed: number;
  /** Called after each step with the latest denoised estimate (previews, progress, abort checks). */
  onStep?(step: number, steps: number, denoised: Float32Array): void | Promise<void>;
  /** Called after each step with the sigma x is now at (first-frame replacement hooks in here). */
  afterStep?(x: Float32Array, sigma: number, step: number): void;
}
export type Sampler = (input: SamplerInput) => Promise<void>;

async function finishStep(input: SamplerInput, i: number, denoised: Float32Array): Promise<void> {
  input.afterStep?.(input.x, input.sigmas[i + 1], i);
  await input.onStep?.(i, input.sigmas.length - 1, denoised);
}

function stepNoise(input: SamplerInput, i: number, out: Float32Array): void {
  gaussianNoise(input.seed, NoiseStream.step + i, out);
}

/**
 * The loop most samplers share: D(x, sigma) at each step, then `update` moves x to the next sigma; the last
 * step, to sigma 0, lands on the estimate itself.
 */
async function eachStep(
  input: SamplerInput,
  update: (i: number, sigma: number, next: number, denoised: Float32Array) => void,
): Promise<void> {
  const { x, sigmas } = input;
  const denoised = new Float32Array(x.length);
  for (let i = 0; i < sigmas.length - 1; i++) {
    const sigma = sigmas[i];
    const next = sigmas[i + 1];
    await input.denoise(x, sigma, i, denoised);
    if (next === 0) x.set(denoised);
    else update(i, sigma, next, denoised);
    await finishStep(input, i, denoised);
  }
}

/** x <- (sigma_next / sigma) x + (1 - sigma_next / sigma) D: one Euler step of dx/dsigma = (x - D) / sigma. */
function eulerTo(x: Float32Array, denoised: Float32Array, sigma: number, sigmaNext: number): void {
  const ratio = sigmaNext / sigma;
  const keep = 1 - ratio;
  for (let k = 0; k < x.length; k++) x[k] = ratio * x[k] + keep * denoised[k];
}

export const euler: Sampler = async (input) => {
  const { x, sigmas } = input;
  const denoised = new Float32Array(x.length);
  for (let i = 0; i < sigmas.length - 1; i++) {
    await input.denoise(x, sigmas[i], i, denoised);
    eulerTo(x, denoised, sigmas[i], sigmas[i + 1]);
    await finishStep(input, i, denoised);
  }
};

/** Heun's second-order method (Karras et al. 2022, Algorithm 1 without churn); last step to 0 is Euler. */
export const heun: Sampler = async (input) => {
  const { x, sigmas } = input;
  const denoised = new Float32Array(x.length);
  const denoised2 = new Float32Array(x.length);
  const x2 = new Float32Array(x.length);
  for (let i = 0; i < sigmas.length - 1; i++) {
    const sigma = sigmas[i];
    const next = sigmas[i + 1];
    await input.denoise(x, sigma, i, denoised);
    if (next === 0) {
      eulerTo(x, denoised, sigma, next);
    } else {
      x2.set(x);
      eulerTo(x2, denoised, sigma, next);
      await input.denoise(x2, next, i, denoised2);
      const dt = next - sigma;
      for (let k = 0; k < x.length; k++) {
        const d1 = (x[k] - denoised[k]) / sigma;
        const d2 = (x2[k] - denoised2[k]) / next;
        x[k] += 0.5 * (d1 + d2) * dt;
      }
    }
    await finishStep(input, i, denoised);
  }
};

/** Euler ancestral (eta = 1): a deterministic step down to sigma_down, then fresh noise up to sigma_next. */
export const eulerAncestral: Sampler = (input) => {
  const { x, sampling } = input;
  const noise = new Float32Array(x.length);
  return eachStep(input, (i, sigma, next, denoised) => {
    if (sampling.kind === 've') {
      const up = Math.min(next, Math.sqrt((next * next * (sigma * sigma - next * next)) / (sigma * sigma)));
      const down = Math.sqrt(next * next - up * up);
      eulerTo(x, denoised, sigma, down);
      stepNoise(input, i, noise);
      for (let k = 0; k < x.length; k++) x[k] += up * noise[k];
    } else {
      // Rectified flow (ComfyUI's euler_ancestral_RF with eta = 1): step to sigma_down, rescale, renoise.
      const down = next * (1 + (next / sigma - 1));
      const alphaNext = 1 - next;
      const alphaDown = 1 - down;
      const renoise = Math.sqrt(Math.max(0, next * next - (down * down * alphaNext * alphaNext) / (alphaDown * alphaDown)));
      eulerTo(x, denoised, sigma, down);
      stepNoise(input, i, noise);
      const scale = alphaNext / alphaDown;
      for (let k = 0; k < x.length; k++) x[k] = scale * x[k] + renoise * noise[k];
    }
  });
};

/** log(alpha / sigma): the half log-SNR DPM-Solver++ steps in. */
function lambdaOf(sampling: ModelSampling, sigma: number): number {
  return Math.log(sampling.alpha(sigma) / sigma);
}

/** DPM-Solver++(2M): second-order multistep in log-SNR, data prediction. */
export const dpmpp2m: Sampler = (input) => {
  const { x, sampling } = input;
  const old = new Float32Array(x.length);
  let hLast = 0;
  return eachStep(input, (i, sigma, next, denoised) => {
    const h = lambdaOf(sampling, next) - lambdaOf(sampling, sigma);
    const ratio = next / sigma;
    const coef = -sampling.alpha(next) * Math.expm1(-h);
    if (i === 0) {
      for (let k = 0; k < x.length; k++) x[k] = ratio * x[k] + coef * denoised[k];
    } else {
      const r = hLast / h;
      const a = 1 + 1 / (2 * r);
      const b = 1 / (2 * r);
      for (let k = 0; k < x.length; k++) x[k] = ratio * x[k] + coef * (a * denoised[k] - b * old[k]);
    }
    hLast = h;
    old.set(denoised);
  });
};

/** DPM-Solver++(2M) SDE, midpoint variant, eta = 1. */
export const dpmpp2mSde: Sampler = (input) => {
  const { x, sampling } = input;
  const old = new Float32Array(x.length);
  const noise = new Float32Array(x.length);
  const eta = 1;
  let hLast = 0;
  return eachStep(input, (i, sigma, next, denoised) => {
    const h = lambdaOf(sampling, next) - lambdaOf(sampling, sigma);
    const etaH = eta * h;
    const keep = (next / sigma) * Math.exp(-etaH);
    const alphaNext = sampling.alpha(next);
    const toData = -alphaNext * Math.expm1(-h - etaH);
    const correction = i === 0 ? 0 : (0.5 * toData * h) / hLast;
    const noiseScale = next * Math.sqrt(-Math.expm1(-2 * etaH));
    stepNoise(input, i, noise);
    for (let k = 0; k < x.length; k++) {
      x[k] = keep * x[k] + toData * denoised[k] + correction * (denoised[k] - old[k]) + noiseScale * noise[k];
    }
    hLast = h;
    old.set(denoised);
  });
};

/** LCM: jump to the denoised estimate, then renoise it to the next sigma. */
export const lcm: Sampler = (input) => {
  const { x, sampling } = input;
  const noise = new Float32Array(x.length);
  return eachStep(input, (i, _sigma, next, denoised) => {
    const alphaNext = sampling.alpha(next);
    stepNoise(input, i, noise);
    for (let k = 0; k < x.length; k++) x[k] = alphaNext * denoised[k] + next * noise[k];
  });
};

export const samplers: Record<string, Sampler> = {
  euler,
  euler_ancestral: eulerAncestral,
  heun,
  dpmpp_2m: dpmpp2m,
  dpmpp_2m_sde: dpmpp2mSde,
  lcm,
  /** Euler on a rectified-flow schedule: x += v * (sigma_next - sigma), v = (x - D) / sigma. */
  flow_euler: euler,
};

/** Model calls a sampler makes for a schedule of `steps` (heun calls twice except on the last step to 0). */
export function modelCallsFor(sampler: string, sigmas: Float64Array): number {
  const steps = sigmas.length - 1;
  if (sampler !== 'heun') return steps;
  let calls = 0;
  for (let i = 0; i < steps; i++) calls += sigmas[i + 1] === 0 ? 1 : 2;
  return calls;
}
