import type { NodeDefinition } from '@kinegraph/graph-core';
import { MiniMaxImageToVideo } from './minimax-image-to-video.js';
import { MiniMaxTextToVideo } from './minimax-text-to-video.js';

/** MiniMax's hosted video models (optional: they need the user's API key). */
export const minimaxNodes: NodeDefinition<any>[] = [MiniMaxImageToVideo, MiniMaxTextToVideo];
export { MiniMaxImageToVideo, MiniMaxTextToVideo };
export { KeyFoldersToken, KEY_ENV, KEY_FILE, userKeyFolder, type KeyFolder } from './key.js';
export { MiniMaxSettingsToken, API_BASE_ENV, type MiniMaxSettings } from './settings.js';
