/**
 * Saving a run failed. `too_large`: it could not be serialised (refused, as a 413); `io`: the disk refused it
 * (full, read only), answered 507 so the client knows nothing was queued and may try again.
 */
export class StoreError extends Error {
  constructor(
    readonly kind: 'too_large' | 'io',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** The queue is at its limit (answered 429). */
export class QueueFullError extends Error {
  constructor(
    readonly queued: number,
    readonly max: number,
    readonly adding: number,
  ) {
    super(
      `The queue holds ${queued} run${queued === 1 ? '' : 's'} and takes at most ${max}; ${adding === 1 ? 'another' : `${adding} more`} would not fit. ` +
        'Wait for runs to finish or cancel some.',
    );
    this.name = 'QueueFullError';
  }
}
