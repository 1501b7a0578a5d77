/**
 * MiniMax's base_resp.status_code values (its API reference's error code table) and what each means for a
 * run: whether asking again may help, and what the user can do about it.
 */
export type StatusKind =
  /** Asking again later may succeed (rate limit, a passing server fault). */
  | 'retry'
  /** The key is wrong, revoked or not allowed: fixed in the key, not by retrying. */
  | 'auth'
  /** Something the user can change (the prompt, the image, the balance, a parameter). */
  | 'user'
  /** MiniMax failed in a way retrying does not fix. */
  | 'service';

export interface StatusInfo {
  kind: StatusKind;
  text: string;
}

const CODES: Readonly<Record<number, StatusInfo>> = {
  1000: { kind: 'retry', text: "unknown error on MiniMax's side" },
  1001: { kind: 'retry', text: 'MiniMax timed out' },
  1002: { kind: 'retry', text: 'rate limit reached' },
  1004: { kind: 'auth', text: 'authentication failed: the API key is wrong or not valid for this API host' },
  1008: { kind: 'user', text: 'the MiniMax account has too little balance left' },
  1013: { kind: 'retry', text: 'internal service error' },
  1026: { kind: 'user', text: 'the prompt or image was flagged as sensitive content: change it' },
  1027: { kind: 'user', text: 'the generated video was flagged as sensitive content: change the prompt or image' },
  1033: { kind: 'retry', text: "system error on MiniMax's side" },
  1039: { kind: 'user', text: 'too many tokens in the request' },
  1042: { kind: 'user', text: 'the prompt holds too many invisible or illegal characters' },
  2013: { kind: 'user', text: 'invalid parameters' },
  2049: { kind: 'auth', text: 'invalid API key' },
};

export function statusInfo(code: number): StatusInfo {
  return CODES[code] ?? { kind: 'service', text: `MiniMax error ${code}` };
}
