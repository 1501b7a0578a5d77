import type { Issue } from '../protocol/index.js';

/** An error a route throws to answer with `{ error: { code, message, issues? } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
