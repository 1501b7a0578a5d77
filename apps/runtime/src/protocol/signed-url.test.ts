import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UrlSigner } from '../server/security/signed-urls.js';
import { base64url, hmacSha256, sha256, signedUrlExpiry, signingKey, signUrl, SIGNED_URL_STEP_S, SIGNED_URL_TTL_S } from './signed-url.js';

// The editor signs with this plain-TypeScript HMAC-SHA256, the server checks with node:crypto: they must agree
// to the byte, for every length around SHA-256's 64-byte blocks.

describe('signed URLs (browser-side signing)', () => {
  it('computes SHA-256 as node:crypto does, at every length around the block edges', () => {
    for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000]) {
      const data = randomBytes(n);
      expect(Buffer.from(sha256(data)).toString('hex'), `length ${n}`).toBe(createHash('sha256').update(data).digest('hex'));
    }
    expect(Buffer.from(sha256(new TextEncoder().encode('abc'))).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('computes HMAC-SHA256 as node:crypto does, with short and long keys', () => {
    for (const keyLength of [0, 6, 32, 64, 65, 200]) {
      const key = randomBytes(keyLength);
      const msg = randomBytes(keyLength * 3 + 1);
      expect(Buffer.from(hmacSha256(key, msg)).toString('hex')).toBe(createHmac('sha256', key).update(msg).digest('hex'));
    }
  });

  it('writes base64url as Node does', () => {
    for (const n of [0, 1, 2, 3, 31, 32, 33]) {
      const b = randomBytes(n);
      expect(base64url(b)).toBe(b.toString('base64url'));
    }
  });

  it('makes the same URL the server makes, and the server accepts it', () => {
    const now = Date.UTC(2026, 0, 2, 3, 4, 5);
    const server = new UrlSigner('s3cret token ü');
    for (const url of [
      '/files/output/clip.mp4',
      '/files/input/a%20b%C3%BC.png',
      'ws://127.0.0.1:8188/ws',
      '/files/output/x.png?download=1',
    ]) {
      const browser = signUrl(url, signingKey('s3cret token ü'), now);
      expect(browser).toBe(server.sign(url, now));
      expect(server.verify(browser.replace(/^ws:\/\/[^/]+/, ''), now)).toBe(true);
    }
  });

  it('expires within the TTL plus one step, and is stable within a step', () => {
    const now = Date.UTC(2026, 0, 2, 3, 4, 5);
    const exp = signedUrlExpiry(now);
    expect(exp * 1000).toBeGreaterThanOrEqual(now + SIGNED_URL_TTL_S * 1000);
    expect(exp * 1000).toBeLessThanOrEqual(now + (SIGNED_URL_TTL_S + SIGNED_URL_STEP_S) * 1000);
    expect(signedUrlExpiry(now + 1000)).toBe(exp);
    const server = new UrlSigner('t');
    const url = server.sign('/files/output/a.png', now);
    expect(server.verify(url, exp * 1000 - 1)).toBe(true);
    expect(server.verify(url, exp * 1000 + 1000)).toBe(false);
  });
});
