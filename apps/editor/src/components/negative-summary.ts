/**
 * A prompt summary as read for a negative prompt: the encoder writes the same "Subject action / Environment /
 * Camera" lines whichever input its conditioning feeds, which reads like moves to make. Fed into a `negative`
 * input, the lines say what the run steers away from, and the writing tip (about positive prompts) goes.
 */
export function asNegativeSummary(text: string): string {
  const lines = text
    .split('\n')
    .filter((l) => !l.startsWith('Tip:'))
    .map((l) => l.replace(/^(Subject action|Environment|Camera): /, (_m, what: string) => `Avoid ${what.toLowerCase()}: `));
  return ['Negative prompt: the run steers away from these.', ...lines].join('\n');
}
