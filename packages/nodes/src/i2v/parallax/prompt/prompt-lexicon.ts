import type { CameraCommand } from '../camera/commands.js';
import { CAMERA_RULES, SPEED_WORDS, STOPWORDS, SUBJECT_RULES, type Rule, type SubjectKind } from './lexicon.js';
import { CAMERA_RULES_V2, SPEED_WORDS_V2, STOPWORDS_V2, SUBJECT_RULES_V2 } from './lexicon-v2.js';

/** What a model version's prompt parser knows: its phrases and which features it reads. */
export interface PromptLexicon {
  camera: Rule<CameraCommand>[];
  subject: Rule<SubjectKind>[];
  /** Subject phrases are read before environment ones (v2). */
  subjectFirst: boolean;
  speed: Record<string, number>;
  stopwords: Set<string>;
  /** "then" and bracket order as a sequence of shots (else every camera move plays at once). */
  sequence: boolean;
  /** "don't zoom", "no panning". */
  negation: boolean;
}

/** builtin/parallax-v1's parser, kept as it was: old workflows read the same. */
export const V1_LEXICON: PromptLexicon = {
  camera: CAMERA_RULES,
  subject: SUBJECT_RULES,
  subjectFirst: false,
  speed: SPEED_WORDS,
  stopwords: STOPWORDS,
  sequence: false,
  negation: false,
};

export const V2_LEXICON: PromptLexicon = {
  camera: CAMERA_RULES_V2,
  subject: [...SUBJECT_RULES_V2, ...SUBJECT_RULES],
  subjectFirst: true,
  speed: SPEED_WORDS_V2,
  stopwords: STOPWORDS_V2,
  sequence: true,
  negation: true,
};
