import type { ApiErrorCodeName, Issue, LimitInfo } from '../protocol/index.js';

/** What an error answer may carry besides its code and message. */
export interface HttpErrorExtra {
  /** Problems found beyond those in `issues`. */
  omittedIssues?: number;
  /** The limit the request went past. */
  limit?: LimitInfo;
}

/** An error a route throws to answer with `{ error: { code, message, issues?, omittedIssues?, limit? } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCodeName,
    message: string,
    readonly issues?: Issue[],
    readonly extra: HttpErrorExtra = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
