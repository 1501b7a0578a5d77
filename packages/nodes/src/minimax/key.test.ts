import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, UserError } from '@kinegraph/graph-core';
import { KeyFoldersToken, lookUpKey, requireKey, userKeyFolder } from './key.js';
import { redact } from './redact.js';
import { checkedBase, minimaxSettings } from './settings.js';

let root: string;
let dataKeys: string;
let userKeys: string;
const folders = () => [
  { dir: dataKeys, label: 'keys/minimax.key in the data folder' },
  { dir: userKeys, label: '~/.config/kinegraph/minimax.key' },
];
const services = () => createServices([[KeyFoldersToken, folders()]]);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'kinegraph-keys-'));
  dataKeys = path.join(root, 'data', 'keys');
  userKeys = path.join(root, 'config', 'kinegraph');
  await mkdir(dataKeys, { recursive: true });
  await mkdir(userKeys, { recursive: true });
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('MiniMax key lookup', () => {
  it('says where to put a key when there is none, without any absolute path', async () => {
    const found = lookUpKey(services(), {});
    expect(found.key).toBeUndefined();
    const problem = (found as { problem: string }).problem;
    expect(problem).toContain('MINIMAX_API_KEY');
    expect(problem).toContain('keys/minimax.key in the data folder');
    expect(problem).toContain('~/.config/kinegraph/minimax.key');
    expect(problem).not.toContain(root);
    expect(() => requireKey(services(), {})).toThrow(UserError);
  });

  it('reads the environment first, then the key folders in order', async () => {
    await writeFile(path.join(userKeys, 'minimax.key'), '  user-key-123\n');
    expect(lookUpKey(services(), {})).toEqual({ key: 'user-key-123', source: '~/.config/kinegraph/minimax.key' });
    await writeFile(path.join(dataKeys, 'minimax.key'), 'data-key-456\n');
    expect(lookUpKey(services(), {})).toEqual({ key: 'data-key-456', source: 'keys/minimax.key in the data folder' });
    expect(lookUpKey(services(), { MINIMAX_API_KEY: ' env-key-789 ' })).toEqual({ key: 'env-key-789', source: 'MINIMAX_API_KEY' });
    await rm(path.join(dataKeys, 'minimax.key'));
    await rm(path.join(userKeys, 'minimax.key'));
  });

  it('refuses an empty key file and a key with spaces or line breaks, without showing it', async () => {
    await writeFile(path.join(dataKeys, 'minimax.key'), '\n\n');
    expect(lookUpKey(services(), {})).toEqual({ problem: 'keys/minimax.key in the data folder is empty: paste the key into it' });
    await writeFile(path.join(dataKeys, 'minimax.key'), 'abc def\nghi');
    const bad = lookUpKey(services(), {}) as { problem: string };
    expect(bad.problem).toContain('holds spaces, line breaks');
    expect(bad.problem).not.toContain('abc def');
    await rm(path.join(dataKeys, 'minimax.key'));
  });

  it('without a host folder list looks in the XDG config folder or ~/.config/kinegraph', () => {
    expect(userKeyFolder({ XDG_CONFIG_HOME: '/cfg' })).toEqual({
      dir: path.join('/cfg', 'kinegraph'),
      label: '$XDG_CONFIG_HOME/kinegraph/minimax.key',
    });
    expect(userKeyFolder({}).label).toBe('~/.config/kinegraph/minimax.key');
  });
});

describe('redaction and the API base', () => {
  it('removes the key, bearer headers and JWT-like tokens from any text', () => {
    const key = 'sk-secret-0123456789';
    expect(redact(`bad key ${key} given`, key)).toBe('bad key [redacted key] given');
    expect(redact('header was Authorization: Bearer abcdefghijklmnop', undefined)).toBe('header was Authorization: Bearer [redacted]');
    expect(
      redact('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end', undefined),
    ).toBe('token [redacted token] end');
  });

  it('takes MINIMAX_API_BASE, https only except to this machine', () => {
    const none = createServices([]);
    expect(minimaxSettings(none, {}).apiBase).toBe('https://api.minimax.io');
    expect(minimaxSettings(none, { MINIMAX_API_BASE: 'https://api.minimaxi.com/' }).apiBase).toBe('https://api.minimaxi.com');
    expect(checkedBase('http://127.0.0.1:4567')).toBe('http://127.0.0.1:4567');
    expect(() => checkedBase('http://api.minimax.io')).toThrow(/https/);
    expect(() => checkedBase('not a url')).toThrow(/not a URL/);
    expect(minimaxSettings(none, { MINIMAX_TASK_TIMEOUT_S: '90' }).taskTimeoutMs).toBe(90_000);
  });
});
