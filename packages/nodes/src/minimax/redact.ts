/**
 * Text from MiniMax or the network (status messages, error causes) on its way into an error a user sees, a
 * log line or the run's history: the key never passes, whatever the other side echoed back.
 */
export function redact(text: string, key: string | undefined): string {
  let out = text;
  if (key) out = out.split(key).join('[redacted key]');
  // A bearer header quoted in a message (some proxies echo the request), with any key.
  out = out.replace(/\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]');
  // Keys MiniMax issues are JWT-like: three base64url parts; hide any such token.
  out = out.replace(/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/g, '[redacted token]');
  return out.length > 500 ? out.slice(0, 497) + '...' : out;
}
