/**
 * Writes one file again and again without piling up writes: while a write is under way only the newest value
 * waits, and each write is of the newest value. For state that changes often (a running run's node states).
 */
export class LatestWriter<T> {
  private waiting: { value: T } | undefined;
  private current: Promise<void> | undefined;
  private lastError: unknown;

  constructor(private readonly write: (value: T) => Promise<void>) {}

  /** Schedules a write of `value` (replacing one not yet started). */
  schedule(value: T): void {
    this.waiting = { value };
    this.current ??= this.loop();
  }

  /** Resolves when everything scheduled so far is written; rejects with the error of the last write if it failed. */
  async flush(): Promise<void> {
    while (this.current) await this.current;
    const e = this.lastError;
    this.lastError = undefined;
    if (e) throw e;
  }

  /** Drops a value not yet written (the file is about to be replaced or removed). */
  cancel(): void {
    this.waiting = undefined;
  }

  private async loop(): Promise<void> {
    try {
      while (this.waiting) {
        const { value } = this.waiting;
        this.waiting = undefined;
        try {
          await this.write(value);
          this.lastError = undefined;
        } catch (e) {
          this.lastError = e;
        }
      }
    } finally {
      this.current = undefined;
    }
  }
}
