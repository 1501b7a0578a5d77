import type { TfNode } from './tfjs-model.js';

/** Reading TensorFlow node attributes as TF.js stores them (strings base64, ints as decimal strings). */

export function attrString(node: TfNode, key: string, fallback?: string): string {
  const s = node.attr?.[key]?.s;
  if (s === undefined) {
    if (fallback !== undefined) return fallback;
    throw new Error(`${node.op} "${node.name}" has no "${key}" attribute`);
  }
  return Buffer.from(s, 'base64').toString('utf8');
}

export function attrInts(node: TfNode, key: string, fallback?: number[]): number[] {
  const list = node.attr?.[key]?.list?.i;
  if (!list || list.length === 0) {
    if (fallback) return fallback;
    throw new Error(`${node.op} "${node.name}" has no "${key}" attribute`);
  }
  return list.map(Number);
}

export function attrInt(node: TfNode, key: string, fallback: number): number {
  const i = node.attr?.[key]?.i;
  return i === undefined ? fallback : Number(i);
}

export function attrBool(node: TfNode, key: string, fallback = false): boolean {
  return node.attr?.[key]?.b ?? fallback;
}

/** The converter handles NHWC graphs only (what TF.js exports from Keras). */
export function requireNhwc(node: TfNode): void {
  const format = attrString(node, 'data_format', 'NHWC');
  if (format !== 'NHWC') throw new Error(`${node.op} "${node.name}" uses data_format ${format}; only NHWC is supported`);
}

/** TensorFlow's padding for one spatial axis: [before, after] and the output size. */
export function tfPadding(
  node: TfNode,
  inSize: number,
  kernel: number,
  stride: number,
  dilation: number,
): { before: number; after: number; outSize: number } {
  const padding = attrString(node, 'padding');
  const span = (kernel - 1) * dilation + 1;
  if (padding === 'VALID') return { before: 0, after: 0, outSize: Math.floor((inSize - span) / stride) + 1 };
  if (padding === 'SAME') {
    const outSize = Math.ceil(inSize / stride);
    const total = Math.max((outSize - 1) * stride + span - inSize, 0);
    const before = Math.floor(total / 2);
    return { before, after: total - before, outSize };
  }
  throw new Error(`${node.op} "${node.name}" uses padding ${padding}; only SAME and VALID are supported`);
}
