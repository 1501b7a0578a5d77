import type { AmbientParams } from '../motion/motion-params.js';
import type { ParallaxScene } from '../scene.js';
import { noiseTexture, type NoiseTexture } from './noise.js';

/**
 * How a person moves (builtin/parallax-v2, when the subject layer is a person from the learned matte): breathing
 * (the body rises and falls about its base), sway (a lean growing with height), a slight head turn or gaze shift
 * (the head region moves, the shoulders hold), hair lifting (smooth noise above and around the face, none on
 * it). Every face stays rigid: inside a face box the layer moves by one translation, the body's motion at the
 * face's centre, easing into the body's motion around it. Works in the subject layer's own photo
 * coordinates: `displace` turns the rigid layer position (where the camera alone would sample) into the
 * sampled one.
 */
export class PersonMotion {
  private readonly faces: Float64Array;
  private readonly baseY: number;
  private readonly boxH: number;
  private readonly S: number;
  private readonly hairNoise: NoiseTexture;
  private readonly gazeNoise: NoiseTexture;
  // Per-frame values (prepare).
  private breathY = 1;
  private sway = 0;
  private headX = 0;
  private headY = 0;
  private hair = 0;
  private t = 0;
  /** Each face's displacement this frame (dx, dy), the body's at its centre. */
  private readonly faceShift: Float64Array;
  private readonly tmp = new Float64Array(2);

  constructor(
    s: ParallaxScene,
    private readonly amount: AmbientParams['subject'],
    seed: number,
  ) {
    const box = s.subjectBox;
    this.baseY = box[3];
    this.boxH = Math.max(1, box[3] - box[1]);
    this.S = s.height / 720;
    // The largest face first: its head is the one that turns.
    const faces = [...(s.faces ?? [])].sort((a, b) => (b[2] - b[0]) * (b[3] - b[1]) - (a[2] - a[0]) * (a[3] - a[1]));
    // Per face: centre x, y, half width, half height.
    this.faces = Float64Array.from(
      faces.flatMap(([x0, y0, x1, y1]) => [(x0 + x1) / 2, (y0 + y1) / 2, Math.max(1, (x1 - x0) / 2), Math.max(1, (y1 - y0) / 2)]),
    );
    this.faceShift = new Float64Array(faces.length * 2);
    this.hairNoise = noiseTexture(seed, 'person-hair');
    this.gazeNoise = noiseTexture(seed, 'person-gaze');
  }

  /** True when any motion is asked (else the layer stays rigid and displace need not run). */
  get active(): boolean {
    const a = this.amount;
    return a.breathing > 0 || a.sway > 0 || a.hair > 0 || (a.head ?? 0) > 0;
  }

  /** Per-frame constants at time t (seconds): phases, the head's offset, each face's translation. */
  prepare(t: number): void {
    const a = this.amount;
    const S = this.S;
    const ramp = smoothstep(0, 0.6, t);
    this.t = t;
    const breath = a.breathing > 0 ? (1 - Math.cos((2 * Math.PI * t) / 3.6)) / 2 : 0;
    this.breathY = 1 / (1 + 0.014 * a.breathing * 2 * breath);
    this.sway = 6 * S * a.sway * 2 * Math.sin((2 * Math.PI * t) / 4.5) * ramp;
    // A slow, seeded look around: mostly sideways, a little up and down.
    const head = a.head ?? 0;
    const g = this.gazeNoise;
    this.headX =
      head > 0 ? 8 * S * head * 2 * ramp * (Math.sin((2 * Math.PI * t) / 5.5 + g.at(0.3, 0.7) * 6) * 0.8 + g.at(t * 0.15, 0.2) * 0.8) : 0;
    this.headY = head > 0 ? 3 * S * head * 2 * ramp * (Math.sin((2 * Math.PI * t) / 7 + g.at(0.9, 0.1) * 6) * 0.7 - 0.3) : 0;
    this.hair = 5 * S * a.hair * 2 * ramp;
    const f = this.faces;
    for (let k = 0; k < f.length / 4; k++) {
      this.body(f[4 * k], f[4 * k + 1], false, this.tmp);
      this.faceShift[2 * k] = this.tmp[0];
      this.faceShift[2 * k + 1] = this.tmp[1];
    }
  }

  /** The sampled position for rigid layer position (x, y) this frame, into out[0], out[1]. */
  displace(x: number, y: number, out: Float64Array): void {
    this.body(x, y, true, out);
    // Faces rigid: blend towards the face's own translation (1 inside the box, easing out over a third of it).
    const f = this.faces;
    for (let k = 0; k < f.length / 4; k++) {
      const u = (x - f[4 * k]) / f[4 * k + 2];
      const v = (y - f[4 * k + 1]) / f[4 * k + 3];
      const r = Math.sqrt(u * u + v * v);
      if (r >= 1.45) continue;
      const w = 1 - smoothstep(1.1, 1.45, r);
      out[0] += (this.faceShift[2 * k] - out[0]) * w;
      out[1] += (this.faceShift[2 * k + 1] - out[1]) * w;
    }
    out[0] += x;
    out[1] += y;
  }

  /** The body's displacement of the sampled position at (x, y) (hair only where asked), into out. */
  private body(x: number, y: number, withHair: boolean, out: Float64Array): void {
    // Breathing: a vertical scale about the base; sway: a lean growing with height above it.
    let dy = this.baseY + (y - this.baseY) * this.breathY - y;
    const above = this.baseY > y ? Math.min(1, (this.baseY - y) / this.boxH) : 0;
    let dx = -this.sway * above;
    const f = this.faces;
    if (f.length) {
      // The head region around the first face (the largest): it turns, the shoulders hold.
      const u = (x - f[0]) / (f[2] * 1.9);
      const v = (y - f[1]) / (f[3] * (y < f[1] ? 2.1 : 1.5));
      const r = Math.sqrt(u * u + v * v);
      const head = 1 - smoothstep(0.75, 1.2, r);
      dx -= this.headX * head;
      dy -= this.headY * head;
      if (withHair && this.hair > 0 && head > 0) {
        // Hair: above and beside the face, not on it; it lifts (upwards) and stirs sideways.
        const onFace = 1 - smoothstep(0.55, 0.8, Math.sqrt(((x - f[0]) / f[2]) ** 2 + ((y - f[1]) / f[3]) ** 2) / 1.2);
        const k = head * (1 - onFace) * (y < f[1] + f[3] * 0.3 ? 1 : 0.4);
        const n = this.hairNoise;
        // Noise tiles of 300 px (strands move together over tens of pixels), drifting with the wind.
        const s = 300 * this.S;
        dx -= this.hair * k * 2 * n.at(x / s - this.t * 0.25, y / s);
        dy += this.hair * k * (0.35 + Math.abs(n.at(x / s + 0.37, y / s - this.t * 0.2)));
      }
    } else if (withHair && this.hair > 0 && above > 0.6) {
      // No face found: the top of the figure, as the classical subject's hair.
      const n = this.hairNoise;
      const s = 300 * this.S;
      dx -= ((above - 0.6) / 0.4) * this.hair * 2 * n.at(x / s - this.t * 0.25, y / s);
    }
    out[0] = dx;
    out[1] = dy;
  }
}

function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}
