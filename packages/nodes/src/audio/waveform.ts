import sharp from 'sharp';
import type { AudioValue } from '../values/audio.js';

export interface WaveformOptions {
  width?: number;
  height?: number;
}

/**
 * A waveform picture (PNG): per pixel column, the range of the samples it covers (min..max, all channels)
 * drawn as a bar, with the RMS darker inside it, over a dark background with a centre line.
 */
export async function waveformPng(audio: AudioValue, o: WaveformOptions = {}): Promise<{ data: Buffer; width: number; height: number }> {
  const width = o.width ?? 640;
  const height = o.height ?? 120;
  const pixels = Buffer.alloc(width * height * 3);
  const bg = [24, 26, 32];
  for (let i = 0; i < width * height; i++) pixels.set(bg, i * 3);
  const mid = (height - 1) / 2;
  const frames = Math.floor(audio.samples.length / audio.channels);
  const s = audio.samples;
  for (let x = 0; x < width; x++) {
    const from = Math.floor((x * frames) / width);
    const to = Math.max(from + 1, Math.floor(((x + 1) * frames) / width));
    let lo = 0;
    let hi = 0;
    let sq = 0;
    let n = 0;
    for (let f = from; f < to && f < frames; f++) {
      for (let c = 0; c < audio.channels; c++) {
        const v = s[f * audio.channels + c];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        sq += v * v;
        n++;
      }
    }
    const rms = n ? Math.sqrt(sq / n) : 0;
    const y = (v: number) => Math.round(mid - Math.max(-1, Math.min(1, v)) * mid);
    for (let yy = y(hi); yy <= y(lo); yy++) pixels.set([96, 170, 255], (yy * width + x) * 3);
    for (let yy = y(rms); yy <= y(-rms); yy++) pixels.set([40, 110, 210], (yy * width + x) * 3);
    pixels.set([70, 74, 86], (Math.round(mid) * width + x) * 3);
  }
  const data = await sharp(pixels, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 9 })
    .toBuffer();
  return { data, width, height };
}
