import { fileURLToPath } from 'node:url';

/** The repository this server runs from (TS sources are run in place). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const EDITOR_ROOT = fileURLToPath(new URL('../../../editor/', import.meta.url));
export const EDITOR_DIST = fileURLToPath(new URL('../../../editor/dist/', import.meta.url));
export const WORKFLOWS_DIR = fileURLToPath(new URL('../../../../workflows/', import.meta.url));
