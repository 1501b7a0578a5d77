import { describe, expect, it } from 'vitest';
import { edmSampling, flowSampling, type ModelSampling } from '../../packages/nodes/src/onnx/sampling/model-sampling.js';
import { gaussian } from '../../packages/nodes/src/onnx/sampling/noise.js';
import { preconditioning } from '../../packages/nodes/src/onnx/sampling/preconditioning.js';
import { samplers } from '../../packages/nodes/src/onnx/sampling/samplers.js';
import { flowShift, karras } from '../../packages/nodes/src/onnx/sampling/schedulers.js';

/**
 * Samplers checked against mathematics: the data is Gaussian, x0 ~ N(MU, SD^2) per element, so the exact
 * denoiser (posterior mean) and the exact probability-flow ODE solution are known in closed form.
 */
const MU = 0.5;
const SD = 0.8;

/** VE: x = x0 + sigma n  =>  E[x0 | x] = MU + SD^2 / (SD^2 + sigma^2) (x - MU). */
function exactVe(x: Float32Array, sigma: number, out: Float32Array) {
  const a = (SD * SD) / (SD * SD + sigma * sigma);
  for (let k = 0; k < x.length; k++) out[k] = MU + a * (x[k] - MU);
}

/** RF: x = (1-s) x0 + s n. The exact velocity E[n - x0 | x], turned into D through the flow preconditioning. */
function exactFlowVelocity(x: Float32Array, s: number, out: Float32Array) {
  const varX = (1 - s) * (1 - s) * SD * SD + s * s;
  const a = ((1 - s) * SD * SD) / varX;
  const p = preconditioning('flow', s);
  for (let k = 0; k < x.length; k++) {
    const d = MU + a * (x[k] - (1 - s) * MU);
    const v = (x[k] - d) / s;
    out[k] = p.cSkip * x[k] + p.cOut * v;
  }
}

async function run(name: string, sampling: ModelSampling, sigmas: Float64Array, x: Float32Array, seed: number) {
  const exact = sampling.kind === 've' ? exactVe : exactFlowVelocity;
  let calls = 0;
  await samplers[name]({
    x,
    sigmas,
    sampling,
    seed,
    denoise: async (xin, sigma, _step, out) => {
      calls++;
      exact(xin, sigma, out);
    },
  });
  return calls;
}

/** Starts from the exact marginal at sigmas[0]. */
function start(sampling: ModelSampling, sigma0: number, seed: number, n: number): Float32Array {
  const noise = gaussian(seed, 0, n);
  const alpha = sampling.alpha(sigma0);
  const std = Math.sqrt(alpha * alpha * SD * SD + sigma0 * sigma0);
  return noise.map((z) => alpha * MU + std * z);
}

function moments(values: Float32Array[]) {
  let n = 0;
  let sum = 0;
  let sq = 0;
  for (const v of values) for (const x of v) (n++, (sum += x), (sq += x * x));
  const mean = sum / n;
  return { mean, variance: sq / n - mean * mean };
}

const STEPS_FOR_DISTRIBUTION: Record<string, number> = {
  euler: 300,
  flow_euler: 300,
  // Weak order 1: the variance error is about 16/steps here.
  euler_ancestral: 1000,
  dpmpp_2m_sde: 150,
  heun: 60,
  dpmpp_2m: 60,
};

const ve = edmSampling(0.002, 700);
const rf = flowSampling(3);
const families = [
  {
    label: 'edm (VE, karras 0.002..700)',
    sampling: ve,
    schedule: (n: number) => karras(n, ve),
    orderSteps: [8, 16, 32],
    multistepOrder: 2,
  },
  // The flow schedule starts at sigma = 1 where log-SNR is -infinity: DPM-Solver++ steps there do not shrink
  // in log-SNR as steps grow, so its order only approaches 2 slowly (measured 1.5..1.7 at 32..256 steps).
  {
    label: 'flow (RF, shift 3)',
    sampling: rf,
    schedule: (n: number) => flowShift(n, rf, { shift: 3 }),
    orderSteps: [64, 128, 256],
    multistepOrder: 1.6,
  },
];

