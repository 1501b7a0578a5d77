import type { NodeContext, Summarizable } from '@kinegraph/graph-core';
import type { TextEncoderHandle } from '../../model/handles.js';
import { ConditioningValue } from '../../values/conditioning.js';
import { PARALLAX_V1, type ParallaxProfile } from './profiles.js';
import { describeParsed, nothingUnderstood } from './prompt/describe.js';
import { parsePrompt, type ParsedPrompt } from './prompt/parse-prompt.js';
import { V1_LEXICON, type PromptLexicon } from './prompt/prompt-lexicon.js';

/** The text encoder of one model version: its prompt parser. */
export function makeParallaxTextEncoder(profile: ParallaxProfile): TextEncoderHandle & Summarizable {
  const info = profile.info;
  return {
    kind: 'text_encoder',
    info,
    summary: () => `TEXT_ENCODER ${info.id}`,
    async encode(_ctx: NodeContext, text: string): Promise<ConditioningValue> {
      const parsed = parsePrompt(text, profile.prompt);
      const warnings = (parsed.conflicts ?? []).map(
        (pair) => `Camera moves ${pair} pull in opposite directions and mostly cancel out: keep one`,
      );
      if (nothingUnderstood(parsed) && text.trim())
        warnings.push('No motion words understood: the camera stays still. Try "subject action, environment, camera".');
      const report = { understood: parsed.understood, ignored: parsed.ignored, summary: describeParsed(parsed), warnings };
      return new ConditioningValue('parallax', text, report, { ...parsed });
    },
  };
}

export const parallaxTextEncoder = makeParallaxTextEncoder(PARALLAX_V1);

/** Reads the structured prompt back from a CONDITIONING (any family that carries the parallax fields). */
export function parsedFrom(c: ConditioningValue | undefined, lex: PromptLexicon = V1_LEXICON): ParsedPrompt | undefined {
  if (!c) return undefined;
  const p = c.payload as Partial<ParsedPrompt>;
  if (!Array.isArray(p.camera) || !Array.isArray(p.environment) || !Array.isArray(p.subject)) return parsePrompt(c.text, lex);
  return p as ParsedPrompt;
}
