import net from 'node:net';

/** Whether a listen address or a URL host name stays on this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

/** The host name part of a Host header ("127.0.0.1:8188", "[::1]:8188"). */
export function hostnameOf(hostHeader: string): string {
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(hostHeader);
  if (m) return m[1]!;
  const i = hostHeader.lastIndexOf(':');
  return i > 0 && hostHeader.indexOf(':') === i ? hostHeader.slice(0, i) : hostHeader;
}
