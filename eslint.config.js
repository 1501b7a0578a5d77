// @ts-check
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * Lint: typescript-eslint's recommended rules, and the package boundaries of docs/architecture.md as
 * import rules, so a graph-core file that imports node:fs, or an editor file that imports the runtime's
 * server or a node's internals, fails `npm run lint` (and so `npm test`).
 */
const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'crypto',
  'worker_threads',
  'stream',
  'http',
  'https',
  'net',
  'url',
  'util',
  'events',
  'buffer',
  'zlib',
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'apps/editor/dist/**',
      'test-results/**',
      'playwright-report/**',
      '.kinegraph/**',
      '.testdata/**',
      'out/**',
      'models/**',
      '**/*.wat',
      'packages/nodes/vendor/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Node definitions, registries and tests hold node types of any params (NodeDefinition<any>).
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // `{}` as "no options" in generic defaults.
      '@typescript-eslint/no-empty-object-type': 'off',
      // Tight loops write two updates as one comma expression, `(a += x), (b += y)`: the code base's style.
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    // Ambient declarations of globals need `var`.
    files: ['**/*.d.ts'],
    rules: { 'no-var': 'off' },
  },
  {
    // graph-core runs in the browser and in Node: no Node modules, no other workspace package.
    files: ['packages/graph-core/src/**/*.ts'],
    ignores: ['packages/graph-core/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'graph-core is browser-safe: no Node modules (see docs/architecture.md)' },
            { group: ['@kinegraph/*', '../../*'], message: 'graph-core depends on no other package of this repository' },
          ],
        },
      ],
    },
  },
  {
    // React's rules of hooks for the editor; missing effect dependencies are worth a look, not a failure.
    files: ['apps/editor/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // The editor speaks only the public API: the protocol, never the runtime's server or the nodes' internals.
    files: ['apps/editor/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'the editor runs in the browser: no Node modules' },
            { regex: '^@kinegraph/runtime(?!/protocol$)', message: 'the editor uses only @kinegraph/runtime/protocol (the public API)' },
            { group: ['@kinegraph/nodes', '@kinegraph/nodes/*'], message: 'the editor knows node types only from GET /api/nodes' },
            {
              group: ['**/runtime/src/**', '**/packages/nodes/**', '**/apps/runtime/**'],
              message: 'the editor may not reach into the runtime or the nodes by path',
            },
          ],
        },
      ],
    },
  },
  {
    // Nodes know nothing of HTTP, sockets or the queue.
    files: ['packages/nodes/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['express', 'express/*', 'ws', 'bullmq', 'ioredis', '@kinegraph/runtime', '@kinegraph/runtime/*'],
              message: 'nodes never see HTTP, sockets or the queue (see docs/architecture.md)',
            },
          ],
        },
      ],
    },
  },
);
