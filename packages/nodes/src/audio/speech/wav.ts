import { OperationalError } from '@kinegraph/graph-core';

/** Reads a PCM WAV (8/16-bit integer or 32-bit float, any channel count) into mono float samples. */
export function parseWav(buf: Buffer): { samples: Float32Array; sampleRate: number } {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') {
    throw new OperationalError('The synthesiser wrote no WAV file');
  }
  let format = 0,
    channels = 0,
    sampleRate = 0,
    bits = 0;
  let data: Buffer | undefined;
  for (let at = 12; at + 8 <= buf.length;) {
    const id = buf.toString('latin1', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    const body = buf.subarray(at + 8, Math.min(buf.length, at + 8 + size));
    if (id === 'fmt ') {
      format = body.readUInt16LE(0);
      channels = body.readUInt16LE(2);
      sampleRate = body.readUInt32LE(4);
      bits = body.readUInt16LE(14);
    } else if (id === 'data') data = body;
    at += 8 + size + (size & 1);
  }
  if (!data || !channels || !sampleRate) throw new OperationalError('The WAV file has no format or no data');
  const bytes = bits / 8;
  const frames = Math.floor(data.length / (bytes * channels));
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) {
      const at = (i * channels + c) * bytes;
      if (format === 3 && bits === 32) sum += data.readFloatLE(at);
      else if (bits === 16) sum += data.readInt16LE(at) / 32768;
      else if (bits === 8) sum += (data.readUInt8(at) - 128) / 128;
      else throw new OperationalError(`Unsupported WAV sample format (${bits}-bit, format ${format})`);
    }
    out[i] = sum / channels;
  }
  return { samples: out, sampleRate };
}