describe.each(families)('distribution of samples, $label', ({ sampling, schedule }) => {
  const names = ['euler', 'euler_ancestral', 'heun', 'dpmpp_2m', 'dpmpp_2m_sde', 'flow_euler'];
  it.each(names)('%s gives mean MU and variance SD^2', async (name) => {
    // Enough steps that discretisation error sits well under the tolerance for each method's order.
    const steps = STEPS_FOR_DISTRIBUTION[name];
    const results: Float32Array[] = [];
    for (const seed of [1, 2, 3, 4]) {
      const sigmas = schedule(steps);
      const x = start(sampling, sigmas[0], seed, 20_000);
      await run(name, sampling, sigmas, x, seed * 7919);
      results.push(x);
    }
    const { mean, variance } = moments(results);
    // 80k samples: the standard error of the mean is 0.003, of the variance 0.003; the rest is discretisation.
    expect(Math.abs(mean - MU)).toBeLessThan(0.015);
    expect(Math.abs(variance / (SD * SD) - 1)).toBeLessThan(0.04);
  });
});

/**
 * LCM is exact only for a consistency model: with a posterior-mean denoiser each renoising loses variance
 * (with many steps it tends to half). For Gaussian data the chain is linear, so its mean and variance follow
 * in closed form: x' = alpha' D(x) + sigma' z with D(x) = MU + a (x - alpha MU).
 */
function lcmMoments(sampling: ModelSampling, sigmas: Float64Array) {
  const alpha0 = sampling.alpha(sigmas[0]);
  let mean = alpha0 * MU;
  let variance = alpha0 * alpha0 * SD * SD + sigmas[0] * sigmas[0];
  for (let i = 0; i < sigmas.length - 1; i++) {
    const s = sigmas[i];
    const alpha = sampling.alpha(s);
    const a = (alpha * SD * SD) / (alpha * alpha * SD * SD + s * s);
    const dMean = MU + a * (mean - alpha * MU);
    const dVar = a * a * variance;
    const next = sigmas[i + 1];
    const alphaNext = next === 0 ? 1 : sampling.alpha(next);
    mean = alphaNext * dMean;
    variance = alphaNext * alphaNext * dVar + next * next;
  }
  return { mean, variance };
}

describe.each(families)('lcm, $label', ({ sampling, schedule }) => {
  it('8 steps give the closed-form mean and variance of its chain', async () => {
    const sigmas = schedule(8);
    const results: Float32Array[] = [];
    for (const seed of [1, 2, 3, 4]) {
      const x = start(sampling, sigmas[0], seed, 20_000);
      await run('lcm', sampling, sigmas, x, seed * 7919);
      results.push(x);
    }
    const got = moments(results);
    const want = lcmMoments(sampling, sigmas);
    expect(Math.abs(got.mean - want.mean)).toBeLessThan(0.015);
    expect(Math.abs(got.variance / want.variance - 1)).toBeLessThan(0.03);
  });
});

/** Max error of the deterministic samplers against the exact ODE map x_T -> x_0. */
async function odeError(name: string, sampling: ModelSampling, sigmas: Float64Array): Promise<number> {
  const x = start(sampling, sigmas[0], 11, 2000);
  const alpha0 = sampling.alpha(sigmas[0]);
  const std0 = Math.sqrt(alpha0 * alpha0 * SD * SD + sigmas[0] * sigmas[0]);
  const exact = x.map((v) => MU + (SD / std0) * (v - alpha0 * MU));
  await run(name, sampling, sigmas, x, 0);
  let err = 0;
  for (let k = 0; k < x.length; k++) err = Math.max(err, Math.abs(x[k] - exact[k]));
  return err;
}

export const measuredOrders: Record<string, number> = {};

describe.each(families)('convergence order, $label', ({ label, sampling, schedule, orderSteps, multistepOrder }) => {
  it.each([
    ['euler', 1],
    ['heun', 2],
    ['dpmpp_2m', multistepOrder],
  ] as const)('%s converges at order %d', async (name, order) => {
    const steps = orderSteps;
    const errors: number[] = [];
    for (const n of steps) errors.push(await odeError(name, sampling, schedule(n)));
    const measured = Math.log2(errors[1] / errors[2]);
    measuredOrders[`${label} ${name}`] = measured;
    console.log(`order ${label} ${name}: errors ${errors.map((e) => e.toExponential(2)).join(' ')} -> ${measured.toFixed(2)}`);
    expect(errors[2]).toBeLessThan(errors[1]);
    expect(measured).toBeGreaterThan(order - 0.35);
    expect(measured).toBeLessThan(order + 0.6);
  });
});
