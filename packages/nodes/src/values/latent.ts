import type { Sized, Summarizable } from '@kinegraph/graph-core';
import { tensorBytes, type Tensor } from './tensor.js';

/**
 * LATENT: a model's working representation, as named tensors plus the model's description of them
 * (JSON-serializable). Both the built-in parallax model and ONNX models use this shape, so the disk tier
 * can store any latent as one .safetensors file (tensors + `meta` in __metadata__).
 */
export class LatentValue implements Sized, Summarizable {
  readonly kind = 'latent' as const;
  constructor(
    /** Model family that produced it, e.g. 'parallax', 'edm-video', 'flow-video'. */
    readonly family: string,
    readonly tensors: Record<string, Tensor>,
    readonly meta: Record<string, unknown> = {},
  ) {}
  byteSize(): number {
    return Object.values(this.tensors).reduce((n, t) => n + tensorBytes(t), 0);
  }
  summary(): string {
    const main = this.tensors.samples ?? Object.values(this.tensors)[0];
    return `LATENT ${this.family}${main ? ' ' + main.shape.join('x') : ''}`;
  }
}
