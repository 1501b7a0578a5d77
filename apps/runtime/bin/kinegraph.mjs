#!/usr/bin/env node
// The `kinegraph` command: runs the TypeScript CLI directly through tsx (the repository ships sources, not builds).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
