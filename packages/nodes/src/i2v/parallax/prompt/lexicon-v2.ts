import type { CameraCommand } from '../camera/commands.js';
import { CAMERA_RULES, SPEED_WORDS, STOPWORDS, type Rule, type SubjectKind } from './lexicon.js';

/**
 * builtin/parallax-v2's camera phrases: v1's, plus forms with words between the verb and its direction
 * ("the camera slowly rises above the scene", "moves straight up", "pans slowly to the left"), shake,
 * and tracking ("tracks alongside her", which keeps the subject in frame while the world slides past).
 */

/** Words that may sit between a camera verb and its direction (speed words among them still count). */
const FILLERS = [
  ...Object.keys(SPEED_WORDS).filter((w) => !w.includes(' ')),
  'very',
  'straight',
  'directly',
  'gradually',
  'steadily',
  'just',
  'further',
  'farther',
  'even',
  'gracefully',
  'all the way',
  'a bit',
  'a little',
  'a touch',
  'itself',
  'then',
  'continuously',
  'carefully',
].sort((a, b) => b.length - a.length);
const GAP = `(?:\\s+(?:${FILLERS.join('|')})){0,3}`;
const SIDE = '(?:to the |towards? the |to )?(?<side>left|right)';
const UP = 'up|upwards?|upward|higher|above|over';
const DOWN = 'down|downwards?|downward|lower|below';
const THE_SUBJECT = '(?:her|him|them|it|the (?:subject|person|woman|man|girl|boy|child|dog|car|runner|player|walker))';

const side = (l: CameraCommand, r: CameraCommand) => (m: RegExpExecArray) => (m.groups?.side === 'left' ? l : r);
const vertical = (u: CameraCommand, d: CameraCommand) => (m: RegExpExecArray) =>
  new RegExp(`^(?:${UP})$`).test(m.groups?.dir ?? '') ? u : d;
const rule = (
  re: string,
  value: Rule<CameraCommand>['value'],
  cover = ['cam', 'v', 'dir', 'side'],
  extra: Partial<Rule<CameraCommand>> = {},
): Rule<CameraCommand> => ({
  re: new RegExp(re, 'gd'),
  value,
  cover,
  ...extra,
});

