import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseToken } from './token-source.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kg-token-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('where serve takes its token from', () => {
  it('reads --token-file (one line, its newline dropped) and warns when others can read it', async () => {
    const file = path.join(dir, 'token');
    await writeFile(file, 'from-a-file\n', { mode: 0o600 });
    await chmod(file, 0o600);
    expect(await chooseToken({ tokenFile: file }, {})).toEqual({ token: 'from-a-file', source: 'file', warnings: [] });
    await chmod(file, 0o644);
    const open = await chooseToken({ tokenFile: file }, {});
    expect(open.token).toBe('from-a-file');
    expect(open.warnings[0]).toMatch(/can be read by other users \(mode 644\); chmod 600/);
  });

  it('refuses an empty, multi-line or missing token file', async () => {
    const empty = path.join(dir, 'empty');
    await writeFile(empty, '\n');
    await expect(chooseToken({ tokenFile: empty }, {})).rejects.toThrow(/must hold the token on one line \(it is empty\)/);
    const two = path.join(dir, 'two');
    await writeFile(two, 'a\nb\n');
    await expect(chooseToken({ tokenFile: two }, {})).rejects.toThrow(/several lines/);
    await expect(chooseToken({ tokenFile: path.join(dir, 'none') }, {})).rejects.toThrow(/Can not read the token file .*ENOENT/);
  });

  it('takes KINEGRAPH_TOKEN, and --token with a warning that ps shows it', async () => {
    expect(await chooseToken({}, { KINEGRAPH_TOKEN: 'env' })).toEqual({ token: 'env', source: 'environment', warnings: [] });
    const cli = await chooseToken({ token: 'argv' }, {});
    expect(cli.token).toBe('argv');
    expect(cli.warnings[0]).toMatch(/--token shows the token to every user of this machine \(ps/);
    expect(await chooseToken({}, {})).toEqual({ warnings: [] });
  });

  it('refuses two sources given on the command line', async () => {
    await expect(chooseToken({ token: 'a', tokenFile: '/x' }, {})).rejects.toThrow(/one way/);
  });
});
