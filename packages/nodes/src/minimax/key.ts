import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { serviceToken, UserError, type Services } from '@kinegraph/graph-core';

/** The environment variable a key may come from (MiniMax's own tools read the same name). */
export const KEY_ENV = 'MINIMAX_API_KEY';
export const KEY_FILE = 'minimax.key';

/** A folder that may hold `minimax.key`, and how messages name it (a server's absolute paths stay private). */
export interface KeyFolder {
  dir: string;
  label: string;
}
/** The folders the host looks in, first to last (the server: `<data>/keys`, then the user's config folder). */
export const KeyFoldersToken = serviceToken<KeyFolder[]>('minimax-key-folders');

/** `$XDG_CONFIG_HOME/kinegraph` or `~/.config/kinegraph`: the key file for the CLI, and for a server as well. */
export function userKeyFolder(env: NodeJS.ProcessEnv = process.env): KeyFolder {
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg && path.isAbsolute(xdg)) return { dir: path.join(xdg, 'kinegraph'), label: `$XDG_CONFIG_HOME/kinegraph/${KEY_FILE}` };
  return { dir: path.join(homedir(), '.config', 'kinegraph'), label: `~/.config/kinegraph/${KEY_FILE}` };
}

export function keyFolders(services: Services, env: NodeJS.ProcessEnv = process.env): KeyFolder[] {
  return services.has(KeyFoldersToken) ? services.get(KeyFoldersToken) : [userKeyFolder(env)];
}

export type KeyLookup = { key: string; source: string } | { key?: undefined; problem: string };

/**
 * The MiniMax API key: the environment first, then `minimax.key` in each key folder. Read on every call, so a
 * key put in place while the server runs is found without a restart. Only the place it came from is ever shown.
 */
export function lookUpKey(services: Services, env: NodeJS.ProcessEnv = process.env): KeyLookup {
  const fromEnv = env[KEY_ENV]?.trim();
  if (fromEnv) return checked(fromEnv, KEY_ENV);
  const folders = keyFolders(services, env);
  for (const f of folders) {
    const file = path.join(f.dir, KEY_FILE);
    const info = statSync(file, { throwIfNoEntry: false });
    if (!info) continue;
    if (!info.isFile()) return { problem: `${f.label} is not a file` };
    if (info.size > 4096) return { problem: `${f.label} is ${info.size} bytes, too long for an API key (it should hold the key alone)` };
    let text: string;
    try {
      text = readFileSync(file, 'utf8').trim();
    } catch (e) {
      return { problem: `${f.label} can not be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
    }
    if (!text) return { problem: `${f.label} is empty: paste the key into it` };
    return checked(text, f.label);
  }
  return { problem: missingKeyMessage(folders) };
}

/** The key, or a UserError that says where to put one. */
export function requireKey(services: Services, env: NodeJS.ProcessEnv = process.env): string {
  const found = lookUpKey(services, env);
  if (found.key === undefined) throw new UserError(found.problem);
  return found.key;
}

function checked(key: string, source: string): KeyLookup {
  // It goes into an HTTP header: a line break or a space there would be refused (or worse, split the header).
  if (!/^[\x21-\x7e]+$/.test(key))
    return { problem: `The MiniMax key from ${source} holds spaces, line breaks or other characters a key does not have` };
  return { key, source };
}

export function missingKeyMessage(folders: KeyFolder[]): string {
  const files = folders.map((f) => f.label).join(' or ');
  return `No MiniMax API key: set ${KEY_ENV} in the environment of the server or CLI, or put the key alone in ${files}. Get a key at platform.minimax.io (API Keys); it is never stored in the workflow.`;
}