/** Most specific first; v1's rules follow for everything else. */
export const CAMERA_RULES_V2: Rule<CameraCommand>[] = [
  // Tracking: follow the subject alongside (the subject's layer travels with the camera).
  rule(
    `\\b(?:(?<cam>camera)${GAP}\\s+(?<v>moves?|moving|travels?|glides?|runs?)|(?<v2>(?:camera )?(?:tracks?|tracking|follows?|following)))${GAP}\\s+(?<dir>(?:alongside|beside|next to|with) ${THE_SUBJECT})(?:\\s+${SIDE})?\\b`,
    side('truck_left', 'truck_right'),
    ['cam', 'v', 'v2', 'dir', 'side'],
    { follow: true },
  ),
  rule(
    `\\b(?<v>(?:camera )?(?:follows?|following|tracks?|tracking))\\s+(?<dir>${THE_SUBJECT})(?:\\s+${SIDE})?\\b`,
    side('truck_left', 'truck_right'),
    ['v', 'dir', 'side'],
    { follow: true },
  ),
  rule(`\\b(?<v>tracking shot)(?:\\s+${SIDE})?\\b`, side('truck_left', 'truck_right'), ['v', 'side'], { follow: true }),
  // Shake.
  rule(
    `\\b(?<cam>camera)${GAP}\\s+(?<v>shakes|shaking|shook|trembles|trembling|wobbles|wobbling|judders|juddering|vibrates|vibrating|rattles)\\b`,
    'handheld',
    ['cam', 'v'],
  ),
  rule(`\\b(?<v>(?:shakes|shook|shaking|shaky|shake|trembling|wobbly)(?: (?:cam|camera|shot|footage))?)\\b`, 'handheld', ['v']),
  // The camera rises / descends / moves up or down, with words in between.
  rule(
    `\\b(?<cam>camera)${GAP}\\s+(?<v>rises|rising|rose|lifts|lifting|climbs|climbing|ascends|ascending|soars|soaring|cranes|booms)(?:${GAP}\\s+(?<dir>${UP}|into the sky))?\\b`,
    'crane_up',
  ),
  rule(
    `\\b(?<cam>camera)${GAP}\\s+(?<v>lowers|lowering|descends|descending|sinks|sinking|drops|dropping|dips|dipping)(?:${GAP}\\s+(?<dir>${DOWN}))?\\b`,
    'crane_down',
  ),
  rule(
    `\\b(?<cam>camera)${GAP}\\s+(?<v>moves?|moving|goes|going|travels?|drifts?|drifting|floats?|floating|glides?|gliding|slides?|sliding|comes|coming)${GAP}\\s+(?<dir>${UP}|${DOWN})\\b`,
    vertical('pedestal_up', 'pedestal_down'),
  ),
  // Verb and direction with words in between.
  rule(`\\b(?<v>pans?|panning|panned)${GAP}\\s+${SIDE}\\b`, side('pan_left', 'pan_right')),
  rule(`\\b(?<v>tilts?|tilting|tilted)${GAP}\\s+(?<dir>${UP}|${DOWN})\\b`, vertical('tilt_up', 'tilt_down')),
  rule(`\\b(?<v>zooms?|zooming|zoomed)${GAP}\\s+(?<dir>in|into|out)\\b`, (m) => (m.groups?.dir === 'out' ? 'zoom_out' : 'zoom_in')),
  rule(
    `\\b(?<v>push(?:es|ing|ed)?|dolly(?:ing|ies)?|moves?|moving|travels?|glides?|creeps?)${GAP}\\s+(?<dir>in|forwards?|closer|into the scene|toward ${THE_SUBJECT}|towards ${THE_SUBJECT})\\b`,
    'push_in',
  ),
  rule(
    `\\b(?<v>pull(?:s|ing|ed)?|dolly(?:ing|ies)?|moves?|moving|backs?|backing|retreats?)${GAP}\\s+(?<dir>out|back|away|backwards?)\\b`,
    'pull_out',
  ),
  rule(
    `\\b(?<v>trucks?|trucking|tracks?|tracking|slides?|sliding|dolly|crabs?|crabbing|moves?|moving|glides?|gliding)${GAP}\\s+${SIDE}\\b`,
    side('truck_left', 'truck_right'),
  ),
  rule(`\\b(?<v>pedestal(?:s|ing)?)${GAP}\\s+(?<dir>${UP}|${DOWN})\\b`, vertical('pedestal_up', 'pedestal_down')),
  rule(`\\b(?<v>crane|boom|jib)(?:s|ing)?${GAP}\\s+(?<dir>${UP}|${DOWN})\\b`, vertical('crane_up', 'crane_down')),
  rule(
    `\\b(?<v>(?:orbits?|orbiting|arcs?|arcing|circles?|circling)(?: around)?(?: ${THE_SUBJECT})?)(?:${GAP}\\s+${SIDE})?\\b`,
    side('orbit_left', 'orbit_right'),
  ),
  ...CAMERA_RULES,
];

/**
 * v2's subject phrases (before v1's): a head turn or gaze shift, and more ways of saying hair moves ("her hair
 * lifting in the breeze", "hair in the wind").
 */
export const SUBJECT_RULES_V2: Rule<SubjectKind>[] = [
  {
    re: /\b(?:turns? (?:her|his|their|the) head|head (?:turns?|turning|tilts?|tilting)|turning (?:her|his|their|the) head|(?:raises?|raising|lifts?|lifting|lowers?|lowering|shifts?|shifting) (?:her|his|their|the) (?:gaze|eyes|head|chin)|(?:looks?|looking|gazes?|gazing|glances?|glancing) (?:up|down|around|away|left|right|to the (?:left|right)|toward|towards|at|over|out)|nods?|nodding)\b/g,
    value: 'head',
  },
  {
    re: /\b(?:hair (?:lifts?|lifting|rises?|rising|dances?|dancing|streams?|streaming|stirs?|stirring|sways?|swaying|tossed|tossing|drifts?|drifting)|hair in the (?:wind|breeze)|(?:wind|breeze) (?:in|through|lifts?|lifting|blows?|blowing|tousles?|tousling) (?:her|his|their|the) hair)\b/g,
    value: 'hair',
  },
];

