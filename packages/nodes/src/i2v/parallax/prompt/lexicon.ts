import type { CameraCommand } from '../camera/commands.js';

/** Ambient motion the renderer can put into a region of the photo. */
export const ENVIRONMENT_KINDS = ['clouds', 'waves', 'ripples', 'flow', 'wind', 'mist', 'rain', 'snow', 'shimmer'] as const;
export type EnvironmentKind = (typeof ENVIRONMENT_KINDS)[number];
/** Subject motion; `head` (a slight head turn or gaze shift) is only read and drawn by builtin/parallax-v2. */
export const SUBJECT_KINDS = ['breathing', 'sway', 'hair', 'head'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];
export type Direction = 'left' | 'right' | 'up' | 'down' | 'toward' | 'away';

export interface Rule<T> {
  re: RegExp;
  /** The command or kind; a function when the phrase itself carries the direction. */
  value: T | ((m: RegExpExecArray) => T | undefined);
  direction?: Direction;
  /**
   * Named groups that make the phrase (the regex needs the `d` flag): only these spans are taken, so words
   * between them ("rises slowly up") stay free for the speed words. Without it the whole match is taken.
   */
  cover?: string[];
  /** A tracking move: the subject's layer travels with the camera. */
  follow?: boolean;
}

const side = '(?:to the |towards? the |to )?(left|right)';
const vert = '(?:up|upwards?|down|downwards?)';

/** Camera phrases, most specific first. */
export const CAMERA_RULES: Rule<CameraCommand>[] = [
  { re: new RegExp(`\\b(?:camera )?pans?(?:ning)? ${side}\\b`, 'g'), value: (m) => (m[1] === 'left' ? 'pan_left' : 'pan_right') },
  { re: /\b(?:camera )?tilts?(?:ing)? (up|upwards?|down|downwards?)\b/g, value: (m) => (m[1].startsWith('up') ? 'tilt_up' : 'tilt_down') },
  { re: /\b(?:slow |fast )?zoom(?:s|ing)? (in|out)\b/g, value: (m) => (m[1] === 'in' ? 'zoom_in' : 'zoom_out') },
  { re: /\bzoom(?:s|ing)?\b/g, value: 'zoom_in' },
  { re: /\b(?:push(?:es|ing)?|dolly(?:ing)?|moves?|moving|travels?) (?:in|forward|closer|into the scene)\b/g, value: 'push_in' },
  { re: /\b(?:dolly|push)[- ]in\b/g, value: 'push_in' },
  { re: /\b(?:pull(?:s|ing)?|dolly(?:ing)?|moves?|moving) (?:out|back|away|backward)\b/g, value: 'pull_out' },
  {
    re: new RegExp(`\\b(?:trucks?|trucking|tracks?|tracking|slides?|sliding|dolly|crabs?|moves?|moving|glides?|gliding) ${side}\\b`, 'g'),
    value: (m) => (m[1] === 'left' ? 'truck_left' : 'truck_right'),
  },
  { re: new RegExp(`\\bpedestal(?:s|ing)? (${vert})\\b`, 'g'), value: (m) => (m[1].startsWith('up') ? 'pedestal_up' : 'pedestal_down') },
  {
    re: new RegExp(`\\b(?:crane|boom|jib)(?:s|ing)? (${vert})\\b`, 'g'),
    value: (m) => (m[1].startsWith('up') ? 'crane_up' : 'crane_down'),
  },
  { re: /\bcamera (?:rises|rising|lifts|goes up)\b/g, value: 'crane_up' },
  { re: /\bcamera (?:lowers|descends|sinks|goes down)\b/g, value: 'crane_down' },
  {
    re: new RegExp(`\\b(?:orbits?|orbiting|arcs?|arcing|circles?|circling)(?: around)?(?: the subject)?(?: ${side})?\\b`, 'g'),
    value: (m) => (m[1] === 'left' ? 'orbit_left' : 'orbit_right'),
  },
  { re: /\b(?:hand[- ]?held|shaky cam(?:era)?|camera shake|shaking camera|shaky|shake|shaking)\b/g, value: 'handheld' },
  { re: /\btracking shot\b/g, value: 'truck_right' },
  {
    re: /\b(?:static|still|fixed|locked(?:[- ]off)?|tripod|stationary) (?:camera|shot)\b|\bcamera (?:is )?(?:static|still|fixed)\b|\bno camera (?:movement|motion)\b|\bstatic\b/g,
    value: 'static',
  },
  { re: /\bdolly zoom\b/g, value: 'push_in' },
];

