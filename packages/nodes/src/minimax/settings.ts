import { serviceToken, UserError, type Services } from '@kinegraph/graph-core';

export const API_BASE_ENV = 'MINIMAX_API_BASE';
export const TASK_TIMEOUT_ENV = 'MINIMAX_TASK_TIMEOUT_S';
/** The international API host; users in mainland China set MINIMAX_API_BASE=https://api.minimaxi.com. */
export const DEFAULT_API_BASE = 'https://api.minimax.io';

/** How the client talks to MiniMax: where, how patiently, how often. */
export interface MiniMaxSettings {
  apiBase: string;
  /** First wait between task queries; it grows by half each time up to pollMaxMs. */
  pollStartMs: number;
  pollMaxMs: number;
  /** A task not finished after this long is given up (it may still finish in the MiniMax account). */
  taskTimeoutMs: number;
  /** One API call (submit, query, file lookup). */
  requestTimeoutMs: number;
  /** The whole video download. */
  downloadTimeoutMs: number;
  /** Tries per call when the failure is one retrying can fix. */
  attempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** A download larger than this is refused (MiniMax's clips are tens of MB). */
  maxDownloadBytes: number;
}

/** Tests and hosts may change any of these; the rest come from the environment and the defaults. */
export const MiniMaxSettingsToken = serviceToken<Partial<MiniMaxSettings>>('minimax-settings');

export function minimaxSettings(services: Services, env: NodeJS.ProcessEnv = process.env): MiniMaxSettings {
  const given = services.has(MiniMaxSettingsToken) ? services.get(MiniMaxSettingsToken) : {};
  const timeoutS = Number(env[TASK_TIMEOUT_ENV]);
  const out: MiniMaxSettings = {
    apiBase: env[API_BASE_ENV]?.trim() || DEFAULT_API_BASE,
    pollStartMs: 5_000,
    pollMaxMs: 30_000,
    taskTimeoutMs: Number.isFinite(timeoutS) && timeoutS > 0 ? timeoutS * 1000 : 30 * 60_000,
    requestTimeoutMs: 60_000,
    downloadTimeoutMs: 10 * 60_000,
    attempts: 5,
    retryBaseMs: 1_000,
    retryMaxMs: 30_000,
    maxDownloadBytes: 1024 ** 3,
    ...given,
  };
  out.apiBase = checkedBase(out.apiBase);
  return out;
}

/**
 * The API base as a URL without a trailing slash. Plain http is allowed only to this machine (a local stand-in
 * or proxy): anywhere else it would send the key in the clear.
 */
export function checkedBase(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError(`${API_BASE_ENV} is not a URL: "${text.slice(0, 200)}"`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new UserError(`${API_BASE_ENV} must be an https:// URL (plain http only to this machine), got "${url.origin}"`);
  }
  if (url.username || url.password || url.search || url.hash)
    throw new UserError(`${API_BASE_ENV} must be a plain base URL such as ${DEFAULT_API_BASE}`);
  return url.href.replace(/\/+$/, '');
}