/**
 * v2's speed words: "slowly" keeps 70% of a move (v1: 60%), so with v2's calibration a slow move still reads;
 * the stronger words as in v1.
 */
export const SPEED_WORDS_V2: Record<string, number> = {
  ...SPEED_WORDS,
  'very slow': 0.45,
  'very slowly': 0.45,
  barely: 0.35,
  subtle: 0.6,
  subtly: 0.6,
  slight: 0.6,
  slightly: 0.6,
  slow: 0.7,
  slowly: 0.7,
  lazy: 0.7,
  lazily: 0.7,
  gentle: 0.75,
  gently: 0.75,
  soft: 0.75,
  softly: 0.75,
  calm: 0.75,
  calmly: 0.75,
};

export const STOPWORDS_V2 = new Set([
  ...STOPWORDS,
  'above',
  'alongside',
  'beside',
  'straight',
  'holds',
  'hold',
  'stays',
  'remains',
  'begins',
  'starts',
  'ends',
  'finally',
  'after',
  'afterwards',
  'next',
  'followed',
  'footage',
]);

/**
 * Negation of a camera move ("don't zoom", "no panning", "without shaking"): the command families it names.
 * "No camera movement" and "don't move the camera" are the static camera (v1's static rule and the one below).
 */
export const NEGATION_RE =
  /\b(?:don'?t|do not|does not|doesn'?t|never|no|without|avoid|avoiding|not|nor|stop)\s+(?:(?:the|any|a|to|camera|more)\s+){0,2}(?<verb>zoom(?:s|ing)?|pan(?:s|ning)?|tilt(?:s|ing)?|push(?:es|ing)?(?: in)?|pull(?:s|ing)?(?: out| back)?|dolly(?:ing)?|truck(?:s|ing)?|orbit(?:s|ing)?|crane|boom|shak(?:e|es|ing|y|iness)|wobbl(?:e|es|ing)|handheld)(?:\s+(?<dir>in|out|left|right|up|down))?\b/g;
export const STATIC_NEGATION_RE =
  /\b(?:don'?t|do not|never|not) move the camera\b|\bcamera (?:does not|doesn'?t|should not|shouldn'?t|won'?t|must not|never) moves?\b/g;

export function negatedCommands(verb: string, dir: string | undefined): CameraCommand[] {
  const pick = (a: CameraCommand, b: CameraCommand, da: string, db: string): CameraCommand[] =>
    dir === da ? [a] : dir === db ? [b] : [a, b];
  if (verb.startsWith('zoom')) return pick('zoom_in', 'zoom_out', 'in', 'out');
  if (verb.startsWith('pan')) return pick('pan_left', 'pan_right', 'left', 'right');
  if (verb.startsWith('tilt')) return pick('tilt_up', 'tilt_down', 'up', 'down');
  if (verb.startsWith('push')) return ['push_in'];
  if (verb.startsWith('pull')) return ['pull_out'];
  if (verb.startsWith('dolly')) return pick('push_in', 'pull_out', 'in', 'out');
  if (verb.startsWith('truck')) return pick('truck_left', 'truck_right', 'left', 'right');
  if (verb.startsWith('orbit')) return ['orbit_left', 'orbit_right'];
  if (verb === 'crane' || verb === 'boom') return pick('crane_up', 'crane_down', 'up', 'down');
  return ['handheld'];
}

/** Words that start the next shot of a sequence ("[Push in] then [Pull out]"). */
export const SEQUENCE_RE = /\s*\b(?:and then|then|after that|afterwards|followed by|and finally|finally)\b\s*/g;
