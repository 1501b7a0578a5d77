/**
 * Short-lived signed URLs for what a browser fetches by URL alone (`<img src>`, `<video src>`, the WebSocket),
 * where it can send no Authorization header. Instead of the token in `?token=` (kept in history, logs, copied
 * links, Referer), such a URL carries `exp` (Unix seconds) and `sig`, an HMAC-SHA256 over its decoded path and
 * `exp`, keyed by a key derived from the token. A leaked URL opens that one path, for minutes.
 *
 * Plain TypeScript with no Node or Web Crypto: the editor signs synchronously while rendering, also on plain
 * http to another machine, where `crypto.subtle` does not exist. The server signs and checks with node:crypto;
 * a test proves both give the same bytes.
 */

export const SIGNED_URL_EXPIRES = 'exp';
export const SIGNED_URL_SIGNATURE = 'sig';
/** How long a URL signed now stays good. */
export const SIGNED_URL_TTL_S = 60 * 60;
/** Expiry is rounded up to this step, so a URL signed twice within it is the same URL (no reload of a playing video). */
export const SIGNED_URL_STEP_S = 5 * 60;
/** The furthest expiry the server accepts (a client clock ahead of the server's still works). */
export const SIGNED_URL_MAX_AHEAD_S = 24 * 60 * 60;
/** The message under the token that gives the signing key. */
export const SIGNING_KEY_LABEL = 'kinegraph signed url key v1';

/** The expiry for a URL signed at `nowMs`. */
export function signedUrlExpiry(nowMs: number): number {
  return Math.ceil((Math.floor(nowMs / 1000) + SIGNED_URL_TTL_S) / SIGNED_URL_STEP_S) * SIGNED_URL_STEP_S;
}

/** What is signed: the path with its %-escapes decoded (so `%20` and a browser's own escaping agree), and the expiry. */
export function signedUrlMessage(pathname: string, exp: number): string {
  return `${decodeURIComponent(pathname)}\n${exp}`;
}

/** The signing key for a token (HMAC-SHA256 with the token as key over SIGNING_KEY_LABEL). */
export function signingKey(token: string): Uint8Array {
  return hmacSha256(utf8(token), utf8(SIGNING_KEY_LABEL));
}

/**
 * `url` (a path like `/files/output/x.mp4`, or an absolute URL) with `exp` and `sig` added, replacing any
 * there. Other query parameters stay and are not signed.
 */
export function signUrl(url: string, key: Uint8Array, nowMs: number): string {
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(url);
  const u = new URL(url, 'http://signing.invalid');
  const exp = signedUrlExpiry(nowMs);
  u.searchParams.delete(SIGNED_URL_EXPIRES);
  u.searchParams.delete(SIGNED_URL_SIGNATURE);
  u.searchParams.set(SIGNED_URL_EXPIRES, String(exp));
  u.searchParams.set(SIGNED_URL_SIGNATURE, base64url(hmacSha256(key, utf8(signedUrlMessage(u.pathname, exp)))));
  return absolute ? u.toString() : u.pathname + u.search + u.hash;
}

export function base64url(bytes: Uint8Array): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += abc[(n >> 18) & 63]! + abc[(n >> 12) & 63]!;
    if (i + 1 < bytes.length) out += abc[(n >> 6) & 63]!;
    if (i + 2 < bytes.length) out += abc[n & 63]!;
  }
  return out;
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  const k = key.length > 64 ? sha256(key) : key;
  const block = new Uint8Array(64);
  block.set(k);
  const inner = new Uint8Array(64 + message.length);
  const outer = new Uint8Array(64 + 32);
  for (let i = 0; i < 64; i++) {
    inner[i] = block[i]! ^ 0x36;
    outer[i] = block[i]! ^ 0x5c;
  }
  inner.set(message, 64);
  outer.set(sha256(inner), 64);
  return sha256(outer);
}

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** SHA-256 (FIPS 180-4) of a short message: URLs and keys, not files. */
export function sha256(data: Uint8Array): Uint8Array {
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const padded = new Uint8Array(Math.ceil((data.length + 9) / 64) * 64);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  const bits = data.length * 8;
  view.setUint32(padded.length - 8, Math.floor(bits / 2 ** 32));
  view.setUint32(padded.length - 4, bits >>> 0);
  const w = new Uint32Array(64);
  for (let off = 0; off < padded.length; off += 64) {
    for (let t = 0; t < 16; t++) w[t] = view.getUint32(off + t * 4);
    for (let t = 16; t < 64; t++) {
      const a = w[t - 15]!;
      const b = w[t - 2]!;
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = Array.from(h);
    for (let t = 0; t < 64; t++) {
      const S1 = ((e! >>> 6) | (e! << 26)) ^ ((e! >>> 11) | (e! << 21)) ^ ((e! >>> 25) | (e! << 7));
      const ch = (e! & f!) ^ (~e! & g!);
      const t1 = (hh! + S1 + ch + K[t]! + w[t]!) >>> 0;
      const S0 = ((a! >>> 2) | (a! << 30)) ^ ((a! >>> 13) | (a! << 19)) ^ ((a! >>> 22) | (a! << 10));
      const maj = (a! & b!) ^ (a! & c!) ^ (b! & c!);
      const t2 = (S0 + maj) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d! + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] = h[0]! + a!;
    h[1] = h[1]! + b!;
    h[2] = h[2]! + c!;
    h[3] = h[3]! + d!;
    h[4] = h[4]! + e!;
    h[5] = h[5]! + f!;
    h[6] = h[6]! + g!;
    h[7] = h[7]! + hh!;
  }
  const out = new Uint8Array(32);
  const ov = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) ov.setUint32(i * 4, h[i]!);
  return out;
}
