import type { CameraCommand } from '../camera/commands.js';
import {
  DIRECTION_WORDS,
  ENVIRONMENT_RULES,
  QUALITY_WORDS,
  type Direction,
  type EnvironmentKind,
  type Rule,
  type SubjectKind,
} from './lexicon.js';
import { negatedCommands, NEGATION_RE, SEQUENCE_RE, STATIC_NEGATION_RE } from './lexicon-v2.js';
import { V1_LEXICON, type PromptLexicon } from './prompt-lexicon.js';

export interface CameraItem {
  command: CameraCommand;
  intensity: number;
  phrase: string;
  /** Sequence lexicons: which shot of the sequence ("[Push in] then [Pull out]": 0, then 1) the move is in. */
  segment?: number;
  /** A tracking move: the subject's layer travels with the camera. */
  follow?: boolean;
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
  /** Negation lexicons: camera moves the prompt rules out ("don't zoom"). */
  negated?: CameraCommand[];
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

/**
 * Parses motion language, including MiniMax Director's bracket form "[Pan left, Zoom in]". The lexicon sets
 * the phrases and features: v1's (the default) reads every camera word as one simultaneous move; v2's also
 * reads sequences ("then", one bracket group after another), negation ("don't zoom") and more phrasings.
 */
export function parsePrompt(text: string, lex: PromptLexicon = V1_LEXICON): ParsedPrompt {
  const out: ParsedPrompt = { camera: [], environment: [], subject: [], quality: [], understood: [], ignored: [] };
  const lower = text.toLowerCase().replace(/[“”"]/g, ' ');
  if (lex.sequence) {
    parseSequence(lower, out, lex);
  } else {
    const clauses: string[] = [];
    // Bracket groups hold camera commands, one per comma-separated item.
    const rest = lower.replace(/\[([^\]]*)\]/g, (_, inner: string) => {
      for (const item of inner.split(/[,;]/)) if (item.trim()) clauses.push(item.trim());
      return ' , ';
    });
    for (const c of splitClauses(rest)) clauses.push(c);
    for (const clause of clauses) parseClause(clause, out, lex);
  }
  const conflicts = findConflicts(out.camera);
  if (conflicts.length) out.conflicts = conflicts;
  if (out.negated && !out.negated.length) delete out.negated;
  return out;
}

function splitClauses(text: string): string[] {
  return text
    .split(/[,.;:!?\n()]+|\s(?:and then|then|while|as|and|but|with)\s/)
    .map((c) => c.trim())
    .filter(Boolean);
}

/** Opposite moves in the same shot (they add up and mostly cancel). */
function findConflicts(camera: CameraItem[]): string[] {
  const bySegment = new Map<number, Set<CameraCommand>>();
  for (const c of camera) {
    const set = bySegment.get(c.segment ?? 0) ?? new Set();
    set.add(c.command);
    bySegment.set(c.segment ?? 0, set);
  }
  const found = new Set<string>();
  for (const commands of bySegment.values()) {
    for (const [a, b] of OPPOSITES) if (commands.has(a) && commands.has(b)) found.add(`${a.replace('_', ' ')} / ${b.replace('_', ' ')}`);
  }
  return OPPOSITES.map(([a, b]) => `${a.replace('_', ' ')} / ${b.replace('_', ' ')}`).filter((p) => found.has(p));
}

/**
 * A prompt as a sequence of shots: "then" (and "after that", "finally") starts the next shot, so does each
 * bracket group after the first ("[Push in] [Pull out]"), and, inside one bracket group, a move opposite
 * to one already in the shot ("[Pan left, Pan right]" pans left, then right). Moves within a shot play
 * together; a shot without camera moves does not count as one.
 */
function parseSequence(text: string, out: ParsedPrompt, lex: PromptLexicon): void {
  out.negated = [];
  let segment = 0;
  const shotHasMoves = () => out.camera.some((c) => c.segment === segment);
  const nextShot = () => {
    if (shotHasMoves()) segment++;
  };
  const parts = text.split(SEQUENCE_RE);
  parts.forEach((part, i) => {
    if (i > 0) nextShot();
    let last = 0;
    const brackets = /\[([^\]]*)\]/g;
    let m: RegExpExecArray | null;
    let bracketsSeen = 0;
    while ((m = brackets.exec(part))) {
      for (const c of splitClauses(part.slice(last, m.index))) parseClause(c, out, lex, segment);
      if (bracketsSeen++ > 0 || shotHasMoves()) nextShot();
      for (const item of m[1].split(/[,;]/)) {
        if (!item.trim()) continue;
        const before = out.camera.length;
        parseClause(item.trim(), out, lex, segment);
        const added = out.camera.slice(before);
        const inShot = out.camera
          .slice(0, before)
          .filter((c) => c.segment === segment)
          .map((c) => c.command);
        if (
          added.some((a) => OPPOSITES.some(([x, y]) => (a.command === x && inShot.includes(y)) || (a.command === y && inShot.includes(x))))
        ) {
          segment++;
          for (const a of added) a.segment = segment;
        }
      }
      last = m.index + m[0].length;
    }
    for (const c of splitClauses(part.slice(last))) parseClause(c, out, lex, segment);
  });
  // Number the shots that have moves 0, 1, 2, ...
  const used = [...new Set(out.camera.map((c) => c.segment ?? 0))].sort((a, b) => a - b);
  for (const c of out.camera) c.segment = used.indexOf(c.segment ?? 0);
}

function parseClause(clause: string, out: ParsedPrompt, lex: PromptLexicon, segment?: number): void {
  const covered = new Uint8Array(clause.length);
  const free = (s: number, e: number) => covered.subarray(s, e).every((v) => v === 0);
  const cover = (s: number, e: number) => covered.fill(1, s, e);
  type Found = { start: number; phrase: string; add: (intensity: number, direction?: Direction) => void };
  const found: Found[] = [];

  const run = <T extends string>(
    rules: Rule<T>[],
    add: (v: T, phrase: string, k: number, d: Direction | undefined, rule: Rule<T>) => void,
  ) => {
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
        // Rules naming their parts take only those (words between stay free for speed words).
        const spans: Array<[number, number]> = rule.cover
          ? rule.cover.map((g) => m!.indices?.groups?.[g]).filter((x): x is [number, number] => !!x)
          : [[s, e]];
        if (!spans.every(([a, b]) => free(a, b))) continue;
        const v = typeof rule.value === 'function' ? rule.value(m) : rule.value;
        if (!v) continue;
        for (const [a, b] of spans) cover(a, b);
        const phrase = rule.cover
          ? spans
              .sort((x, y) => x[0] - y[0])
              .map(([a, b]) => clause.slice(a, b).trim())
              .join(' ')
          : m[0].trim();
        found.push({ start: s, phrase, add: (k, d) => add(v, phrase, k, d ?? rule.direction, rule) });
      }
    }
  };
  if (lex.negation) {
    // "Don't zoom", "no panning": the moves named are ruled out, and their words are not read as moves.
    for (const re of [STATIC_NEGATION_RE, NEGATION_RE]) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(clause))) {
        const s = m.index;
        const e = s + m[0].length;
        if (!free(s, e)) continue;
        cover(s, e);
        const phrase = m[0].trim();
        if (re === STATIC_NEGATION_RE)
          found.push({ start: s, phrase, add: () => out.camera.push({ command: 'static', intensity: 0, phrase, segment }) });
        else {
          const cmds = negatedCommands(m.groups!.verb, m.groups!.dir);
          found.push({ start: s, phrase, add: () => (out.negated ??= []).push(...cmds.filter((c) => !out.negated!.includes(c))) });
        }
      }
    }
  }
  // Environment and subject first: "waves roll in" must not read as a camera "roll in".
  // v2 reads the subject's phrases first ("wind in her hair" is her hair, not wind in the grass).
  const envFound: Found[] = [];
  const subjects = () => run(lex.subject, (kind, phrase, k) => out.subject.push({ kind, intensity: k, phrase }));
  if (lex.subjectFirst) subjects();
  run(ENVIRONMENT_RULES, (kind, phrase, k, d) => out.environment.push({ kind, intensity: k, direction: d, phrase }));
  envFound.push(...found);
  if (!lex.subjectFirst) subjects();
  run(lex.camera, (command, phrase, k, _d, rule) => {
    const item: CameraItem = { command, intensity: command === 'static' ? 0 : k, phrase };
    if (lex.sequence) item.segment = segment ?? 0;
    if (rule.follow) item.follow = true;
    out.camera.push(item);
  });

  // Speed words (longest first) scale everything in the clause.
  let speed = 1;
  const speedHits: string[] = [];
  for (const w of Object.keys(lex.speed).sort((a, b) => b.length - a.length)) {
    for (const idx of wordIndexes(clause, w)) {
      if (!free(idx, idx + w.length)) continue;
      cover(idx, idx + w.length);
      speed *= lex.speed[w];
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
    else if (!lex.stopwords.has(w) && !(w in DIRECTION_WORDS) && !(w in lex.speed)) out.ignored.push(w);
  }
}

function wordIndexes(s: string, w: string): number[] {
  const re = new RegExp(`\\b${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g');
  const idx: number[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) idx.push(m.index);
  return idx;
}
