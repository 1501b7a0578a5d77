/**
 * The runtime's public HTTP/WebSocket API as zod schemas (browser-safe: no Node imports).
 * The server validates with these; the editor parses with the same ones.
 */
export * from './errors.js';
export * from './limits.js';
export * from './runs.js';
export * from './queue.js';
export * from './files.js';
export * from './signed-url.js';
export * from './system.js';
export * from './catalog.js';
export * from './ws-messages.js';
export * from './preview-frame.js';
export * from './routes.js';
export * from './preview-session.js';
