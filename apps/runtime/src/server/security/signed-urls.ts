import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  SIGNED_URL_EXPIRES,
  SIGNED_URL_MAX_AHEAD_S,
  SIGNED_URL_SIGNATURE,
  SIGNING_KEY_LABEL,
  signedUrlExpiry,
  signedUrlMessage,
} from '../../protocol/signed-url.js';

/**
 * Signs and checks the short-lived URLs of protocol/signed-url.ts with node:crypto (the same bytes as the
 * editor's plain-TypeScript HMAC). The key comes from the token: no other secret to keep, and a new token
 * voids every URL signed with the old one.
 */
export class UrlSigner {
  private readonly key: Buffer;

  constructor(token: string) {
    this.key = createHmac('sha256', token).update(SIGNING_KEY_LABEL).digest();
  }

  /** `url` (a path or an absolute URL) with `exp` and `sig` set. */
  sign(url: string, nowMs = Date.now()): string {
    const u = new URL(url, 'http://signing.invalid');
    const exp = signedUrlExpiry(nowMs);
    u.searchParams.delete(SIGNED_URL_EXPIRES);
    u.searchParams.delete(SIGNED_URL_SIGNATURE);
    u.searchParams.set(SIGNED_URL_EXPIRES, String(exp));
    u.searchParams.set(SIGNED_URL_SIGNATURE, this.mac(u.pathname, exp).toString('base64url'));
    return /^[a-z][a-z0-9+.-]*:/i.test(url) ? u.toString() : u.pathname + u.search + u.hash;
  }

  /** Whether a request URL (path and query, as received) carries a good, unexpired signature for its path. */
  verify(requestUrl: string, nowMs = Date.now()): boolean {
    let u: URL;
    try {
      u = new URL(requestUrl, 'http://x');
    } catch {
      return false;
    }
    const expText = u.searchParams.get(SIGNED_URL_EXPIRES);
    const sig = u.searchParams.get(SIGNED_URL_SIGNATURE);
    if (!expText || !sig || !/^\d{1,12}$/.test(expText)) return false;
    const exp = Number(expText);
    const now = nowMs / 1000;
    if (exp < now || exp > now + SIGNED_URL_MAX_AHEAD_S) return false;
    let expected: Buffer;
    try {
      expected = this.mac(u.pathname, exp);
    } catch {
      return false; // a malformed %-escape
    }
    const given = Buffer.from(sig, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(pathname: string, exp: number): Buffer {
    return createHmac('sha256', this.key).update(signedUrlMessage(pathname, exp)).digest();
  }
}

/** How the API writes file URLs: signed when a token is set (a browser can then load them), plain otherwise. */
export interface FileUrls {
  sign(url: string): string;
  /** A copy of a run record (or anything with `outputs[].url`) with its output URLs signed. */
  withSignedOutputs<T extends { outputs: { url: string }[] }>(rec: T): T;
}

export function fileUrls(token: string | undefined): FileUrls {
  if (token === undefined) return { sign: (url) => url, withSignedOutputs: (rec) => rec };
  const signer = new UrlSigner(token);
  return {
    sign: (url) => signer.sign(url),
    withSignedOutputs: (rec) => ({ ...rec, outputs: rec.outputs.map((o) => ({ ...o, url: signer.sign(o.url) })) }),
  };
}
