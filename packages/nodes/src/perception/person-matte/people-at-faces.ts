import sharp from 'sharp';
import type { Face } from '../../values/faces.js';
import { ImageValue } from '../../values/image.js';
import { personProbabilities, refineMatte } from './person-matte.js';
import type { LoadedPersonModel } from './person-session.js';

/**
 * A second look for people the whole-frame pass missed or only half found. The selfie network sees the photo squeezed to 256²,
 * so a person standing at full length in a room (basketball1: two men, faces 55 px of 720) is a few of its
 * pixels wide and comes out as faint scraps. Framed the way the network was trained (one person filling the
 * picture), the same person is found whole. So for each face the matte does not cover well, the network runs again
 * on a tall crop around it (the body's usual extent below and beside a face), and what it finds there is
 * refined to the photo and joined to the matte (the larger value wins).
 *
 * A crop is joined only if its matte covers the face it was cut for (a face on a poster or a mistaken detection
 * stays background), and its weight fades out over a few pixels at crop borders inside the photo, so a person
 * reaching past the crop never gets a straight cut edge. Deterministic: faces largest first, arithmetic only.
 */
export interface PeopleAtFaces {
  /** The joined matte, w×h (the input array itself where nothing was added). */
  matte: Float32Array;
  /** How many crops were joined. */
  added: number;
}

/** Mean matte over a face box's middle from which its person counts as found (half-found people get a second look too). */
const FOUND = 0.9;
/** Mean the crop's own matte must reach over the face for the crop to be joined. */
const COVERED = 0.5;
/** The crop around a face of side s: half-widths beside its centre, how far above and below its top, in s. */
const CROP = { side: 3.5, above: 1.2, below: 12 };
/** At most this many crops (the largest faces). */
const MAX_CROPS = 4;

export async function addPeopleAtFaces(
  model: LoadedPersonModel,
  image: ImageValue,
  matte: Float32Array,
  faces: readonly Face[],
): Promise<PeopleAtFaces> {
  const { width: w, height: h } = image;
  const order = [...faces].sort(
    (a, b) => b.box.width * b.box.height - a.box.width * a.box.height || a.box.x - b.box.x || a.box.y - b.box.y,
  );
  let out = matte;
  let added = 0;
  for (const face of order.slice(0, MAX_CROPS)) {
    if (faceCover(out, w, h, face) >= FOUND) continue;
    const s = Math.max(face.box.width, face.box.height);
    const cx = face.box.x + face.box.width / 2;
    const x0 = clamp(Math.round(cx - CROP.side * s), 0, w);
    const x1 = clamp(Math.round(cx + CROP.side * s), 0, w);
    const y0 = clamp(Math.round(face.box.y - CROP.above * s), 0, h);
    const y1 = clamp(Math.round(face.box.y + CROP.below * s), 0, h);
    const cw = x1 - x0;
    const ch = y1 - y0;
    if (cw < 32 || ch < 32) continue;
    const pixels = await sharp(image.data, { raw: { width: w, height: h, channels: 3 } })
      .extract({ left: x0, top: y0, width: cw, height: ch })
      .raw()
      .toBuffer();
    const crop = new ImageValue(cw, ch, new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength));
    const prob = await personProbabilities(model, crop);
    const found = (await refineMatte(crop, prob, model.spec.width, model.spec.height)).data;
    const inCrop = { ...face, box: { ...face.box, x: face.box.x - x0, y: face.box.y - y0 } };
    if (faceCover(found, cw, ch, inCrop) < COVERED) continue;
    if (out === matte) out = matte.slice();
    join(out, w, h, found, [x0, y0, x1, y1], Math.max(2, Math.round(s / 8)));
    added++;
  }
  return { matte: out, added };
}

/** Mean matte over the face box's middle (its central half each way: hair and background at the box's rim are not face). */
function faceCover(matte: Float32Array, w: number, h: number, face: Face): number {
  const { x, y, width, height } = face.box;
  const x0 = clamp(Math.floor(x + width / 4), 0, w);
  const x1 = clamp(Math.ceil(x + (3 * width) / 4), 0, w);
  const y0 = clamp(Math.floor(y + height / 4), 0, h);
  const y1 = clamp(Math.ceil(y + (3 * height) / 4), 0, h);
  let sum = 0;
  let n = 0;
  for (let py = y0; py < y1; py++) {
    for (let px = x0; px < x1; px++) {
      sum += matte[py * w + px];
      n++;
    }
  }
  return n ? sum / n : 0;
}

/** The crop's matte joined into `out` (the larger value), fading out over `fade` px at crop borders inside the photo. */
function join(out: Float32Array, w: number, h: number, found: Float32Array, box: number[], fade: number): void {
  const [x0, y0, x1, y1] = box;
  const cw = x1 - x0;
  // Distance to each border that lies inside the photo (a border on the photo's own edge does not fade).
  const edge = (d: number, inside: boolean) => (inside ? Math.min(1, (d + 0.5) / fade) : 1);
  for (let y = y0; y < y1; y++) {
    const fy = Math.min(edge(y - y0, y0 > 0), edge(y1 - 1 - y, y1 < h));
    for (let x = x0; x < x1; x++) {
      const k = Math.min(fy, edge(x - x0, x0 > 0), edge(x1 - 1 - x, x1 < w));
      const v = found[(y - y0) * cw + (x - x0)] * k;
      const i = y * w + x;
      if (v > out[i]) out[i] = v;
    }
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
