import type { Sized, Summarizable } from '@kinegraph/graph-core';
import { tensorBytes, type Tensor } from './tensor.js';

/**
 * CONDITIONING: what a text encoder made of a prompt. `parsed` is JSON (the built-in model's structured
 * motion description; for ONNX models the token ids and notes); `tensors` holds embeddings.
 */
export class ConditioningValue implements Sized, Summarizable {
  readonly kind = 'conditioning' as const;
  constructor(
    readonly family: string,
    readonly text: string,
    readonly parsed: Record<string, unknown>,
    readonly tensors: Record<string, Tensor> = {},
  ) {}
  byteSize(): number {
    return Object.values(this.tensors).reduce((n, t) => n + tensorBytes(t), 0) + this.text.length * 2 + 256;
  }
  summary(): string {
    return `CONDITIONING ${this.family} "${this.text.slice(0, 40)}${this.text.length > 40 ? '…' : ''}"`;
  }
}
