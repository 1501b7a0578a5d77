/**
 * Solves the soft edge of the subject from the matting equation photo = a·F + (1−a)·B, with B the completed
 * background: F (the subject layer's colour) keeps the subject's own colour at the edge, so no halo of the old
 * background travels with it. Where F would leave 0..255, F is clamped and B is nudged (a little) towards the
 * value that composites back to the photo. Returns F; adjusts `background` (padded) in place.
 * `nudgeBackground: false` (v2) leaves B as it is: behind v2's soft edge B is already a fill copied from
 * around the hole, and nudging it towards the photo draws the subject's edge colour into it, an outline that
 * shows beside the subject as soon as a move uncovers it.
 */
const MAX_B_SHIFT = 12;

export function decontaminate(
  rgb: Uint8Array,
  matte: Uint8Array,
  background: Uint8Array,
  w: number,
  h: number,
  pad: number,
  o: { nudgeBackground?: boolean } = {},
): Uint8Array {
  const rows = decontaminateRows(rgb, matte, background, w, h, pad, o);
  let r = rows.next();
  while (!r.done) r = rows.next();
  return r.value;
}

/** The same, `turn` awaited every 96 rows (the whole frame is tens of ms at 720p under load). */
export async function decontaminateInTurns(
  rgb: Uint8Array,
  matte: Uint8Array,
  background: Uint8Array,
  w: number,
  h: number,
  pad: number,
  o: { nudgeBackground?: boolean },
  turn: () => Promise<void>,
): Promise<Uint8Array> {
  const rows = decontaminateRows(rgb, matte, background, w, h, pad, o);
  let r = rows.next();
  while (!r.done) {
    await turn();
    r = rows.next();
  }
  return r.value;
}

function* decontaminateRows(
  rgb: Uint8Array,
  matte: Uint8Array,
  background: Uint8Array,
  w: number,
  h: number,
  pad: number,
  { nudgeBackground = true }: { nudgeBackground?: boolean },
): Generator<void, Uint8Array> {
  const fg = new Uint8ClampedArray(rgb.length);
  fg.set(rgb);
  const pw = w + 2 * pad;
  for (let y = 0; y < h; y++) {
    if (y > 0 && y % 96 === 0) yield;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const m = matte[i];
      // Outside the subject (a ≤ 0.002) and inside it (a ≥ 0.998) nothing changes: only the soft edge is solved.
      if (m === 0 || m === 255) continue;
      const a = m / 255;
      const j = ((y + pad) * pw + x + pad) * 3;
      for (let c = 0; c < 3; c++) {
        const p = rgb[i * 3 + c];
        const f = Math.min(255, Math.max(0, Math.round((p - (1 - a) * background[j + c]) / a)));
        fg[i * 3 + c] = f;
        if (!nudgeBackground) continue;
        // A small correction of B only: a large one would draw a rim that shows once the subject moves away.
        const need = (p - a * f) / (1 - a) - background[j + c];
        const b = Math.round(background[j + c] + Math.max(-MAX_B_SHIFT, Math.min(MAX_B_SHIFT, need)));
        background[j + c] = b < 0 ? 0 : b > 255 ? 255 : b;
      }
    }
  }
  return new Uint8Array(fg.buffer);
}
