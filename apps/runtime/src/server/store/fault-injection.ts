/**
 * Test-only crash points for the reliability suite (tests/reliability/durability): with
 * `KINEGRAPH_FAULT=crash-before-write:<path part>[#<n>]` (or `crash-after-write:`) the process kills itself
 * with SIGKILL just before (after) the n-th durable JSON write whose path contains `<path part>`, so a kill -9
 * lands at a named moment (mid-queue-save, mid-cache-write, between a history write and the queue file's
 * removal …) instead of at a guessed time. Unset, this is one string comparison per write.
 */
const spec = /^crash-(before|after)-write:(.+?)(?:#(\d+))?$/.exec(process.env.KINEGRAPH_FAULT ?? '');
let seen = 0;

export function faultPoint(moment: 'before' | 'after', file: string): void {
  if (!spec || spec[1] !== moment || !file.split('\\').join('/').includes(spec[2]!)) return;
  seen++;
  if (seen === Number(spec[3] ?? 1)) process.kill(process.pid, 'SIGKILL');
}
