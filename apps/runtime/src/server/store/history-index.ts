import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { RunRecordSchema, type RunRecord, type RunSummary } from '../../protocol/index.js';
import { readJsonFile, writeJsonAtomic } from './json-file.js';

const SUMMARY_CACHE = 2000;

/**
 * Finished runs, one `history/<runId>.json` each, paged from disk: only the ids are held (sorted newest first:
 * run ids start with their creation time in fixed-width base 36) and a bounded cache of summaries, so a long
 * history costs neither start-up time nor memory.
 */
export class HistoryIndex {
  /** Newest first. */
  private ids: string[] = [];
  private readonly summaries = new Map<string, RunSummary>();

  private constructor(
    readonly dir: string,
    private readonly log: (msg: string) => void,
  ) {}

  static async open(dir: string, log: (msg: string) => void): Promise<HistoryIndex> {
    const index = new HistoryIndex(dir, log);
    // Leftovers of an interrupted atomic write end differently (`<name>.json.<n>`).
    index.ids = (await readdir(dir)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
    index.ids.sort(newestFirst);
    return index;
  }

  get size(): number {
    return this.ids.length;
  }

  has(runId: string): boolean {
    const i = this.position(runId);
    return this.ids[i] === runId;
  }

  file(runId: string): string {
    return path.join(this.dir, `${runId}.json`);
  }

  /** Writes a finished run's record (durably) and lists it. */
  async add(rec: RunRecord): Promise<void> {
    await writeJsonAtomic(this.file(rec.runId), rec);
    const i = this.position(rec.runId);
    if (this.ids[i] !== rec.runId) this.ids.splice(i, 0, rec.runId);
    this.remember(rec.runId, summarize(rec));
  }

  /** The record on disk; undefined when it is not there (or not readable, which is logged). */
  async read(runId: string): Promise<RunRecord | undefined> {
    try {
      const rec = await readJsonFile(this.file(runId), RunRecordSchema);
      if (!rec) this.forget(runId);
      return rec;
    } catch (e) {
      this.log(`skipping unreadable history entry ${runId}.json: ${(e as Error).message}`);
      this.forget(runId);
      return undefined;
    }
  }

  async delete(runId: string): Promise<boolean> {
    if (!this.has(runId)) return false;
    this.forget(runId);
    await unlink(this.file(runId)).catch((e) => {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    });
    return true;
  }

  /** One page, newest first, from `cursor` (exclusive) or `offset`. Unreadable entries are skipped and dropped. */
  async page(o: {
    limit: number;
    offset?: number;
    cursor?: string;
  }): Promise<{ total: number; items: RunSummary[]; nextCursor: string | null }> {
    let i = o.cursor !== undefined ? this.position(o.cursor) : (o.offset ?? 0);
    if (o.cursor !== undefined && this.ids[i] === o.cursor) i++;
    const items: RunSummary[] = [];
    while (items.length < o.limit && i < this.ids.length) {
      const id = this.ids[i]!;
      const s = this.summaries.get(id) ?? (await this.read(id).then((r) => r && this.remember(id, summarize(r))));
      if (s) {
        items.push(s);
        i++;
      } else if (this.ids[i] === id) i++; // gone from the index already moved the rest up
    }
    const last = items.at(-1);
    return { total: this.ids.length, items, nextCursor: last && i < this.ids.length ? last.runId : null };
  }

  private forget(runId: string): void {
    this.summaries.delete(runId);
    const i = this.position(runId);
    if (this.ids[i] === runId) this.ids.splice(i, 1);
  }

  private remember(runId: string, s: RunSummary): RunSummary {
    this.summaries.delete(runId);
    this.summaries.set(runId, s);
    if (this.summaries.size > SUMMARY_CACHE) this.summaries.delete(this.summaries.keys().next().value!);
    return s;
  }

  /** Where `runId` is or would go in the newest-first order (binary search). */
  private position(runId: string): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (newestFirst(this.ids[mid]!, runId) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function newestFirst(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

export function summarize(r: RunRecord): RunSummary {
  const s: RunSummary = { runId: r.runId, status: r.status, createdAt: r.createdAt };
  if (r.startedAt !== undefined) s.startedAt = r.startedAt;
  if (r.finishedAt !== undefined) s.finishedAt = r.finishedAt;
  if (r.durationMs !== undefined) s.durationMs = r.durationMs;
  if (r.title !== undefined) s.title = r.title;
  return s;
}
