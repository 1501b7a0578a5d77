import { encodePreviewFrame } from '@kinegraph/runtime/protocol';
import { describe, expect, it } from 'vitest';
import { parsePreviewFrame } from './preview-frame.js';

describe('binary preview frames', () => {
  it('decodes what the runtime encodes', () => {
    const image = new Uint8Array([0xff, 0xd8, 1, 2, 3]);
    const bytes = encodePreviewFrame({ runId: 'r1', nodeId: 'denoise', width: 64, height: 36 }, 'image/jpeg', image);
    const frame = parsePreviewFrame(bytes.slice().buffer);
    expect(frame?.header).toEqual({ runId: 'r1', nodeId: 'denoise', width: 64, height: 36 });
    expect(frame?.mime).toBe('image/jpeg');
    expect([...frame!.image]).toEqual([...image]);
  });

  it('answers null for an unknown or cut frame', () => {
    expect(parsePreviewFrame(new Uint8Array([9, 1, 0, 0]).buffer)).toBeNull();
    expect(parsePreviewFrame(new Uint8Array([1, 1, 0, 50, 1]).buffer)).toBeNull();
  });
});
