import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Root is this folder whatever the cwd (`npx vite build apps/editor`, or the runtime's build() call).
const root = fileURLToPath(new URL('.', import.meta.url));
const target = process.env.KINEGRAPH_URL ?? 'http://127.0.0.1:8188';

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1200 },
  // The dev server forwards the API to a running runtime, as the runtime's own origin (it refuses foreign ones).
  server: {
    proxy: {
      '/api': { target, changeOrigin: true, headers: { origin: target } },
      '/files': { target, changeOrigin: true, headers: { origin: target } },
      '/ws': { target: target.replace(/^http/, 'ws'), ws: true, changeOrigin: true, headers: { origin: target } },
    },
  },
});
