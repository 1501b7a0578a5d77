import type { ScenarioResult } from './durability/durability-pass.js';
import type { HostileReport } from './hostile/hostile-pass.js';
import type { LoadReport } from './load/load-pass.js';

type Row = [part: string, measure: string, value: string];
const yes = (b: boolean) => (b ? 'yes' : 'NO');

export function hostileRows(r: HostileReport): Row[] {
  const p = 'hostile files';
  return [
    [
      p,
      'files (by kind)',
      `${r.files} (${Object.entries(r.byCategory)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')})`,
    ],
    [
      p,
      'uploads: tried / refused / taken / answers 500',
      `${r.uploads.tried} / ${r.uploads.refused} / ${r.uploads.accepted} / ${r.uploads.answers500}`,
    ],
    [
      p,
      'loader runs (LoadImage, LoadVideo, LoadAudio): tried / refused / loaded',
      `${r.loads.tried} / ${r.loads.refused} / ${r.loads.loaded}`,
    ],
    [p, 'streams cut between packets decoded in part: upload / loaders', `${r.partial.upload} / ${r.partial.loaders}`],
    [p, 'answers not the specific refusal expected', String(r.failures.filter((f) => !/RSS/.test(f)).length)],
    [p, 'anything outside the input folder read', yes(r.secretLeaked)],
    [p, 'server peak / idle RSS after', `${r.peakRssMb.toFixed(0)} / ${r.idleRssMb.toFixed(0)} MB`],
    [p, 'wall time', `${(r.ms / 1000).toFixed(1)} s`],
  ];
}

export function durabilityRows(results: ScenarioResult[], ms: number): Row[] {
  const p = 'durability (kill -9)';
  const rows: Row[] = results.map((s) => [
    p,
    `${s.name} (${s.fault})`,
    `accepted ${s.accepted}, lost ${s.lost}, ran twice ${s.ranTwice}, requeued ${s.requeued}, unanswered but kept ${s.unansweredKept}; history ${s.historyConsistent ? 'ok' : 'BAD'}, cache ${s.cacheConsistent ? 'ok' : 'BAD'}, reruns identical ${yes(s.rerunsIdentical)}`,
  ]);
  rows.push([
    p,
    'moments / accepted runs / lost',
    `${results.length} / ${results.reduce((n, s) => n + s.accepted, 0)} / ${results.reduce((n, s) => n + s.lost, 0)}`,
  ]);
  rows.push([p, 'wall time', `${(ms / 1000).toFixed(1)} s`]);
  return rows;
}

export function loadRows(r: LoadReport): Row[] {
  const p = 'load';
  return [
    [
      p,
      `run time, median: alone / with ${r.clients} WebSocket clients (one never reads)`,
      `${r.runMsAlone.toFixed(0)} / ${r.runMsWithClients.toFixed(0)} ms (${r.ratio >= 1 ? '+' : ''}${((r.ratio - 1) * 100).toFixed(1)}%)`,
    ],
    [
      p,
      'server CPU per timed run, median: alone / with the clients',
      `${r.serverCpuMsAlone.toFixed(0)} / ${r.serverCpuMsWithClients.toFixed(0)} ms`,
    ],
    [p, 'messages read by the other clients', String(r.messagesRead)],
    [p, 'the client that never reads', r.stalledClient],
    [p, 'server RSS growth while flooding it with 150 previews of 512 px', `${r.floodGrowthMb.toFixed(0)} MB`],
    [
      p,
      '200 submissions at once: accepted / answers 500 / p50 / p99',
      `${r.rapid.accepted} / ${r.rapid.answers500} / ${r.rapid.p50Ms.toFixed(0)} / ${r.rapid.p99Ms.toFixed(0)} ms`,
    ],
    [
      p,
      `queue filled to its limit: queued / refused past it (429)`,
      `${r.queued.accepted} / ${r.queued.refused429}: "${r.queued.refusalMessage}"`,
    ],
    [
      p,
      'POST /api/runs, median: first 60 queued / last 60 before the limit',
      `${r.queued.postMsEmpty.toFixed(1)} / ${r.queued.postMsFull.toFixed(1)} ms`,
    ],
    [p, 'server peak RSS', `${r.peakRssMb.toFixed(0)} MB`],
    [p, 'wall time', `${(r.ms / 1000).toFixed(1)} s`],
  ];
}

export function table(rows: Row[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return ['| part | measure | value |', '| --- | --- | --- |', ...rows.map(([p, m, v]) => `| ${cell(p)} | ${cell(m)} | ${cell(v)} |`)].join(
    '\n',
  );
}
