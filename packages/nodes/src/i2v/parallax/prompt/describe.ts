import { commandLabel } from '../camera/commands.js';
import type { ParsedPrompt } from './parse-prompt.js';

const pct = (k: number) => `${Math.round(k * 100)}%`;

/** The summary the EncodePrompt node shows: what was understood, grouped as "subject action, environment, camera". */
export function describeParsed(p: ParsedPrompt): string {
  const subject = p.subject.map((s) => `${s.kind} ${pct(s.intensity)}`).join(', ') || 'none';
  const env = p.environment.map((e) => `${e.kind}${e.direction ? ' ' + e.direction : ''} ${pct(e.intensity)}`).join(', ') || 'none';
  const hasSequence = p.camera.some((c) => (c.segment ?? 0) > 0);
  const label = (c: ParsedPrompt['camera'][number]) =>
    c.command === 'static'
      ? hasSequence
        ? 'hold'
        : 'static'
      : `${commandLabel(c.command)}${c.follow ? ' (tracking the subject)' : ''} ${pct(c.intensity)}`;
  const shots = hasSequence
    ? [...new Set(p.camera.map((c) => c.segment ?? 0))].map((k) =>
        p.camera
          .filter((c) => (c.segment ?? 0) === k)
          .map(label)
          .join(' + '),
      )
    : [p.camera.map(label).join(' + ')];
  const camera = shots.join(', then ') || 'none';
  const lines = [`Subject action: ${subject}`, `Environment: ${env}`, `Camera: ${camera}`];
  if (p.negated?.length) lines.push(`Ruled out: ${p.negated.map(commandLabel).join(', ')}`);
  if (p.quality.length) lines.push(`Quality terms (handled by design): ${p.quality.join(', ')}`);
  if (p.ignored.length) lines.push(`Ignored: ${p.ignored.join(', ')}`);
  lines.push(
    'Tip: write "subject action, environment, camera", e.g. "she breathes softly, wind in the grass, clouds drift left, slow push in".',
  );
  return lines.join('\n');
}

export function nothingUnderstood(p: ParsedPrompt): boolean {
  return p.camera.length + p.environment.length + p.subject.length + (p.negated?.length ?? 0) === 0;
}
