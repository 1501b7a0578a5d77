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
  server: {
    proxy: {
      '/api': { target, changeOrigin: false },
      '/files': { target, changeOrigin: false },
      '/ws': { target: target.replace(/^http/, 'ws'), ws: true },
    },
  },
});
