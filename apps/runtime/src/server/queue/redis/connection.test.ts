import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent } from './channels.js';
import { parseRedisUrl, redactRedisUrl } from './connection.js';

describe('--queue URL', () => {
  it('takes redis:// and rediss:// URLs with a database and credentials', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6380')).toEqual({ host: '127.0.0.1', port: 6380, db: 0, maxRetriesPerRequest: null });
    expect(parseRedisUrl('rediss://user:p%40ss@queue.example:6390/2')).toEqual({
      host: 'queue.example',
      port: 6390,
      db: 2,
      username: 'user',
      password: 'p@ss',
      tls: {},
      maxRetriesPerRequest: null,
    });
    expect(parseRedisUrl('redis://[::1]').host).toBe('::1');
  });

  it('refuses what is not a Redis URL, saying why', () => {
    expect(() => parseRedisUrl('127.0.0.1:6379')).toThrow(/--queue: .*expected redis:\/\/host:port/);
    expect(() => parseRedisUrl('http://127.0.0.1:6379')).toThrow(/"http:" is not a Redis URL/);
    expect(() => parseRedisUrl('redis://h:1/x')).toThrow(/"x" is not a Redis database number/);
  });

  it('keeps passwords out of log lines', () => {
    expect(redactRedisUrl('redis://u:secret@h:1')).toBe('redis://u:***@h:1');
  });
});

describe('events between workers and the server', () => {
  it('carry engine events, a preview picture included, and drop anything else', () => {
    const preview = {
      type: 'preview' as const,
      runId: 'r1',
      time: 1,
      nodeId: 'n',
      image: { mime: 'image/jpeg' as const, data: new Uint8Array([1, 2, 255]), width: 1, height: 1 },
    };
    const back = decodeEvent(encodeEvent('w1', preview));
    expect(back?.worker).toBe('w1');
    expect(back?.event).toEqual(preview);
    const started = { type: 'node_started' as const, runId: 'r1', time: 2, nodeId: 'n', nodeType: 'T' };
    expect(decodeEvent(encodeEvent('w1', started))?.event).toEqual(started);
    expect(decodeEvent('not json')).toBeUndefined();
    expect(decodeEvent(JSON.stringify({ worker: 'w1', event: { type: 'made_up', runId: 'r1' } }))).toBeUndefined();
  });
});
