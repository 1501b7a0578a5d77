/**
 * The editor package's entry for other workspaces: where the built editor lives. The runtime serves this
 * folder at `/` (`npx vite build apps/editor` writes it).
 */
export const editorDistUrl = new URL('../dist/', import.meta.url);
export const editorRootUrl = new URL('../', import.meta.url);
