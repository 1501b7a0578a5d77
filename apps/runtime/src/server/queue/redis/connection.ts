import { z } from 'zod';

/** What `--queue` accepts: redis://[user:password@]host:port[/db] (rediss:// for TLS). */
const RedisUrlSchema = z
  .string()
  .max(2048)
  .transform((s, ctx) => {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not a URL; expected redis://host:port` });
      return z.NEVER;
    }
    if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
      ctx.addIssue({ code: 'custom', message: `"${u.protocol}" is not a Redis URL; expected redis://host:port` });
      return z.NEVER;
    }
    const db = u.pathname.replace(/^\//, '');
    if (db !== '' && !/^\d{1,2}$/.test(db)) {
      ctx.addIssue({ code: 'custom', message: `"${db}" is not a Redis database number` });
      return z.NEVER;
    }
    return u;
  });

/** ioredis connection options (as BullMQ takes them) for a `--queue` URL. */
export interface RedisConnection {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls?: object;
  /** BullMQ's workers block on Redis: they must not give up a command after a few retries. */
  maxRetriesPerRequest: null;
}

export function parseRedisUrl(url: string): RedisConnection {
  const parsed = RedisUrlSchema.safeParse(url);
  if (!parsed.success) throw new Error(`--queue: ${parsed.error.issues[0]?.message ?? 'not a Redis URL'}`);
  const u = parsed.data;
  const conn: RedisConnection = {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    maxRetriesPerRequest: null,
  };
  if (u.username) conn.username = decodeURIComponent(u.username);
  if (u.password) conn.password = decodeURIComponent(u.password);
  if (u.protocol === 'rediss:') conn.tls = {};
  return conn;
}

/** The URL without its password, for log lines. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}
