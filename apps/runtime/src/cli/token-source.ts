import { readFile, stat } from 'node:fs/promises';
import { CliError } from './exit-codes.js';

export interface TokenChoice {
  token?: string;
  /** Where it came from, for the log line (never the token itself). */
  source?: 'file' | 'environment' | 'command line';
  /** Things the user should fix, printed once at start. */
  warnings: string[];
}

/**
 * The access token from `--token-file` (best: nothing shows it), `KINEGRAPH_TOKEN`, or `--token` (works, but
 * any user of the machine sees it in `ps` and it stays in the shell history). One source only: two that
 * disagree would leave the user unsure which one is in force.
 */
export async function chooseToken(o: { token?: string; tokenFile?: string }, env: NodeJS.ProcessEnv = process.env): Promise<TokenChoice> {
  const fromEnv = env.KINEGRAPH_TOKEN || undefined;
  const given = [o.tokenFile !== undefined && '--token-file', o.token !== undefined && '--token'].filter(Boolean);
  if (given.length > 1) throw new CliError('Give the token one way: --token-file or --token, not both');
  const warnings: string[] = [];
  if (o.tokenFile !== undefined) {
    let text: string;
    try {
      text = await readFile(o.tokenFile, 'utf8');
    } catch (e) {
      throw new CliError(`Can not read the token file ${o.tokenFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    // One line; the newline an editor or `echo` adds is not part of it.
    const token = text.replace(/\r?\n$/, '');
    if (!token || /[\r\n]/.test(token))
      throw new CliError(`The token file ${o.tokenFile} must hold the token on one line (it is ${token ? 'several lines' : 'empty'})`);
    const mode = (await stat(o.tokenFile)).mode;
    if (process.platform !== 'win32' && mode & 0o077) {
      warnings.push(`the token file ${o.tokenFile} can be read by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it`);
    }
    return { token, source: 'file', warnings };
  }
  if (o.token !== undefined) {
    if (!o.token) throw new CliError('--token is empty');
    warnings.push(
      '--token shows the token to every user of this machine (ps, /proc) and keeps it in the shell history; use --token-file <file> or KINEGRAPH_TOKEN',
    );
    return { token: o.token, source: 'command line', warnings };
  }
  if (fromEnv) return { token: fromEnv, source: 'environment', warnings };
  return { warnings };
}
