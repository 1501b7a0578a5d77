/**
 * An FFMETADATA1 document for global tags. Tags travel through a file rather than `-metadata k=v`
 * arguments because a workflow can be larger than one command-line argument may be (128 KiB on Linux).
 */
export function ffmetadata(tags: Record<string, string>): string {
  const escape = (s: string) => s.replace(/[\\=;#\n]/g, (c) => '\\' + c);
  return ';FFMETADATA1\n' + Object.entries(tags).map(([k, v]) => `${escape(k)}=${escape(v)}\n`).join('');
}
