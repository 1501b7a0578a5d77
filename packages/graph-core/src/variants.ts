import type { z } from 'zod';
import { ErrorCode, type GraphIssue } from './errors.js';
import type { NodeRegistry } from './registry.js';

/**
 * Variants of one workflow: `--sweep node.param=1..8`, `--sweep node.param=a,b,c`, `--sweep node.param=@list.txt`
 * and `--each node.param=<files>` become axes; the axes expand into a cartesian product (or, zipped, one
 * variant per position). Pure and Node-free so the CLI and the server expand a request the same way; reading
 * an @file or a glob is the caller's (it passes the text or the file names in).
 */

export type VariantValue = string | number;

export interface VariantAxis {
  nodeId: string;
  param: string;
  /** 'each': the values are file names (the file name suffix then uses the base name). */
  kind: 'sweep' | 'each';
  values: VariantValue[];
}

export interface VariantSetting {
  nodeId: string;
  param: string;
  value: VariantValue;
  kind: 'sweep' | 'each';
}

export interface Variant {
  index: number;
  settings: VariantSetting[];
}

/** A bad --sweep/--each/--zip: the message names the option text and what shape it should have. */
export class VariantSyntaxError extends Error {
  override name = 'VariantSyntaxError';
}

/** No run should fan out into more variants than this from one command (a typo like 1..100000 is refused). */
export const MAX_VARIANTS = 1000;
const MAX_RANGE = 10_000;

function splitKey(text: string, option: string): { nodeId: string; param: string; rest: string } {
  const eq = text.indexOf('=');
  const key = eq < 0 ? text : text.slice(0, eq);
  // The node id is everything before the last '.' (ids may hold dots), as for --set.
  const dot = key.lastIndexOf('.');
  if (eq < 0 || dot <= 0 || dot === key.length - 1) {
    throw new VariantSyntaxError(`${option} "${text}" should look like <nodeId>.<param>=<values>`);
  }
  return { nodeId: key.slice(0, dot), param: key.slice(dot + 1), rest: text.slice(eq + 1) };
}

export interface ParseSweepOptions {
  /** Reads the text of `@name` (one value a line). Absent: @lists are refused (the server reads no files for a request). */
  readList?: (name: string) => string;
}

/** `a..b` (integers, inclusive, either direction), `a..b:step`, `x,y,z`, or `@file` (one value a line, # comments). */
export function parseSweep(text: string, o: ParseSweepOptions = {}): VariantAxis {
  const { nodeId, param, rest } = splitKey(text, '--sweep');
  const where = `--sweep "${text}"`;
  let values: VariantValue[];
  const range = /^\s*(-?\d+)\s*\.\.\s*(-?\d+)\s*(?::\s*(\d+)\s*)?$/.exec(rest);
  if (rest.startsWith('@')) {
    const name = rest.slice(1);
    if (!name) throw new VariantSyntaxError(`${where}: name the list file after @`);
    if (!o.readList) throw new VariantSyntaxError(`${where}: @file lists are read by the command line only; send the values themselves`);
    values = o
      .readList(name)
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    if (!values.length) throw new VariantSyntaxError(`${where}: ${name} holds no values (one a line; blank and # lines are skipped)`);
  } else if (range) {
    const [a, b] = [Number(range[1]), Number(range[2])];
    const step = range[3] === undefined ? 1 : Number(range[3]);
    if (step < 1) throw new VariantSyntaxError(`${where}: the step after ':' must be 1 or more`);
    const count = Math.floor(Math.abs(b - a) / step) + 1;
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || count > MAX_RANGE) {
      throw new VariantSyntaxError(`${where}: a range may hold at most ${MAX_RANGE} values`);
    }
    const dir = b >= a ? 1 : -1;
    values = Array.from({ length: count }, (_, i) => a + dir * i * step);
  } else if (/^\s*-?[\d.]+\s*\.\./.test(rest)) {
    throw new VariantSyntaxError(`${where}: a range is two whole numbers like 1..8 (or 1..8:2 for a step)`);
  } else {
    values = rest.split(',').map((v) => v.trim());
    if (values.some((v) => v === '')) {
      throw new VariantSyntaxError(
        `${where}: an empty value in the list (use a,b,c; for text holding commas put one value a line in a file and use @file)`,
      );
    }
  }
  return { nodeId, param, kind: 'sweep', values };
}

