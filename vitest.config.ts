import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/*/src/**/*.test.tsx', 'tests/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'tests/browser/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores here: heavy video tests must not fight each other.
    maxWorkers: 2,
  },
});
