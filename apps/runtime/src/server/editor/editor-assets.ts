import { access } from 'node:fs/promises';
import path from 'node:path';
import { EDITOR_DIST, EDITOR_ROOT } from '../repo-paths.js';

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
    if (await exists(path.join(wanted, 'index.html'))) return new EditorAssets({ state: 'ready', dir: wanted });
    if (dir !== undefined) return new EditorAssets({ state: 'missing', reason: `No built editor in ${dir} (run npm run build:editor).` });
    const assets = new EditorAssets({ state: 'building' });
    void assets.build(log);
    return assets;
  }

  private async build(log: (msg: string) => void): Promise<void> {
    const started = Date.now();
    log('editor: not built yet; building it now (once) with vite');
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

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
