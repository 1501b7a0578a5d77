/** A response body as text, refusing more than `max` bytes (an API answer is small; a runaway one is cut off). */
export async function readBounded(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw new Error(`the answer is larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The system error code under a fetch failure (undici puts it on `cause`): ECONNREFUSED, ENOTFOUND, ... */
export function networkCode(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown; name?: unknown } } | undefined)?.cause;
  const code = cause?.code ?? (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : '';
}

/** Failures that happen before a request leaves this machine: sending it again can not make a second task. */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
