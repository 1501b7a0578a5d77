import { describeParsed } from '../i2v/parallax/prompt/describe.js';
import { parsePrompt } from '../i2v/parallax/prompt/parse-prompt.js';
import { V2_LEXICON } from '../i2v/parallax/prompt/prompt-lexicon.js';

/** MiniMax Director's camera commands, as its API reference spells them for the [bracket] syntax. */
export const DIRECTOR_COMMANDS = [
  'Truck left',
  'Truck right',
  'Pan left',
  'Pan right',
  'Push in',
  'Pull out',
  'Pedestal up',
  'Pedestal down',
  'Tilt up',
  'Tilt down',
  'Zoom in',
  'Zoom out',
  'Shake',
  'Tracking shot',
  'Static shot',
] as const;
/** MiniMax's advice: more moves than this in one bracket group blur together. */
export const MAX_COMBINED = 3;

export interface BracketReport {
  /** Bracket groups as written, each a list of commands. */
  groups: string[][];
  /** Commands MiniMax does not list (it reads them as ordinary words). */
  unknown: string[];
  /** Groups with more moves than MiniMax advises. */
  crowded: string[];
}

/**
 * The prompt's [bracket] camera commands checked against MiniMax's list. The prompt itself is sent exactly as
 * written: MiniMax reads the brackets, so nothing here rewrites them.
 */
export function readBrackets(prompt: string): BracketReport {
  const report: BracketReport = { groups: [], unknown: [], crowded: [] };
  const known = new Map(DIRECTOR_COMMANDS.map((c) => [c.toLowerCase(), c]));
  for (const m of prompt.matchAll(/\[([^\]]*)\]/g)) {
    const items = m[1]!
      .split(/[,，]/)
      .map((s) => s.trim().replace(/\s+/g, ' '))
      .filter(Boolean);
    if (!items.length) continue;
    report.groups.push(items);
    for (const item of items) if (!known.has(item.toLowerCase()) && !report.unknown.includes(item)) report.unknown.push(item);
    if (items.length > MAX_COMBINED) report.crowded.push(`[${items.join(', ')}]`);
  }
  return report;
}

/** Warnings for a prompt sent to a model: commands MiniMax does not know, and brackets a model ignores. */
export function bracketWarnings(prompt: string, model: string, director: boolean): string[] {
  const r = readBrackets(prompt);
  const out: string[] = [];
  if (r.groups.length && !director)
    out.push(`${model} does not take [bracket] camera commands (the Director and Hailuo models do); it reads them as plain words`);
  if (r.unknown.length)
    out.push(
      `Not among MiniMax's camera commands: ${r.unknown.map((u) => `[${u}]`).join(', ')}. It knows: ${DIRECTOR_COMMANDS.join(', ')}`,
    );
  for (const g of r.crowded)
    out.push(`${g} combines more than ${MAX_COMBINED} moves; MiniMax advises at most ${MAX_COMBINED} in one bracket`);
  return out;
}

/** What the built-in model (builtin/parallax-v2) would understand of the same text, and what it would ignore. */
export function builtinReading(prompt: string): { text: string; understood: string[]; ignored: string[] } {
  const parsed = parsePrompt(prompt, V2_LEXICON);
  return {
    text: `The built-in model (builtin/parallax-v2) reads this prompt as:\n${describeParsed(parsed)}`,
    understood: parsed.understood,
    ignored: parsed.ignored,
  };
}
