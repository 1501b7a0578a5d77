/**
 * `npm run test:reliability`: the long reliability pass. Prints its figures as one table and exits 1 on any
 * failure (a 500, a lost run, a validator that threw). Options: --count <n> (default 10000), --seed <n>.
 */
import { reportTable, runWorkflowFuzz } from './fuzz/workflow-fuzz.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

const report = await runWorkflowFuzz({ count: arg('--count', 10_000), seed: arg('--seed', 12), log: (m) => console.error(m) });
console.log(reportTable(report));
console.log('\nslowest requests:');
for (const s of report.slowest) console.log(`  ${s.ms.toFixed(0)} ms (validator ${s.validatorMs.toFixed(0)} ms), ${(s.bytes / 1e6).toFixed(1)} MB, ${s.status}: ${s.kinds}`);
for (const f of report.failures) console.error(`FAIL ${f.slice(0, 400)}`);
process.exit(report.failures.length ? 1 : 0);
