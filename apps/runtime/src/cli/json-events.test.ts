import { describe, expect, it } from 'vitest';
import { eventJsonLine } from './json-events.js';

describe('eventJsonLine', () => {
  it('replaces preview bytes by their count and keeps everything else', () => {
    const line = eventJsonLine({
      type: 'preview',
      runId: 'r',
      time: 1,
      nodeId: 'denoise',
      image: { mime: 'image/jpeg', data: new Uint8Array(1234), width: 320, height: 180 },
    });
    expect(JSON.parse(line)).toEqual({
      type: 'preview',
      runId: 'r',
      time: 1,
      nodeId: 'denoise',
      image: { mime: 'image/jpeg', bytes: 1234, width: 320, height: 180 },
    });
    expect(JSON.parse(eventJsonLine({ type: 'progress', runId: 'r', time: 2, nodeId: 'n', value: 3, max: 8 }))).toMatchObject({
      value: 3,
      max: 8,
    });
  });
});
