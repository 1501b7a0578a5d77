import type { CameraCommand } from '../camera/commands.js';
import {
  CAMERA_RULES,
  DIRECTION_WORDS,
  ENVIRONMENT_RULES,
  QUALITY_WORDS,
  SPEED_WORDS,
  STOPWORDS,
  SUBJECT_RULES,
  type Direction,
  type EnvironmentKind,
  type SubjectKind,
} from './lexicon.js';

export interface CameraItem {
  command: CameraCommand;
  intensity: number;
  phrase: string;
}
export interface EnvironmentItem {
  kind: EnvironmentKind;
  intensity: number;
  direction?: Direction;
  phrase: string;
}
export interface SubjectItem {
  kind: SubjectKind;
  intensity: number;
  phrase: string;
}

/** What the built-in text encoder understood: the structured conditioning (JSON). */
export interface ParsedPrompt {
  camera: CameraItem[];
  environment: EnvironmentItem[];
  subject: SubjectItem[];
  /** Negative-prompt style quality words (the renderer avoids these by design). */
  quality: string[];
  /** Phrases understood, in the order written. */
  understood: string[];
  /** Words that meant nothing to the model. */
  ignored: string[];
  /** Camera moves written together that pull in opposite directions ("zoom in, zoom out"), as "a / b". */
  conflicts?: string[];
}

/** Camera commands that undo each other: written together they add up and mostly cancel. */
const OPPOSITES: Array<[CameraCommand, CameraCommand]> = [
  ['pan_left', 'pan_right'],
  ['tilt_up', 'tilt_down'],
  ['zoom_in', 'zoom_out'],
  ['push_in', 'pull_out'],
  ['truck_left', 'truck_right'],
  ['pedestal_up', 'pedestal_down'],
  ['crane_up', 'crane_down'],
  ['orbit_left', 'orbit_right'],
];

/** The intensity a phrase gets without speed words (0..1). */
export const BASE_INTENSITY = 0.5;

/** A word in any script (so ignored Japanese or Greek words are listed too, not only Latin ones). */
const WORD = /\p{L}[\p{L}\p{M}'-]*/gu;

/** Parses motion language, including MiniMax Director's bracket form "[Pan left, Zoom in]". */
export function parsePrompt(text: string): ParsedPrompt {
  const out: ParsedPrompt = { camera: [], environment: [], subject: [], quality: [], understood: [], ignored: [] };
  const lower = text.toLowerCase().replace(/[“”"]/g, ' ');
  const clauses: string[] = [];
  // Bracket groups hold camera commands, one per comma-separated item.
  const rest = lower.replace(/\[([^\]]*)\]/g, (_, inner: string) => {
    for (const item of inner.split(/[,;]/)) if (item.trim()) clauses.push(item.trim());
    return ' , ';
  });
  for (const c of rest.split(/[,.;:!?\n()]+|\s(?:and then|then|while|as|and|but|with)\s/)) if (c.trim()) clauses.push(c.trim());
  for (const clause of clauses) parseClause(clause, out);
  const commands = new Set(out.camera.map((c) => c.command));
  const conflicts = OPPOSITES.filter(([a, b]) => commands.has(a) && commands.has(b)).map(([a, b]) => `${a.replace('_', ' ')} / ${b.replace('_', ' ')}`);
  if (conflicts.length) out.conflicts = conflicts;
  return out;
}

function parseClause(clause: string, out: ParsedPrompt): void {
  const covered = new Uint8Array(clause.length);
  const free = (s: number, e: number) => covered.subarray(s, e).every((v) => v === 0);
  const cover = (s: number, e: number) => covered.fill(1, s, e);
  type Found = { start: number; phrase: string; add: (intensity: number, direction?: Direction) => void };
  const found: Found[] = [];

  const run = <T extends string>(rules: { re: RegExp; value: T | ((m: RegExpExecArray) => T | undefined); direction?: Direction }[], add: (v: T, phrase: string, k: number, d?: Direction) => void) => {
    for (const rule of rules) {
      rule.re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = rule.re.exec(clause))) {
        if (m[0].length === 0) {
          rule.re.lastIndex++;
          continue;
        }
        const s = m.index;
        const e = s + m[0].length;
        if (!free(s, e)) continue;
        const v = typeof rule.value === 'function' ? rule.value(m) : rule.value;
        if (!v) continue;
        cover(s, e);
        const phrase = m[0].trim();
        found.push({ start: s, phrase, add: (k, d) => add(v, phrase, k, d ?? rule.direction) });
      }
    }
  };
  // Environment and subject first: "waves roll in" must not read as a camera "roll in".
  const envFound: Found[] = [];
  run(ENVIRONMENT_RULES, (kind, phrase, k, d) => out.environment.push({ kind, intensity: k, direction: d, phrase }));
  envFound.push(...found);
  run(SUBJECT_RULES, (kind, phrase, k) => out.subject.push({ kind, intensity: k, phrase }));
  run(CAMERA_RULES, (command, phrase, k) => out.camera.push({ command, intensity: command === 'static' ? 0 : k, phrase }));

  // Speed words (longest first) scale everything in the clause.
  let speed = 1;
  const speedHits: string[] = [];
  for (const w of Object.keys(SPEED_WORDS).sort((a, b) => b.length - a.length)) {
    for (const idx of wordIndexes(clause, w)) {
      if (!free(idx, idx + w.length)) continue;
      cover(idx, idx + w.length);
      speed *= SPEED_WORDS[w];
      speedHits.push(w);
    }
  }
  // Direction words steer the ambient motion named in the same clause (clouds drift to the left).
  let direction: Direction | undefined;
  if (envFound.length) {
    for (const w of Object.keys(DIRECTION_WORDS).sort((a, b) => b.length - a.length)) {
      for (const idx of wordIndexes(clause, w)) {
        if (!free(idx, idx + w.length)) continue;
        cover(idx, idx + w.length);
        direction ??= DIRECTION_WORDS[w];
      }
    }
  }
  const k = Math.min(1, Math.max(0.05, BASE_INTENSITY * speed));
  found.sort((a, b) => a.start - b.start);
  for (const f of found) {
    const isEnv = envFound.includes(f);
    f.add(k, isEnv ? direction : undefined);
    out.understood.push([...speedHits, f.phrase].join(' '));
  }
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(clause))) {
    if (!free(m.index, m.index + m[0].length)) continue;
    const w = m[0].replace(/'s$/, '');
    if (QUALITY_WORDS.has(w)) out.quality.push(w);
    else if (!STOPWORDS.has(w) && !(w in DIRECTION_WORDS) && !(w in SPEED_WORDS)) out.ignored.push(w);
  }
}

function wordIndexes(s: string, w: string): number[] {
  const re = new RegExp(`\\b${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g');
  const idx: number[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) idx.push(m.index);
  return idx;
}
