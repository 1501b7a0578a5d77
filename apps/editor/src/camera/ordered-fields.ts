/**
 * Field pairs a JSON Schema object declares ordered ("x-ordered": [{ earlier, later, message }]), a rule JSON
 * Schema itself cannot state: the node's zod schema refines the same pair with the same message, so the editor
 * refuses what the server would, in its words. Fields left out count at their schema default.
 */
type J = Record<string, any>;

export interface OrderIssue {
  path: string;
  message: string;
}

export function orderIssues(schema: unknown, value: unknown, at: (string | number)[] = []): OrderIssue[] {
  const s = (schema ?? {}) as J;
  const out: OrderIssue[] = [];
  if (Array.isArray(value)) {
    if (s.items && typeof s.items === 'object') value.forEach((v, i) => out.push(...orderIssues(s.items, v, [...at, i])));
    return out;
  }
  if (!value || typeof value !== 'object') return out;
  const v = value as J;
  const props = (s.properties ?? {}) as J;
  const num = (name: string): number | undefined => {
    const x = v[name] ?? props[name]?.default;
    return typeof x === 'number' ? x : undefined;
  };
  for (const rule of Array.isArray(s['x-ordered']) ? (s['x-ordered'] as J[]) : []) {
    const a = num(rule.earlier);
    const b = num(rule.later);
    if (a !== undefined && b !== undefined && b < a) out.push({ path: [...at, rule.later].join('.'), message: String(rule.message) });
  }
  for (const [name, sub] of Object.entries(props)) if (name in v) out.push(...orderIssues(sub, v[name], [...at, name]));
  return out;
}
