import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** One path segment's pattern as a regex: `*`, `?`, `[abc]`, `{a,b}`; everything else literal. */
function segmentRegex(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = seg.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
        i = end;
      }
    } else if (c === '{') {
      const end = seg.indexOf('}', i + 1);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${seg
          .slice(i + 1, end)
          .split(',')
          .map(escape)
          .join('|')})`;
        i = end;
      }
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`);
}
const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const magic = (seg: string) => /[*?[{]/.test(seg);

/**
 * Expands a glob here, not in a shell (so a quoted pattern works the same everywhere): absolute paths of the
 * matching files, sorted. `**` matches any number of folders; hidden files match only a pattern starting with '.'.
 */
export async function expandGlob(pattern: string, cwd: string): Promise<string[]> {
  const abs = path.resolve(cwd, pattern);
  const { root } = path.parse(abs);
  const segments = abs.slice(root.length).split(path.sep).filter(Boolean);
  const found = new Set<string>();
  const walk = async (dir: string, i: number): Promise<void> => {
    if (i === segments.length) return;
    const seg = segments[i];
    const last = i === segments.length - 1;
    if (!magic(seg)) {
      const next = path.join(dir, seg);
      if (last) {
        const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
        if (entries.some((e) => e.name === seg && !e.isDirectory())) found.add(next);
      } else await walk(next, i + 1);
      return;
    }
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    if (seg === '**') {
      await walk(dir, i + 1);
      for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) await walk(path.join(dir, e.name), i);
      return;
    }
    const re = segmentRegex(seg);
    for (const e of entries) {
      if (e.name.startsWith('.') && !seg.startsWith('.')) continue;
      if (!re.test(e.name)) continue;
      if (last) {
        if (!e.isDirectory()) found.add(path.join(dir, e.name));
      } else if (e.isDirectory()) await walk(path.join(dir, e.name), i + 1);
    }
  };
  await walk(root, 0);
  return [...found].sort();
}
