import { UserError } from '@kinegraph/graph-core';

export const RESOLUTION_PRESETS = { '512p': 512, '720p': 720, '1080p': 1080 } as const;
export type ResolutionPreset = keyof typeof RESOLUTION_PRESETS | 'custom';
/** 'auto': 16:9 or 9:16 by the photo's orientation (1:1 for square photos); 'photo': the photo's own aspect. */
export const ASPECTS = ['auto', 'photo', '16:9', '9:16', '4:3', '3:4', '1:1'] as const;
export type Aspect = (typeof ASPECTS)[number];

export const MIN_SIZE = 128;
export const MAX_SIZE = 4096;

const round16 = (v: number) => Math.max(16, Math.round(v / 16) * 16);

/** The output size (custom: multiples of 16; presets: their exact short side) for a photo of photoW×photoH under a preset or custom size. */
export function chooseSize(
  photoW: number,
  photoH: number,
  o: { resolution: ResolutionPreset; aspect: Aspect; width: number; height: number },
): { width: number; height: number } {
  if (o.resolution === 'custom') {
    checkCustom(o.width, 'width');
    checkCustom(o.height, 'height');
    return { width: o.width, height: o.height };
  }
  const short = RESOLUTION_PRESETS[o.resolution];
  const ratio = aspectRatio(photoW, photoH, o.aspect); // width / height
  // The preset's short side is kept exactly (1080 is not a multiple of 16, and need not be); the long side is.
  if (ratio >= 1) return { width: round16(short * ratio), height: short };
  return { width: short, height: round16(short / ratio) };
}

function aspectRatio(w: number, h: number, aspect: Aspect): number {
  const photo = w / h;
  switch (aspect) {
    case 'photo':
      return photo;
    case 'auto':
      return Math.abs(photo - 1) < 0.08 ? 1 : photo > 1 ? 16 / 9 : 9 / 16;
    default: {
      const [a, b] = aspect.split(':').map(Number);
      return a / b;
    }
  }
}

function checkCustom(v: number, field: string): void {
  if (!Number.isInteger(v) || v % 16 !== 0 || v < MIN_SIZE || v > MAX_SIZE) {
    throw new UserError(`${field} must be a multiple of 16 between ${MIN_SIZE} and ${MAX_SIZE} (got ${v})`, field);
  }
}
