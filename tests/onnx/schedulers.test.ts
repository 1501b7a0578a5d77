import { describe, expect, it } from 'vitest';
import { edmSampling, flowSampling, shiftSigma } from '../../packages/nodes/src/onnx/sampling/model-sampling.js';
import {
  exponential,
  flowShift,
  karras,
  normal,
  schedulers,
  sgmUniform,
  simple,
} from '../../packages/nodes/src/onnx/sampling/schedulers.js';

const edm = edmSampling(0.002, 700);
const flow = flowSampling(3);

describe('schedulers', () => {
  it('every scheduler gives steps + 1 descending sigmas ending in 0', () => {
    for (const [name, schedule] of Object.entries(schedulers)) {
      for (const sampling of [edm, flow]) {
        const s = schedule(10, sampling, { shift: 3 });
        expect(s.length, name).toBe(11);
        expect(s[10], name).toBe(0);
        for (let i = 0; i < 10; i++) expect(s[i], name).toBeGreaterThan(s[i + 1]);
      }
    }
  });

  it('karras follows Karras et al. eq. 5 (rho 7)', () => {
    const s = karras(5, edm);
    expect(s[0]).toBeCloseTo(700, 9);
    expect(s[4]).toBeCloseTo(0.002, 12);
    const mid = (700 ** (1 / 7) + 0.5 * (0.002 ** (1 / 7) - 700 ** (1 / 7))) ** 7;
    expect(s[2]).toBeCloseTo(mid, 9);
    // rho = 1 is linear spacing
    const lin = karras(3, edmSampling(1, 3), { rho: 1 });
    expect([...lin]).toEqual([3, 2, 1, 0]);
  });

  it('exponential is log-uniform; normal on an EDM model equals it (c_noise is linear in log sigma)', () => {
    const e = exponential(6, edm);
    const ratios = Array.from({ length: 5 }, (_, i) => e[i + 1] / e[i]);
    for (const r of ratios) expect(r).toBeCloseTo(ratios[0], 10);
    const n = normal(6, edm);
    for (let i = 0; i < 7; i++) expect(n[i]).toBeCloseTo(e[i], 9);
  });

  it('sgm_uniform spaces steps + 1 timesteps and drops the last', () => {
    const s = sgmUniform(4, edm);
    const tMax = 0.25 * Math.log(700);
    const tMin = 0.25 * Math.log(0.002);
    expect(s[1]).toBeCloseTo(Math.exp(4 * (tMax + (tMin - tMax) / 4)), 9);
    expect(s[3]).toBeGreaterThan(0.002);
  });

  it('simple walks the model sigma table from the top', () => {
    const table = flow.sigmaTable();
    const s = simple(4, flow);
    expect([...s]).toEqual([table[999], table[749], table[499], table[249], 0]);
  });

  it('flow_shift is the shifted linear schedule; shift 1 is linear', () => {
    expect([...flowShift(4, flow, { shift: 1 })]).toEqual([1, 0.75, 0.5, 0.25, 0]);
    const s = flowShift(4, flow, { shift: 3 });
    expect(s[2]).toBeCloseTo((3 * 0.5) / (1 + 2 * 0.5), 12);
    expect(shiftSigma(3, 0.25)).toBeCloseTo(0.5, 12);
  });
});
