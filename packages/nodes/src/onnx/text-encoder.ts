import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError, type NodeContext } from '@kinegraph/graph-core';
import { Tokenizer } from '@huggingface/tokenizers';
import type { ModelInfo, TextEncoderHandle } from '../model/handles.js';
import { ConditioningValue, EMPTY_REPORT } from '../values/conditioning.js';
import { float32Tensor, type Tensor } from '../values/tensor.js';
import type { OnnxModel } from './onnx-model.js';
import { dimsOf, int64Tensor, readFloat } from './tensors.js';

/**
 * EncodePrompt for an ONNX model. flow-video models tokenize with their own tokenizer.json (the
 * @huggingface/tokenizers library) and run their text encoder; edm-video models take no prompt.
 */
export class OnnxTextEncoder implements TextEncoderHandle {
  readonly kind = 'text_encoder' as const;
  private tokenizer: Promise<Tokenizer> | undefined;

  constructor(
    readonly info: ModelInfo,
    private readonly model: OnnxModel,
  ) {}

  /** What events and logs show; handles hold sessions and timers that must never be serialised. */
  summary(): string {
    return `TEXT_ENCODER ${this.info.id} (${this.info.family})`;
  }
  toJSON() {
    return { kind: this.kind, id: this.info.id, hash: this.info.hash };
  }

  async encode(ctx: NodeContext, text: string): Promise<ConditioningValue> {
    const m = this.model.manifest;
    if (!m.components.textEncoder) {
      if (text.trim()) ctx.warn(`${this.info.title} is steered by the image, not by a prompt: the text is ignored`, 'text');
      return new ConditioningValue(m.family, text, EMPTY_REPORT, { promptUsed: false });
    }
    const { hidden, mask, tokens, truncated } = await this.embed(text);
    if (truncated) ctx.warn(`The prompt is longer than ${m.components.textEncoder.maxLength} tokens; the rest is ignored`, 'text');
    return new ConditioningValue(m.family, text, EMPTY_REPORT, { tokens, truncated }, { hidden, mask });
  }

  /** Embeds a prompt: padded to maxLength so prompts batch together (cond and uncond in one call). */
  async embed(text: string): Promise<{ hidden: Tensor; mask: Tensor; tokens: number; truncated: boolean }> {
    const spec = this.model.manifest.components.textEncoder!;
    const tokenizer = await this.loadTokenizer();
    let ids = tokenizer.encode(text).ids;
    const truncated = ids.length > spec.maxLength;
    if (truncated) ids = ids.slice(0, spec.maxLength);
    const L = spec.maxLength;
    const padded = new Array<number>(L).fill(spec.padTokenId);
    const mask = new Array<number>(L).fill(0);
    ids.forEach((id, i) => ((padded[i] = id), (mask[i] = 1)));
    const feeds = { [spec.inputs.inputIds]: int64Tensor(padded, [1, L]) };
    if (spec.inputs.attentionMask) feeds[spec.inputs.attentionMask] = int64Tensor(mask, [1, L]);
    const out = await this.model.run('textEncoder', feeds);
    const hidden = out[spec.outputs.hidden];
    return {
      hidden: float32Tensor(dimsOf(hidden), Float32Array.from(readFloat(hidden))),
      mask: { dtype: 'int32', shape: [1, L], data: Int32Array.from(mask) },
      tokens: ids.length,
      truncated,
    };
  }

  private loadTokenizer(): Promise<Tokenizer> {
    this.tokenizer ??= (async () => {
      const spec = this.model.manifest.components.textEncoder!;
      const dir = this.model.folder.dir;
      const read = async (file: string) => {
        try {
          return JSON.parse(await readFile(path.join(dir, file), 'utf8')) as object;
        } catch (error) {
          throw new UserError(`${path.basename(dir)}: cannot read tokenizer file "${file}": ${(error as Error).message}`, 'model');
        }
      };
      const json = await read(spec.tokenizer);
      const config = spec.tokenizerConfig ? await read(spec.tokenizerConfig) : {};
      return new Tokenizer(json, config);
    })();
    this.tokenizer.catch(() => (this.tokenizer = undefined));
    return this.tokenizer;
  }
}
