import { describe, expect, it } from 'vitest';
import { bracketWarnings, builtinReading, readBrackets } from './director.js';

describe('Director bracket commands', () => {
  it('reads bracket groups and finds commands MiniMax does not list', () => {
    const r = readBrackets('A lighthouse at dusk [Truck left, Pan right, Zoom in], then [push in] and [Orbit left]');
    expect(r.groups).toEqual([['Truck left', 'Pan right', 'Zoom in'], ['push in'], ['Orbit left']]);
    expect(r.unknown).toEqual(['Orbit left']);
    expect(r.crowded).toEqual([]);
    expect(readBrackets('[Pan left, Tilt up, Zoom in, Shake]').crowded).toEqual(['[Pan left, Tilt up, Zoom in, Shake]']);
  });

  it('warns when a model does not take brackets, never about plain prompts', () => {
    expect(bracketWarnings('waves roll in, slow push in', 'I2V-01', false)).toEqual([]);
    expect(bracketWarnings('[Pan left] over the bay', 'I2V-01-Director', true)).toEqual([]);
    expect(bracketWarnings('[Pan left] over the bay', 'I2V-01', false)).toEqual([
      expect.stringContaining('I2V-01 does not take [bracket] camera commands'),
    ]);
    expect(bracketWarnings('[Dolly zoom]', 'MiniMax-Hailuo-2.3', true)[0]).toContain("Not among MiniMax's camera commands: [Dolly zoom]");
  });

  it("shows the built-in model's reading of the same text: understood and ignored", () => {
    const r = builtinReading('the waves roll in softly [Truck left, Zoom in], a lighthouse blinks');
    expect(r.text).toContain('builtin/parallax-v2');
    expect(r.text).toMatch(/Camera: .*truck left/);
    expect(r.text).toMatch(/zoom in/);
    expect(r.understood.length).toBeGreaterThan(0);
    expect(r.ignored).toContain('lighthouse');
  });
});
