import { HttpError } from '../http-error.js';

/** Uploads received at once; more are refused with 429 (each holds a socket, a temp file and a decoder). */
export const DEFAULT_MAX_CONCURRENT_UPLOADS = 4;

/**
 * Counts uploads in progress and refuses past the limit, at once rather than queueing: a queued upload would
 * still hold its connection and its bytes in the socket buffers, and the client can try again later.
 */
export class UploadGate {
  private active = 0;
  constructor(readonly max: number = DEFAULT_MAX_CONCURRENT_UPLOADS) {}

  /** A slot, or 429 when all are taken; call the returned function exactly once when done. */
  enter(): () => void {
    if (this.active >= this.max) {
      throw new HttpError(
        429,
        'too_many_uploads',
        `${this.active} uploads are already in progress (the limit is ${this.max}); try again when one has finished`,
        undefined,
        {
          limit: { name: 'maxConcurrentUploads', max: this.max },
        },
      );
    }
    this.active++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.active--;
    };
  }

  get inProgress(): number {
    return this.active;
  }
}
