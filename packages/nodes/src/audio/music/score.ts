/** What the composer writes and the renderer plays: timed notes for named parts. */

export const PARTS = ['pad', 'harmony', 'melody', 'bass', 'kick', 'snare', 'hat', 'shaker', 'tom', 'rim'] as const;
export type Part = (typeof PARTS)[number];

export interface NoteEvent {
  part: Part;
  /** Start, seconds from the piece's start. */
  time: number;
  /** How long the note is held, seconds (voices add their own release after it). */
  duration: number;
  /** MIDI note (drums ignore it). */
  midi: number;
  /** 0..1 */
  velocity: number;
  /** -1 (left) .. 1 (right) */
  pan: number;
}
