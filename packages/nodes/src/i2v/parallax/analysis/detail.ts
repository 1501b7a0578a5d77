import { gaussBlur } from '../filters.js';

/**
 * Texture energy of the background (quarter resolution), spread into the subject's hole: how much detail
 * synthesized areas need. A blur of the energy outside the subject, normalized by the blurred coverage.
 */
export function detailField(fine: Float32Array, subject: Float32Array, qw: number, qh: number): Float32Array {
  const keep = new Float32Array(qw * qh);
  const weighted = new Float32Array(qw * qh);
  outsideSubject(fine, subject, keep, weighted);
  const num = gaussBlur(weighted, qw, qh, 6);
  const den = gaussBlur(keep, qw, qh, 6);
  return ratio(num, den);
}

function outsideSubject(fine: Float32Array, subject: Float32Array, keep: Float32Array, weighted: Float32Array): void {
  for (let i = 0; i < keep.length; i++) {
    keep[i] = 1 - subject[i];
    weighted[i] = fine[i] * keep[i];
  }
}

function ratio(num: Float32Array, den: Float32Array): Float32Array {
  const out = new Float32Array(num.length);
  for (let i = 0; i < out.length; i++) out[i] = den[i] > 1e-3 ? num[i] / den[i] : 0;
  return out;
}

/** Mean of `values` where `where` > 0.5, or `fallback` when there is no such cell. */
export function meanWhere(values: Float32Array, where: Float32Array, fallback: number): number {
  let sum = 0;
  let cnt = 0;
  for (let i = 0; i < where.length; i++) {
    if (where[i] > 0.5) {
      sum += values[i];
      cnt++;
    }
  }
  return cnt ? sum / cnt : fallback;
}
