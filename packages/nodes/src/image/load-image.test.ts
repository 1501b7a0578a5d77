import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '@kinegraph/graph-core';
import { createTestCtx, createTestHost, runNode, type TestHost } from '../test-support/ctx.js';
import { gradientImage, testPhotos } from '../test-support/images.js';
import { ImageValue } from '../values/image.js';
import { decodeImageFile } from './decode-image.js';
import { LoadImage } from './load-image.js';

let host: TestHost;
const inInput = (name: string) => path.join(host.inputDir, name);

async function load(name: string) {
  return runNode(LoadImage, createTestCtx(host.services), {}, { image: name });
}

async function loadError(name: string): Promise<UserError> {
  const err = await load(name).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

beforeAll(async () => {
  host = await createTestHost();
  await gradientImage(64, 32).jpeg({ quality: 90 }).toFile(inInput('wide.jpg'));
  // Stored landscape, EXIF orientation 6 (rotate 90° clockwise): a viewer shows it portrait.
  await gradientImage(64, 32).jpeg().withMetadata({ orientation: 6 }).toFile(inInput('rotated.jpg'));
  await sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0 } } })
    .png()
    .toFile(inInput('transparent.png'));
  await gradientImage(40, 30).webp({ lossless: true }).toFile(inInput('pic.webp'));
  await gradientImage(20, 10).toColourspace('rgb16').png().toFile(inInput('deep.png'));
  await gradientImage(20, 10).grayscale().png().toFile(inInput('grey.png'));
  await gradientImage(24, 16).avif({ quality: 80 }).toFile(inInput('pic.avif'));
  await gradientImage(24, 16).tiff().toFile(inInput('pic.tiff'));
  await writeFile(inInput('empty.jpg'), Buffer.alloc(0));
  await writeFile(inInput('notes.jpg'), 'these are not pixels\n');
  const full = await readFile(inInput('wide.jpg'));
  await writeFile(inInput('truncated.jpg'), full.subarray(0, Math.floor(full.length / 2)));
  const corrupt = Buffer.from(full);
  corrupt.fill(0x55, 20, 400); // header tables overwritten
  await writeFile(inInput('corrupt.jpg'), corrupt);
});
afterAll(() => host.cleanup());

describe('LoadImage', () => {
  it('reads a JPEG into RGB with its size outputs', async () => {
    const out = await load('wide.jpg');
    expect(out.image).toBeInstanceOf(ImageValue);
    expect([out.width, out.height]).toEqual([64, 32]);
    expect(out.image.data.length).toBe(64 * 32 * 3);
    // The bright square in the middle survives JPEG compression.
    const mid = (16 * 64 + 32) * 3;
    expect(out.image.data[mid]).toBeGreaterThan(230);
  });

  it('applies EXIF orientation', async () => {
    const out = await load('rotated.jpg');
    expect([out.width, out.height]).toEqual([32, 64]);
  });

  it('flattens transparency onto white', async () => {
    const out = await load('transparent.png');
    expect([...out.image.data.subarray(0, 3)]).toEqual([255, 255, 255]);
  });

  it('reads WebP, AVIF and TIFF', async () => {
    expect(((await load('pic.webp')) as { width: number }).width).toBe(40);
    const avif = await load('pic.avif');
    expect([avif.width, avif.height]).toEqual([24, 16]);
    const tiff = await load('pic.tiff');
    expect([tiff.width, tiff.height]).toEqual([24, 16]);
  });

  it('reads 16-bit and greyscale PNGs as 8-bit RGB', async () => {
    const deep = await load('deep.png');
    expect(deep.image.data.length).toBe(20 * 10 * 3);
    // The bright square survives the 16 → 8 bit conversion as white, not as a wrapped value.
    expect(Math.min(...deep.image.data.subarray((5 * 20 + 10) * 3, (5 * 20 + 10) * 3 + 3))).toBeGreaterThan(240);
    const grey = await load('grey.png');
    const px = grey.image.data.subarray(0, 3);
    expect(px[0]).toBe(px[1]);
    expect(px[1]).toBe(px[2]);
  });

  it('declares its file for the content-hashed cache key', () => {
    expect(LoadImage.cache).toBe('file');
    expect(LoadImage.fileRefs!({ image: 'a/b.png' })).toEqual(['a/b.png']);
  });

  it('gives a clear error for each broken file', async () => {
    expect((await loadError('missing.png')).message).toMatch(/not found/);
    expect((await loadError('empty.jpg')).message).toMatch(/empty \(0 bytes\)/);
    expect((await loadError('notes.jpg')).message).toMatch(/is not an image/);
    expect((await loadError('truncated.jpg')).message).toMatch(/is truncated/);
    expect((await loadError('corrupt.jpg')).message).toMatch(/corrupt|truncated/);
    expect((await loadError('')).message).toMatch(/No file chosen/);
    expect((await loadError('../escape.png')).message).toMatch(/\.\./);
  });

  it('refuses pictures over the pixel limit before decoding them', async () => {
    const big = inInput('big.png');
    await sharp({ create: { width: 8200, height: 8000, channels: 3, background: '#336699' } })
      .png({ compressionLevel: 1 })
      .toFile(big);
    const err = await loadError('big.png');
    expect(err.message).toMatch(/8200x8000 \(65\.6 MP\), over the 64\.0 MP limit/);
    await expect(decodeImageFile(inInput('wide.jpg'), 'wide.jpg', 1000)).rejects.toThrow(/over the 0\.0 MP limit/);
  });

  it.runIf(testPhotos().length > 0)('reads a real photo', async () => {
    const photo = testPhotos()[0];
    await copyFile(photo, inInput('photo.jpg'));
    const meta = await sharp(photo).metadata();
    const out = await load('photo.jpg');
    expect(out.width * out.height).toBe(meta.width! * meta.height!);
    expect(out.image.data.length).toBe(out.width * out.height * 3);
  });
});
