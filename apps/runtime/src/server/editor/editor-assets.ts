import { access, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { EDITOR_DIST, EDITOR_ROOT, REPO_ROOT } from '../repo-paths.js';

export type EditorState = { state: 'ready'; dir: string } | { state: 'building' } | { state: 'missing'; reason: string };

/**
 * The built editor's folder. When the default one is missing it is built in the background with vite's
 * build() API, so `npm start` on a fresh clone needs no separate build step; the server answers API calls
 * meanwhile and `/` says the editor is being built.
 */
export class EditorAssets {
  current: EditorState;
  private constructor(initial: EditorState) {
    this.current = initial;
  }

  static async open(dir: string | false | undefined, log: (msg: string) => void): Promise<EditorAssets> {
    if (dir === false) return new EditorAssets({ state: 'missing', reason: 'This server was started without the editor.' });
    const wanted = dir ?? EDITOR_DIST;
    const built = await mtimeOf(path.join(wanted, 'index.html'));
    if (dir !== undefined) {
      if (built !== undefined) return new EditorAssets({ state: 'ready', dir: wanted });
      return new EditorAssets({ state: 'missing', reason: `No built editor in ${dir} (run npm run build:editor).` });
    }
    if (built !== undefined && built >= (await newestSource())) return new EditorAssets({ state: 'ready', dir: wanted });
    // Missing, or older than the sources (an updated checkout): build, serving the old build meanwhile.
    const assets = new EditorAssets(built !== undefined ? { state: 'ready', dir: wanted } : { state: 'building' });
    void assets.build(log, built !== undefined);
    return assets;
  }

  private async build(log: (msg: string) => void, stale: boolean): Promise<void> {
    const started = Date.now();
    log(
      stale
        ? 'editor: the sources changed since the last build; rebuilding with vite'
        : 'editor: not built yet; building it now (once) with vite',
    );
    try {
      const vite = await import('vite');
      await vite.build({ configFile: path.join(EDITOR_ROOT, 'vite.config.ts'), root: EDITOR_ROOT, logLevel: 'warn' });
      if (!(await exists(path.join(EDITOR_DIST, 'index.html')))) throw new Error('the build wrote no index.html');
      this.current = { state: 'ready', dir: EDITOR_DIST };
      log(`editor: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (e) {
      this.current = { state: 'missing', reason: `Building the editor failed: ${(e as Error).message}. Run npm run build:editor.` };
      log(`editor: ${this.current.reason}`);
    }
  }
}

/** What the editor bundle is built from: its own sources and the shared schemas it imports. */
const SOURCES = [EDITOR_ROOT, path.join(REPO_ROOT, 'packages/graph-core/src'), path.join(REPO_ROOT, 'apps/runtime/src/protocol')];

async function newestSource(): Promise<number> {
  let newest = 0;
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === 'dist' || e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else newest = Math.max(newest, (await mtimeOf(full)) ?? 0);
    }
  };
  for (const dir of SOURCES) await walk(dir);
  return newest;
}

async function mtimeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
