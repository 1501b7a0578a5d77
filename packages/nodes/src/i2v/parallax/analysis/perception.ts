import type { Logger } from '@kinegraph/graph-core';
import sharp from 'sharp';
import { estimateDepth as fastDepth } from '../../../perception/depth/estimate.js';
import { detectFaces } from '../../../perception/faces/detect.js';
import { detectLines } from '../../../perception/lines/detect.js';
import { addPeopleAtFaces } from '../../../perception/person-matte/people-at-faces.js';
import { personProbabilities, refineMatte } from '../../../perception/person-matte/person-matte.js';
import { PERSON_MODELS } from '../../../perception/person-matte/person-models.js';
import { loadPersonModel } from '../../../perception/person-matte/person-session.js';
import type { Face } from '../../../values/faces.js';
import { ImageValue } from '../../../values/image.js';

/** What the learned perception models see in the photo (builtin/parallax-v2's analysis). */
export interface Perception {
  /** Person probability refined to the photo's edges, w×h, 0..1. */
  person: Float32Array;
  /** Faces (BlazeFace, both ranges, default threshold), in photo pixels. */
  faces: Face[];
  /** FastDepth's relative inverse depth (near = 1) at `depthW`×`depthH` (the analysis' quarter resolution). */
  depth: Float32Array;
  depthW: number;
  depthH: number;
  /** M-LSD's line segments (tiny, 512²), x0, y0, x1, y1, score in photo pixels; absent where lines are not used. */
  lines?: Float32Array;
  timings: Record<string, number>;
}

export interface PerceptionOptions {
  /** Where the converted person model is cached. */
  cacheDir: string;
  log?: Logger;
  /** Side of the quarter-resolution grid the depth cue is wanted at. */
  q: number;
}

/**
 * Runs the person matte, the face detector and the depth cue on the photo (already at the output size).
 * The three run concurrently (their networks on onnxruntime's threads); then faces the matte left uncovered get a
 * second look (people-at-faces.ts). The depth cue is taken at the
 * analysis' quarter resolution only (it is a weak, smooth cue; its upsampling to full size would be wasted).
 */
export async function perceive(rgb: Uint8Array, w: number, h: number, o: PerceptionOptions): Promise<Perception> {
  const image = new ImageValue(w, h, rgb);
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const out = await f();
    timings[name] = Math.round(performance.now() - t);
    return out;
  };
  const qw = Math.ceil(w / o.q);
  const qh = Math.ceil(h / o.q);
  const [person, faces, depth, lines] = await Promise.all([
    timed('person', async () => {
      const model = await loadPersonModel(PERSON_MODELS.selfie, { cacheDir: o.cacheDir, log: o.log });
      const prob = await personProbabilities(model, image);
      return (await refineMatte(image, prob, model.spec.width, model.spec.height)).data;
    }),
    timed('faces', async () => (await detectFaces(image, { model: 'both', threshold: 0.75, maxFaces: 8, log: o.log })).faces),
    timed('depthCue', async () => {
      const small = await sharp(rgb, { raw: { width: w, height: h, channels: 3 } })
        .resize(qw, qh, { fit: 'fill' })
        .raw()
        .toBuffer();
      const cue = await fastDepth(new ImageValue(qw, qh, new Uint8Array(small.buffer, small.byteOffset, small.byteLength)), {
        flipAverage: false,
        refine: false,
        log: o.log,
      });
      return cue.depth.data;
    }),
    timed(
      'lines',
      async () => (await detectLines(image, { model: 'tiny_512', threshold: 0.1, minLength: 0.06, maxLines: 128, log: o.log })).segments,
    ),
  ]);
  // People the whole-frame matte missed (small, full-length figures): the network again on a crop around each uncovered face.
  const { matte } = await timed('personAtFaces', async () =>
    addPeopleAtFaces(await loadPersonModel(PERSON_MODELS.selfie, { cacheDir: o.cacheDir, log: o.log }), image, person, faces),
  );
  return { person: matte, faces, depth, depthW: qw, depthH: qh, lines, timings };
}