/** `node.param=<pattern>`: the caller expands the pattern (a glob) into file names. */
export function parseEach(text: string): { nodeId: string; param: string; pattern: string } {
  const { nodeId, param, rest } = splitKey(text, '--each');
  if (!rest.trim()) throw new VariantSyntaxError(`--each "${text}": give a file pattern after '=', like photos/*.jpg`);
  return { nodeId, param, pattern: rest };
}

/** The axes as variants: cartesian (the first axis changes slowest) or, zipped, position by position. */
export function expandVariants(axes: VariantAxis[], o: { zip?: boolean } = {}): Variant[] {
  if (!axes.length) return [{ index: 0, settings: [] }];
  const seen = new Set<string>();
  for (const a of axes) {
    const key = `${a.nodeId}.${a.param}`;
    if (seen.has(key)) throw new VariantSyntaxError(`${key} is swept twice; give all its values in one --sweep`);
    seen.add(key);
  }
  const setting = (a: VariantAxis, i: number): VariantSetting => ({ nodeId: a.nodeId, param: a.param, value: a.values[i], kind: a.kind });
  if (o.zip) {
    const n = axes[0].values.length;
    const odd = axes.find((a) => a.values.length !== n);
    if (odd) {
      const sizes = axes.map((a) => `${a.nodeId}.${a.param}: ${a.values.length}`).join(', ');
      throw new VariantSyntaxError(`--zip needs the same number of values on every axis (${sizes})`);
    }
    if (n > MAX_VARIANTS) throw new VariantSyntaxError(`${n} variants; at most ${MAX_VARIANTS} in one go`);
    return Array.from({ length: n }, (_, i) => ({ index: i, settings: axes.map((a) => setting(a, i)) }));
  }
  const total = axes.reduce((n, a) => n * a.values.length, 1);
  if (total > MAX_VARIANTS) {
    throw new VariantSyntaxError(`${axes.map((a) => a.values.length).join(' x ')} = ${total} variants; at most ${MAX_VARIANTS} in one go`);
  }
  const out: Variant[] = [];
  for (let index = 0; index < total; index++) {
    let rest = index;
    const settings: VariantSetting[] = new Array(axes.length);
    for (let k = axes.length - 1; k >= 0; k--) {
      const n = axes[k].values.length;
      settings[k] = setting(axes[k], rest % n);
      rest = Math.floor(rest / n);
    }
    out.push({ index, settings });
  }
  return out;
}

function baseName(file: string): string {
  const last = file.split(/[\\/]/).pop() ?? file;
  const dot = last.lastIndexOf('.');
  return dot > 0 ? last.slice(0, dot) : last;
}

/** `{ "denoise.seed": 1, ... }`: what a variant changed, for history entries, JSON events and embedded meta. */
export function variantParams(v: Variant): Record<string, VariantValue> {
  return Object.fromEntries(v.settings.map((s) => [`${s.nodeId}.${s.param}`, s.value]));
}

/** `seed=1, motion=low`: a short human label (grids, titles). */
export function variantLabel(v: Variant): string {
  return v.settings.map((s) => `${s.param}=${s.kind === 'each' ? baseName(String(s.value)) : s.value}`).join(', ');
}

