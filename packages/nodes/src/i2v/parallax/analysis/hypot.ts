/**
 * Math.hypot of two and three numbers, the same algorithm V8 uses (NaN skipped for the largest, scale by it,
 * Kahan-summed squares), so the very same doubles; as plain functions they inline into the per-cell loops, where the
 * variadic builtin is a call that boxes its result.
 */
export function hypot2(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  let max = 0;
  if (a > max) max = a;
  if (b > max) max = b;
  if (max === Infinity) return Infinity;
  if (a !== a || b !== b) return NaN;
  if (max === 0) return 0;
  let sum = 0;
  let comp = 0;
  let n = a / max;
  let summand = n * n - comp;
  let pre = sum + summand;
  comp = pre - sum - summand;
  sum = pre;
  n = b / max;
  summand = n * n - comp;
  pre = sum + summand;
  sum = pre;
  return Math.sqrt(sum) * max;
}

export function hypot3(a: number, b: number, c: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  c = Math.abs(c);
  let max = 0;
  if (a > max) max = a;
  if (b > max) max = b;
  if (c > max) max = c;
  if (max === Infinity) return Infinity;
  if (a !== a || b !== b || c !== c) return NaN;
  if (max === 0) return 0;
  let sum = 0;
  let comp = 0;
  let n = a / max;
  let summand = n * n - comp;
  let pre = sum + summand;
  comp = pre - sum - summand;
  sum = pre;
  n = b / max;
  summand = n * n - comp;
  pre = sum + summand;
  comp = pre - sum - summand;
  sum = pre;
  n = c / max;
  summand = n * n - comp;
  pre = sum + summand;
  sum = pre;
  return Math.sqrt(sum) * max;
}
