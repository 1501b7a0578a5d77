import type { Face } from '../../../values/faces.js';
import { connectedComponents } from './components.js';
import type { SubjectMatte } from './matte.js';

/** Least share of the frame a person must cover to be a layer of its own. */
export const MIN_PERSON_SHARE = 0.01;
/** Without a face on it, a matte must be this large and this sure to count as a person (seen from behind). */
const FACELESS_SHARE = 0.12;
const FACELESS_CONFIDENCE = 0.88;

export interface PersonLayer {
  matte: SubjectMatte;
  /** Face boxes on the person [x0, y0, x1, y1] (photo pixels), which stay rigid. */
  faces: Array<[number, number, number, number]>;
}

/**
 * The person matte as the subject layer (builtin/parallax-v2): the connected parts of the matte (at the
 * analysis' quarter resolution) that carry a detected face, or, with no face, one large confident part
 * (a person seen from behind). Stray parts (a ball, a logo, a bright cloud the network took for skin) are
 * left out, so the layer is one coherent body. Undefined when no person is found.
 */
export function personLayer(person: Float32Array, faces: Face[], w: number, h: number, q: number): PersonLayer | { none: string } {
  const qw = Math.ceil(w / q);
  const qh = Math.ceil(h / q);
  const n = qw * qh;
  const coarse = cellMeans(person, w, h, q, qw, qh);
  const bin = new Uint8Array(n);
  for (let i = 0; i < n; i++) bin[i] = coarse[i] > 0.5 ? 1 : 0;
  const { labels, sizes } = connectedComponents(bin, qw, qh);
  const keep = new Uint8Array(sizes.length);
  const onPerson: Array<[number, number, number, number]> = [];
  for (const f of faces) {
    const label = faceLabel(f, labels, qw, qh, q);
    if (label > 0) {
      keep[label] = 1;
      onPerson.push([f.box.x, f.box.y, f.box.x + f.box.width, f.box.y + f.box.height]);
    }
  }
  let biggestKept = 0;
  let biggest = 0;
  for (let k = 1; k < sizes.length; k++) {
    if (keep[k]) biggestKept = Math.max(biggestKept, sizes[k]);
    if (sizes[k] > sizes[biggest]) biggest = k;
  }
  if (
    !biggestKept &&
    biggest > 0 &&
    sizes[biggest] >= FACELESS_SHARE * n &&
    confidence(person, labels, biggest, w, h, q, qw) >= FACELESS_CONFIDENCE
  ) {
    keep[biggest] = 1;
    biggestKept = sizes[biggest];
  }
  // Another large part beside a kept one (a second person seen from behind).
  for (let k = 1; k < sizes.length; k++) if (sizes[k] >= Math.max(0.5 * biggestKept, 0.03 * n)) keep[k] = 1;
  let area = 0;
  for (let k = 1; k < sizes.length; k++) if (keep[k]) area += sizes[k];
  if (!biggestKept)
    return { none: faces.length ? 'no person matte under the faces found' : 'no person found (no face, no large confident person matte)' };
  if (area < MIN_PERSON_SHARE * n)
    return { none: `the person covers ${((100 * area) / n).toFixed(1)}% of the frame, too little for a layer of its own` };

  // Kept parts grown by two cells (their soft edge lies outside the 0.5 contour), then the matte inside them.
  const kept = new Float32Array(n);
  for (let i = 0; i < n; i++) kept[i] = keep[labels[i]] && labels[i] > 0 ? 1 : 0;
  const grown = dilate(kept, qw, qh, 2);
  const alpha = new Float32Array(w * h);
  let x0 = w;
  let y0 = h;
  let x1 = 0;
  let y1 = 0;
  for (let y = 0; y < h; y++) {
    const row = Math.min(qh - 1, (y / q) | 0) * qw;
    for (let x = 0; x < w; x++) {
      if (!grown[row + Math.min(qw - 1, (x / q) | 0)]) continue;
      const v = person[y * w + x];
      if (!(v > 0.02)) continue;
      alpha[y * w + x] = v;
      if (x < x0) x0 = x;
      if (x >= x1) x1 = x + 1;
      if (y < y0) y0 = y;
      y1 = y + 1;
    }
  }
  const soft = cellMeans(alpha, w, h, q, qw, qh);
  return {
    faces: onPerson,
    matte: {
      alpha,
      box: [x0, y0, x1, y1],
      coarse: soft,
      found: true,
      reason: `a person (learned matte${onPerson.length ? `, ${onPerson.length} face${onPerson.length > 1 ? 's' : ''}` : ''}, ${((100 * area) / n).toFixed(0)}% of the frame)`,
      focusContrast: 0,
      area: area / n,
    },
  };
}

/** The component under a face: the label most of the face box's cells carry (0: none). */
function faceLabel(f: Face, labels: Int32Array, qw: number, qh: number, q: number): number {
  const counts = new Map<number, number>();
  const cx0 = Math.max(0, Math.floor(f.box.x / q));
  const cy0 = Math.max(0, Math.floor(f.box.y / q));
  const cx1 = Math.min(qw, Math.ceil((f.box.x + f.box.width) / q));
  const cy1 = Math.min(qh, Math.ceil((f.box.y + f.box.height) / q));
  let cells = 0;
  for (let y = cy0; y < cy1; y++) {
    for (let x = cx0; x < cx1; x++) {
      cells++;
      const l = labels[y * qw + x];
      if (l > 0) counts.set(l, (counts.get(l) ?? 0) + 1);
    }
  }
  let best = 0;
  let most = 0;
  for (const [l, c] of counts) if (c > most) [best, most] = [l, c];
  // Most of the face must lie on the matte: a face box beside a person is not that person's.
  return most >= 0.4 * cells ? best : 0;
}

/** Share of a component's pixels above 0.5 that are above 0.9 (a sure matte, not a guess). */
function confidence(person: Float32Array, labels: Int32Array, label: number, w: number, h: number, q: number, qw: number): number {
  let over5 = 0;
  let over9 = 0;
  for (let y = 0; y < h; y++) {
    const row = ((y / q) | 0) * qw;
    for (let x = 0; x < w; x++) {
      if (labels[row + ((x / q) | 0)] !== label) continue;
      const v = person[y * w + x];
      if (v > 0.5) over5++;
      if (v > 0.9) over9++;
    }
  }
  return over5 ? over9 / over5 : 0;
}

function cellMeans(v: Float32Array, w: number, h: number, q: number, qw: number, qh: number): Float32Array {
  const sum = new Float32Array(qw * qh);
  const count = new Float32Array(qw * qh);
  for (let y = 0; y < h; y++) {
    const row = Math.min(qh - 1, (y / q) | 0) * qw;
    for (let x = 0; x < w; x++) {
      const c = row + Math.min(qw - 1, (x / q) | 0);
      sum[c] += v[y * w + x];
      count[c]++;
    }
  }
  for (let i = 0; i < sum.length; i++) sum[i] = count[i] ? sum[i] / count[i] : 0;
  return sum;
}

/** Max filter over a (2r+1)² window (separable). */
export function dilate(v: Float32Array, w: number, h: number, r: number): Float32Array {
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let m = -Infinity;
      for (let k = Math.max(0, x - r); k <= Math.min(w - 1, x + r); k++) m = Math.max(m, v[y * w + k]);
      tmp[y * w + x] = m;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let m = -Infinity;
      for (let k = Math.max(0, y - r); k <= Math.min(h - 1, y + r); k++) m = Math.max(m, tmp[k * w + x]);
      out[y * w + x] = m;
    }
  }
  return out;
}