/** Ambient motion phrases. */
export const ENVIRONMENT_RULES: Rule<EnvironmentKind>[] = [
  {
    re: /\b(?:clouds?|cloudscape)(?: (?:drift|drifts|drifting|move|moves|moving|roll|rolls|rolling|pass|passes|passing|float|floats|floating|race|racing|sail|sails|scud|scudding))?(?: by| across(?: the sky)?| past)?\b/g,
    value: 'clouds',
  },
  {
    re: /\bwaves?(?: (?:roll|rolls|rolling|crash|crashes|crashing|break|breaks|breaking|lap|laps|lapping|wash|washes|washing|come|comes|coming|move|moves|moving))?(?: in| ashore| onto the shore| against the shore| on the shore)?\b|\bsurf\b|\btide (?:comes in|rolls in)\b/g,
    value: 'waves',
    direction: 'toward',
  },
  { re: /\bripples?|rippling\b|\bwater (?:ripples|shimmers|moves|moving)\b/g, value: 'ripples' },
  {
    re: /\b(?:flowing|running|rushing|streaming|cascading|babbling) (?:water|river|stream|creek|brook|waterfall)\b|\b(?:river|stream|water|creek|waterfall) (?:flows?|flowing|runs?|running|rushes|rushing|cascades?)\b|\bwaterfall\b/g,
    value: 'flow',
  },
  {
    re: /\b(?:wind|breeze|gust)s?(?: (?:blows?|blowing|moves?|moving|rustles?|rustling|sways?|swaying|in|through))*(?: the)? (?:grass|leaves|trees?|branches|foliage|reeds?|plants?|wheat|fields?|forest)\b|\b(?:grass|leaves|trees?|branches|foliage|reeds?|plants?|wheat)(?: (?:sway|sways|swaying|rustle|rustles|rustling|wave|waves|waving|move|moves|moving|blow|blows|blowing|flutter|flutters|fluttering|bend|bends|bending))(?: in the (?:wind|breeze))?\b|\bwindy\b|\bbreezy\b|\b(?:wind|breeze)\b/g,
    value: 'wind',
  },
  {
    re: /\b(?:mist|fog|haze|smoke|steam|vapou?r)(?: (?:rises?|rising|drifts?|drifting|curls?|curling|swirls?|swirling|rolls?|rolling|moves?|moving))?(?: up(?:wards?)?)?\b|\bmisty\b|\bfoggy\b|\bsmoky\b/g,
    value: 'mist',
    direction: 'up',
  },
  {
    re: /\b(?:rain|raindrops|drizzle)(?: (?:falls?|falling|pours?|pouring))?(?: down)?\b|\braining\b|\brainy\b/g,
    value: 'rain',
    direction: 'down',
  },
  {
    re: /\b(?:snow|snowflakes)(?: (?:falls?|falling|drifts?|drifting))?(?: down)?\b|\bsnowing\b|\bsnowy\b/g,
    value: 'snow',
    direction: 'down',
  },
  {
    re: /\b(?:shimmer(?:s|ing)?|sparkl(?:e|es|ing)|glitter(?:s|ing)?|glisten(?:s|ing)?|twinkl(?:e|es|ing)|flicker(?:s|ing)? of light|light (?:dances|dancing|plays|playing))(?: (?:light|lights|on the water|on the surface|sunlight))?\b|\bshimmering\b/g,
    value: 'shimmer',
  },
];

export const SUBJECT_RULES: Rule<SubjectKind>[] = [
  { re: /\b(?:breath(?:es|ing|e)?|chest (?:rises|rising|moves))\b/g, value: 'breathing' },
  { re: /\b(?:sways?|swaying|rocks?|rocking|bobs?|bobbing)(?: (?:back and forth|side to side))?\b/g, value: 'sway' },
  {
    re: /\bhair (?:blows?|blowing|moves?|moving|flutters?|fluttering|waves?|waving|flows?|flowing)\b|\bwind in (?:her|his|their|the) hair\b/g,
    value: 'hair',
  },
];

/** Speed and strength words: a multiplier for the intensity of what the clause names. */
export const SPEED_WORDS: Record<string, number> = {
  'very slow': 0.35,
  'very slowly': 0.35,
  barely: 0.3,
  subtle: 0.5,
  subtly: 0.5,
  slight: 0.5,
  slightly: 0.5,
  slow: 0.6,
  slowly: 0.6,
  gentle: 0.65,
  gently: 0.65,
  soft: 0.65,
  softly: 0.65,
  calm: 0.65,
  calmly: 0.65,
  lazy: 0.6,
  lazily: 0.6,
  steady: 0.9,
  smooth: 0.9,
  smoothly: 0.9,
  fast: 1.5,
  quick: 1.5,
  quickly: 1.5,
  rapid: 1.6,
  rapidly: 1.6,
  strong: 1.5,
  strongly: 1.5,
  dramatic: 1.9,
  dramatically: 1.9,
  intense: 1.7,
  wild: 1.9,
  wildly: 1.9,
  powerful: 1.7,
};

export const DIRECTION_WORDS: Record<string, Direction> = {
  'to the left': 'left',
  'towards the left': 'left',
  leftward: 'left',
  leftwards: 'left',
  left: 'left',
  'to the right': 'right',
  'towards the right': 'right',
  rightward: 'right',
  rightwards: 'right',
  right: 'right',
  upward: 'up',
  upwards: 'up',
  up: 'up',
  rising: 'up',
  downward: 'down',
  downwards: 'down',
  down: 'down',
  falling: 'down',
  'toward the camera': 'toward',
  'towards the camera': 'toward',
  'toward the viewer': 'toward',
  'towards the viewer': 'toward',
  away: 'away',
};

/** Words that carry no motion meaning (never reported as ignored). */
export const STOPWORDS = new Set(
  (
    'a an the of in on at to into onto with and or but as while then is are was be being its it this that these those ' +
    'there here from by for over under across through around behind along near softly gently camera shot scene video ' +
    'clip view frame picture photo image movement motion moves move moving slightly very some all each his her their ' +
    'she he they we you i my our your itself also just still background foreground distance sky water sea lake ocean ' +
    'shore beach sun sunset sunrise light sunlight golden hour evening morning night day time gradually continuously'
  ).split(/\s+/),
);

/** Quality words common in negative prompts: understood, and the built-in renderer avoids them by design. */
export const QUALITY_WORDS = new Set(
  'blurry blur distorted distortion warping warped flicker flickering artifacts artefacts glitch glitches jitter jittery low quality lowres bad ugly noise noisy tearing morphing deformed watermark text'.split(
    ' ',
  ),
);
