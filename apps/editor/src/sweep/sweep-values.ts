import { expandVariants, parseSweep, VariantSyntaxError, type VariantAxis } from '@kinegraph/graph-core';
import type { SubmitRunBody } from '@kinegraph/runtime/protocol';
import type { ParamHint } from '../api/types.js';

/**
 * What the user entered for one swept parameter (kept apart from the document: a sweep is how to run it, not
 * part of the graph). `sweep`: values as typed; `each`: files of the input folder, one run each.
 */
export type SweepDraft =
  { nodeId: string; param: string; kind: 'sweep'; text: string } | { nodeId: string; param: string; kind: 'each'; files: string[] };

export type SweepStyle = 'number' | 'choice' | 'lines';

/** How a parameter is swept, from its widget; undefined: it is not (a toggle, a model, a camera path, JSON). */
export function sweepStyle(hint: ParamHint): SweepStyle | 'each' | undefined {
  if (hint.role === 'file') return 'each';
  if (hint.widget === 'number' || hint.widget === 'slider' || hint.widget === 'seed') return 'number';
  if (hint.widget === 'choice') return 'choice';
  if (hint.widget === 'text' || hint.widget === 'multiline') return 'lines';
  return undefined;
}

/** What a new sweep starts from: a seed and the next two, every choice, the text as it is. */
export function initialText(hint: ParamHint, value: unknown): string {
  const style = sweepStyle(hint);
  if (style === 'number')
    return hint.widget === 'seed' && typeof value === 'number' ? `${value}..${value + 2}` : String(value ?? hint.default ?? '');
  if (style === 'choice') return (hint.choices ?? []).join(', ');
  return String(value ?? '');
}

export type AxisResult =
  { ok: true; axis: VariantAxis; request: string | { param: string; values: Array<string | number> } } | { ok: false; message: string };

/** One sweep's values, checked against its parameter (range, list, or one value a line for text). */
export function sweepAxis(d: Extract<SweepDraft, { kind: 'sweep' }>, hint: ParamHint): AxisResult {
  const key = `${d.nodeId}.${d.param}`;
  const style = sweepStyle(hint);
  if (style === 'lines') {
    const values = d.text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    if (!values.length) return { ok: false, message: 'enter one value a line' };
    return { ok: true, axis: { nodeId: d.nodeId, param: d.param, kind: 'sweep', values }, request: { param: key, values } };
  }
  // Numbers and choices hold no commas: the command line's own syntax (a range, or a list).
  const text = d.text
    .split(/[\r\n,]+/)
    .map((v) => v.trim())
    .filter(Boolean)
    .join(',');
  if (!text) return { ok: false, message: style === 'number' ? 'enter values: 1..8, or 1, 2, 5' : 'enter values: a, b, c' };
  let axis: VariantAxis;
  try {
    axis = parseSweep(`${key}=${text}`);
  } catch (e) {
    if (e instanceof VariantSyntaxError) return { ok: false, message: e.message.replace(/^--sweep "[^"]*": /, '') };
    throw e;
  }
  if (style === 'number') {
    const bad = axis.values.find((v) => !Number.isFinite(Number(v)));
    if (bad !== undefined) return { ok: false, message: `"${bad}" is not a number` };
    const out = axis.values.find(
      (v) => (hint.min !== undefined && Number(v) < hint.min) || (hint.max !== undefined && Number(v) > hint.max),
    );
    if (out !== undefined) return { ok: false, message: `${out} is outside ${hint.min ?? '…'}..${hint.max ?? '…'}` };
    axis = { ...axis, values: axis.values.map(Number) };
  } else if (style === 'choice' && hint.choices) {
    const bad = axis.values.find((v) => !hint.choices!.includes(String(v)));
    if (bad !== undefined) return { ok: false, message: `"${bad}" is not one of ${hint.choices.join(', ')}` };
  }
  return { ok: true, axis, request: `${key}=${text}` };
}

/**
 * The chosen files as the API's `each` pattern: `folder/{a.jpg,b.jpg}` (the server matches it against its input
 * folder, sorted). One folder only: a glob's alternatives stay inside one path segment.
 */
export function eachPattern(
  d: Extract<SweepDraft, { kind: 'each' }>,
): { ok: true; pattern: string; files: string[] } | { ok: false; message: string } {
  const files = [...new Set(d.files)].sort();
  if (!files.length) return { ok: false, message: 'pick or upload the files to run on' };
  const dirOf = (f: string) => (f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '');
  const dirs = new Set(files.map(dirOf));
  if (dirs.size > 1)
    return {
      ok: false,
      message: `pick files of one folder (these are in ${[...dirs].map((x) => x || 'the upload folder').join(' and ')})`,
    };
  const names = files.map((f) => f.slice(dirOf(f).length ? dirOf(f).length + 1 : 0));
  const odd = names.find((n) => /[,{}]/.test(n));
  if (odd) return { ok: false, message: `${odd}: a name with , { or } can not be picked (rename it)` };
  const dir = [...dirs][0]!;
  return { ok: true, pattern: `${d.nodeId}.${d.param}=${dir ? dir + '/' : ''}{${names.join(',')}}`, files };
}

export type SweepPlan =
  | { ok: true; count: number; body: Pick<SubmitRunBody, 'sweep' | 'each' | 'zip'>; labels: string[] }
  | { ok: false; message: string; key?: string };

/** Every sweep and for-each as the run request's `sweep`/`each`/`zip`, and how many runs that makes. */
export function planSweep(drafts: SweepDraft[], hintOf: (d: SweepDraft) => ParamHint | undefined, zip: boolean): SweepPlan {
  const sweep: NonNullable<SubmitRunBody['sweep']> = [];
  const each: string[] = [];
  const axes: VariantAxis[] = [];
  for (const d of drafts) {
    const key = `${d.nodeId}.${d.param}`;
    const hint = hintOf(d);
    if (!hint) continue;
    if (d.kind === 'each') {
      const e = eachPattern(d);
      if (!e.ok) return { ok: false, message: `${key}: ${e.message}`, key };
      each.push(e.pattern);
      axes.push({ nodeId: d.nodeId, param: d.param, kind: 'each', values: e.files });
    } else {
      const a = sweepAxis(d, hint);
      if (!a.ok) return { ok: false, message: `${key}: ${a.message}`, key };
      sweep.push(a.request);
      axes.push(a.axis);
    }
  }
  if (!axes.length) return { ok: true, count: 1, body: {}, labels: [] };
  // The server expands each patterns first, then sweeps: the same order here gives the same count and order.
  const ordered = [...axes.filter((a) => a.kind === 'each'), ...axes.filter((a) => a.kind === 'sweep')];
  let count: number;
  try {
    count = expandVariants(ordered, { zip }).length;
  } catch (e) {
    if (e instanceof VariantSyntaxError) return { ok: false, message: e.message.replace(/--zip/g, 'zip') };
    throw e;
  }
  return {
    ok: true,
    count,
    body: { ...(sweep.length ? { sweep } : {}), ...(each.length ? { each } : {}), ...(zip && axes.length > 1 ? { zip } : {}) },
    labels: ordered.map((a) => `${a.param} (${a.values.length})`),
  };
}
