import type { NodeContext, Summarizable } from '@kinegraph/graph-core';
import type { TextEncoderHandle } from '../../model/handles.js';
import { ConditioningValue } from '../../values/conditioning.js';
import { parallaxInfo } from './info.js';
import { describeParsed, nothingUnderstood } from './prompt/describe.js';
import { parsePrompt, type ParsedPrompt } from './prompt/parse-prompt.js';

export const parallaxTextEncoder: TextEncoderHandle & Summarizable = {
  kind: 'text_encoder',
  info: parallaxInfo,
  summary: () => `TEXT_ENCODER ${parallaxInfo.id}`,
  async encode(_ctx: NodeContext, text: string): Promise<ConditioningValue> {
    const parsed = parsePrompt(text);
    return new ConditioningValue('parallax', text, {
      ...parsed,
      summary: describeParsed(parsed),
      empty: nothingUnderstood(parsed),
    });
  },
};

/** Reads the structured prompt back from a CONDITIONING (any family that carries the parallax fields). */
export function parsedFrom(c: ConditioningValue | undefined): ParsedPrompt | undefined {
  if (!c) return undefined;
  const p = c.parsed as Partial<ParsedPrompt>;
  if (!Array.isArray(p.camera) || !Array.isArray(p.environment) || !Array.isArray(p.subject)) return parsePrompt(c.text);
  return p as ParsedPrompt;
}
