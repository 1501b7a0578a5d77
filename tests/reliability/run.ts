/**
 * `npm run test:reliability`: the long reliability pass. Prints its figures as one table and exits 1 on any
 * failure (a 500, a lost run, a validator that threw, a hostile file without its specific refusal, an RSS over
 * its bound, a crash that lost an accepted run, runs slowed by more than 10% by WebSocket clients).
 * Options: --count <n> (fuzzed documents, default 10000), --seed <n>, --only fuzz,hostile,durability,load.
 */
import { runDurabilityPass } from './durability/durability-pass.js';
import { fuzzRows, runWorkflowFuzz } from './fuzz/workflow-fuzz.js';
import { runHostilePass } from './hostile/hostile-pass.js';
import { runLoadPass } from './load/load-pass.js';
import { durabilityRows, hostileRows, loadRows, table } from './report.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const parts = new Set(arg('--only', 'hostile,durability,load,fuzz').split(','));
const log = (m: string) => console.error(m);
const t0 = performance.now();
const rows: Array<[string, string, string]> = [];
const failures: string[] = [];

// Hostile files and load measure memory and run time: each runs alone. Durability only counts and compares,
// so it runs beside the fuzz pass (their servers are separate processes), which keeps the whole under 10 minutes.
if (parts.has('hostile')) {
  log('hostile files …');
  const r = await runHostilePass({ maxPeakRssMb: 900, log });
  rows.push(...hostileRows(r));
  failures.push(...r.failures.map((f) => `hostile: ${f}`));
}
if (parts.has('load')) {
  log('load …');
  const r = await runLoadPass({ repeats: 5, maxRatio: 1.1, maxPeakRssMb: 600, log });
  rows.push(...loadRows(r));
  failures.push(...r.failures.map((f) => `load: ${f}`));
}
const durability = parts.has('durability') ? runDurabilityPass({ log: (m) => log(`durability: ${m}`) }) : undefined;
if (parts.has('fuzz')) {
  log('fuzzed workflow documents …');
  const r = await runWorkflowFuzz({ count: Number(arg('--count', '10000')), seed: Number(arg('--seed', '12')), log });
  rows.push(...fuzzRows(r).map(([m, v]) => ['fuzzed documents', m, v] as [string, string, string]));
  console.error('slowest fuzzed requests:');
  for (const s of r.slowest)
    console.error(
      `  ${s.ms.toFixed(0)} ms (validator ${s.validatorMs.toFixed(0)} ms), ${(s.bytes / 1e6).toFixed(1)} MB, ${s.status}: ${s.kinds}`,
    );
  failures.push(...r.failures.map((f) => `fuzz: ${f}`));
}
if (durability) {
  const r = await durability;
  rows.push(...durabilityRows(r.results, r.ms));
  for (const s of r.results) failures.push(...s.failures.map((f) => `durability (${s.name}): ${f}`));
}
rows.push(['all', 'failures / wall time', `${failures.length} / ${((performance.now() - t0) / 1000).toFixed(0)} s`]);
console.log(table(rows));
for (const f of failures) console.error(`FAIL ${f.slice(0, 400)}`);
process.exit(failures.length ? 1 : 0);