/** `seed-1_motion-low`: a file-name-safe suffix; each value cut to 24 characters. */
export function variantSuffix(v: Variant): string {
  const safe = (t: string) =>
    t
      .replace(/[^A-Za-z0-9.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 24) || 'x';
  return v.settings.map((s) => `${safe(s.param)}-${safe(s.kind === 'each' ? baseName(String(s.value)) : String(s.value))}`).join('_');
}

/** JSON when it parses and fits the parameter, else the text itself (as for --set). */
export function chooseVariantValue(raw: VariantValue, schema?: z.ZodType): unknown {
  if (typeof raw === 'number') return raw;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return raw;
  }
  if (schema && !schema.safeParse(parsed).success && schema.safeParse(raw).success) return raw;
  return parsed;
}

function defaultText(schema: z.ZodType): string {
  const d = schema.safeParse(undefined);
  return d.success && typeof d.data === 'string' ? d.data : 'kinegraph';
}

export interface AppliedVariant {
  doc: unknown;
  problems: GraphIssue[];
  /** `"node.param"` -> the value as set (a list's "32" is the number 32 for a number parameter). */
  params: Record<string, unknown>;
}

type LooseNode = { type?: unknown; params?: Record<string, unknown>; inputs?: Record<string, unknown> };

/**
 * A copy of the document with the variant's values set, every output node's filename_prefix suffixed (so the
 * variants' files are told apart by name) and `meta.variant` recording the values (embedded in every file written).
 * An unknown node or parameter is a problem naming what exists; the values are validated later with the document.
 */
export function applyVariant(doc: unknown, v: Variant, registry: NodeRegistry): AppliedVariant {
  if (!v.settings.length) return { doc, problems: [], params: {} };
  const copy = structuredClone(doc) as { nodes?: Record<string, LooseNode>; meta?: Record<string, unknown> };
  const nodes = copy && typeof copy === 'object' && copy.nodes && typeof copy.nodes === 'object' ? copy.nodes : undefined;
  const problems: GraphIssue[] = [];
  const set: Record<string, unknown> = {};
  for (const s of v.settings) {
    const node = nodes && Object.hasOwn(nodes, s.nodeId) ? nodes[s.nodeId] : undefined;
    if (!node || typeof node !== 'object') {
      const ids = nodes ? Object.keys(nodes).join(', ') : '';
      problems.push({
        code: ErrorCode.unknownTarget,
        nodeId: s.nodeId,
        message: `--${s.kind}: no node "${s.nodeId}" in the workflow${ids ? ` (nodes: ${ids})` : ''}`,
      });
      continue;
    }
    const def = typeof node.type === 'string' ? registry.get(node.type) : undefined;
    const schema = def?.params[s.param];
    if (def && !schema) {
      const known = Object.keys(def.params).join(', ');
      problems.push({
        code: ErrorCode.unknownParam,
        nodeId: s.nodeId,
        field: s.param,
        message: `--${s.kind}: ${def.type} has no parameter "${s.param}"${known ? ` (parameters: ${known})` : ''}`,
      });
      continue;
    }
    const params = node.params && typeof node.params === 'object' ? node.params : {};
    params[s.param] = set[`${s.nodeId}.${s.param}`] = chooseVariantValue(s.value, schema);
    node.params = params;
    if (node.inputs && typeof node.inputs === 'object' && Object.hasOwn(node.inputs, s.param)) delete node.inputs[s.param];
  }
  const suffix = variantSuffix(v);
  for (const node of Object.values(nodes ?? {})) {
    const def = typeof node?.type === 'string' ? registry.get(node.type) : undefined;
    if (!def?.isOutput || !def.params.filename_prefix) continue;
    const params = node.params && typeof node.params === 'object' ? node.params : {};
    const prefix = typeof params.filename_prefix === 'string' ? params.filename_prefix : defaultText(def.params.filename_prefix);
    params.filename_prefix = `${prefix}_${suffix}`.slice(0, 80);
    node.params = params;
  }
  if (copy && typeof copy === 'object') copy.meta = { ...(copy.meta ?? {}), variant: set };
  return { doc: copy, problems, params: set };
}
