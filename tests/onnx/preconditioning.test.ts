import { describe, expect, it } from 'vitest';
import { preconditioning } from '../../packages/nodes/src/onnx/sampling/preconditioning.js';

/** EDM (Karras et al. 2022, Table 1 and Appendix B.6) properties, not values copied from the code. */
describe('preconditioning', () => {
  it('v and x0 networks: the training target has unit variance (c_skip^2 var + c_out^2 = ...) and c_in normalises the input', () => {
    for (const sigma of [0.002, 0.5, 1, 14.6, 700]) {
      for (const sd of [0.5, 1]) {
        const p = preconditioning('x0', sigma, sd);
        // Input x = y + sigma n with var(y) = sd^2 -> c_in^2 (sd^2 + sigma^2) = 1.
        expect(p.cIn ** 2 * (sd ** 2 + sigma ** 2)).toBeCloseTo(1, 12);
        // Effective target (y - c_skip x) / c_out has unit variance: ((1-c_skip)^2 sd^2 + c_skip^2 sigma^2) / c_out^2 = 1.
        expect(((1 - p.cSkip) ** 2 * sd ** 2 + p.cSkip ** 2 * sigma ** 2) / p.cOut ** 2).toBeCloseTo(1, 9);
        expect(preconditioning('v', sigma, sd).cOut).toBeCloseTo(-p.cOut, 12);
        expect(p.cNoise).toBeCloseTo(Math.log(sigma) / 4, 12);
      }
    }
  });

  it('eps: D = x - sigma * eps; flow: D = x - sigma * v with timestep sigma * 1000', () => {
    expect(preconditioning('eps', 3)).toMatchObject({ cSkip: 1, cOut: -3 });
    expect(preconditioning('flow', 0.25)).toEqual({ cSkip: 1, cOut: -0.25, cIn: 1, cNoise: 250 });
  });
});
