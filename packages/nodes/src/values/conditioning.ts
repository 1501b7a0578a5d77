import { z } from 'zod';
import type { Sized, Summarizable } from '@kinegraph/graph-core';
import { tensorBytes, type Tensor } from './tensor.js';

/** What any text encoder tells the user about a prompt, whatever the model: generic nodes read only this. */
export const ConditioningReportSchema = z.object({
  /** Phrases the model acts on, in the order written. */
  understood: z.array(z.string()),
  /** Words it does not act on. */
  ignored: z.array(z.string()),
  /** A short account of what the prompt asks for (empty when the model has none to give). */
  summary: z.string(),
  /** Other things the user should hear about the prompt (moves that cancel out, nothing understood). */
  warnings: z.array(z.string()),
});
export type ConditioningReport = z.infer<typeof ConditioningReportSchema>;

export const EMPTY_REPORT: ConditioningReport = { understood: [], ignored: [], summary: '', warnings: [] };

/** A report read back from JSON (a disk cache entry); an older entry without one gives the empty report. */
export function reportOrEmpty(json: unknown): ConditioningReport {
  const r = ConditioningReportSchema.safeParse(json);
  return r.success ? r.data : EMPTY_REPORT;
}

/**
 * CONDITIONING: what a text encoder made of a prompt. `report` is the same for every model; `payload` is
 * the model's own JSON (the built-in model's structured motion description; for ONNX models the token
 * count), read only by that model; `tensors` holds embeddings.
 */
export class ConditioningValue implements Sized, Summarizable {
  readonly kind = 'conditioning' as const;
  constructor(
    readonly family: string,
    readonly text: string,
    readonly report: ConditioningReport,
    readonly payload: Record<string, unknown>,
    readonly tensors: Record<string, Tensor> = {},
  ) {}
  byteSize(): number {
    return Object.values(this.tensors).reduce((n, t) => n + tensorBytes(t), 0) + this.text.length * 2 + 256;
  }
  summary(): string {
    return `CONDITIONING ${this.family} "${this.text.slice(0, 40)}${this.text.length > 40 ? '…' : ''}"`;
  }
}
