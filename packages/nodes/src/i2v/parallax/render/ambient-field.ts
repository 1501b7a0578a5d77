import type { AmbientParams } from '../motion/motion-params.js';
import { REGION_NAMES, type ParallaxScene } from '../scene.js';
import { gaussBlur } from '../filters.js';
import { noiseTexture, type NoiseTexture } from './noise.js';
import { createRng } from '../rng.js';
import type { BrushMotion } from '../motion/brush-fields.js';

const SKY = REGION_NAMES.indexOf('sky');
const WATER = REGION_NAMES.indexOf('water');
const VEG = REGION_NAMES.indexOf('vegetation');
const HAZE = REGION_NAMES.indexOf('haze');
const HIGHLIGHT = REGION_NAMES.indexOf('highlight');

/**
 * The ambient motion of the background at a scene point: where the content at (sx, sy) comes from at time t
 * (cloud drift, waves, ripples, flowing water, wind in vegetation, rising mist) and a brightness gain
 * (shimmering light). Masks are looked up at the scene point, so motion sticks to the scene while the camera
 * moves. Every field is smooth in space and time, ramps in over the first 0.6 s, and is seeded.
 */
export class AmbientField {
  private readonly n1: NoiseTexture;
  private readonly n2: NoiseTexture;
  private readonly n3: NoiseTexture;
  private readonly wavePhase: number;
  private readonly speedJitter: number;
  /** Seeded variety (v2; v1: none): cloud drift turned off its named direction, gusts shifted in time, wave crests turned and paced. */
  private readonly cloudDir: [number, number] | undefined;
  private readonly gustShift: number = 0;
  private readonly waveSpeed: number = 0.33;
  private readonly waveSlope: number = 0;
  /** How far a drift may carry content over a whole clip: half the scene margin. */
  private readonly maxDrift: number;
  /**
   * The sky mask blurred wide (sigma ~60 px) for the steady cloud drift: content drifts only well inside the
   * sky and the drift eases out over a wide band at the sky's edge, so the stretch there is spread thin instead
   * of tearing a seam where the mask ends (hazy photos, whose sky mask fades out across the picture).
   */
  private readonly skyDrift: Float32Array;
  /**
   * The water mask blurred (sigma ~12 px) for the water's displacement: where water meets reeds, a pier or the
   * shore, the displacement eases out instead of stepping, which would fold content into a crease line.
   */
  private readonly waterMotion: Float32Array;
  /** Photo row where the sky meets the land (0: no sky found). */
  private readonly horizonY: number;
  /** Motion Brush regions with their weight planes (none when the plan or the scene has none). */
  private readonly brushes: Array<BrushMotion & { w: Float32Array }>;

  constructor(
    private readonly s: ParallaxScene,
    private readonly amb: AmbientParams,
    seed: number,
    /** v2: seeds also turn the drifts, vary their speed more and shift gusts and waves (v1: noise and phase only). */
    variety = false,
  ) {
    this.n1 = noiseTexture(seed, 'ambient-1');
    this.n2 = noiseTexture(seed, 'ambient-2');
    this.n3 = noiseTexture(seed, 'ambient-3');
    const rnd = noiseTexture(seed, 'scalars');
    this.wavePhase = (rnd.at(0.1, 0.2) + 0.5) * Math.PI * 2;
    this.speedJitter = 1 + rnd.at(0.7, 0.3) * 0.3;
    if (variety) {
      const r = createRng(seed, 'ambient-variety');
      this.speedJitter = 0.5 + r();
      const turn = (r() - 0.5) * 0.7; // up to ±20° off the named direction
      const [ux, uy] = amb.dir.clouds;
      this.cloudDir = [ux * Math.cos(turn) - uy * Math.sin(turn), ux * Math.sin(turn) + uy * Math.cos(turn)];
      this.gustShift = r() * 40;
      this.waveSpeed = 0.33 * (0.75 + 0.5 * r());
      this.waveSlope = (r() - 0.5) * 0.5;
    }
    this.maxDrift = s.pad * 0.5;
    const N = s.qw * s.qh;
    const r = Math.max(1, Math.round((75 * s.height) / 720 / s.q));
    // Only the fields a motion reads (a camera-only field, as framing probes use, needs neither).
    const e = amb.env;
    this.skyDrift = e.clouds > 0 ? gaussBlur(s.masks.subarray(SKY * N, (SKY + 1) * N), s.qw, s.qh, r) : new Float32Array(0);
    for (let k = 0; k < this.skyDrift.length; k++) this.skyDrift[k] *= this.skyDrift[k];
    this.waterMotion =
      e.waves + e.ripples + e.flow > 0
        ? gaussBlur(s.masks.subarray(WATER * N, (WATER + 1) * N), s.qw, s.qh, Math.max(1, Math.round((12 * s.height) / 720 / s.q)))
        : new Float32Array(0);
    this.horizonY = (s.horizon ?? 0) * s.height;
    const N2 = s.qw * s.qh;
    const planes = amb.brushes ?? [];
    this.brushes =
      s.brush && s.brush.length === planes.length * N2 ? planes.map((b, k) => ({ ...b, w: s.brush!.subarray(k * N2, (k + 1) * N2) })) : [];
  }

  /** Any Motion Brush region at all. */
  get hasBrushes(): boolean {
    return this.brushes.length > 0;
  }

  /**
   * Adds the brushes' displacement at scene point (sx, sy) to out[0], out[1] (content at p comes from p + out).
   * Zero wherever the brush weights are (outside the painted regions and a band inside their edge).
   */
  brushAt(sx: number, sy: number, t: number, out: Float64Array): void {
    if (!this.brushes.length) return;
    const s = this.s;
    let qx = (sx + s.pad - (s.q - 1) / 2) / s.q;
    let qy = (sy + s.pad - (s.q - 1) / 2) / s.q;
    qx = qx < 0 ? 0 : qx > s.qw - 1.001 ? s.qw - 1.001 : qx;
    qy = qy < 0 ? 0 : qy > s.qh - 1.001 ? s.qh - 1.001 : qy;
    const x0 = qx | 0;
    const y0 = qy | 0;
    const fx = qx - x0;
    const fy = qy - y0;
    const i = y0 * s.qw + x0;
    const qw = s.qw;
    const S = s.height / 720;
    const ramp = smoothstep(0, 0.6, t);
    for (const b of this.brushes) {
      const f = b.w;
      const w = f[i] * (1 - fx) * (1 - fy) + f[i + 1] * fx * (1 - fy) + f[i + qw] * (1 - fx) * fy + f[i + qw + 1] * fx * fy;
      if (w <= 0) continue;
      const [dx, dy] = b.dir;
      const st = 2 * b.strength;
      let ox = 0;
      let oy = 0;
      switch (b.kind) {
        case 'drift':
        case 'flow': {
          // A steady glide along the direction (flow: slower, with turbulence), kept clear of the photo's edge.
          const speed = Math.min((b.kind === 'drift' ? 14 : 9) * S * st, this.maxDrift / (this.amb.duration ?? 6));
          ox -= this.insidePhoto(sx, s.width, w * dx * speed * t);
          oy -= this.insidePhoto(sy, s.height, w * dy * speed * t);
          if (b.kind === 'flow') {
            const amp = w * 2.5 * S * st * ramp;
            const u = sx / (60 * S) - dx * t * 0.5;
            const v = sy / (30 * S) - dy * t * 0.5;
            ox += amp * 2 * (this.n2.at(u, v) - 0.5);
            oy += amp * 2 * (this.n3.at(u, v) - 0.5);
          }
          break;
        }
        case 'ripple': {
          const amp = w * 3 * S * st * ramp;
          const u = sx / (50 * S) - dx * t * 0.15;
          const v = sy / (18 * S) - dy * t * 0.15;
          ox += amp * 2 * (this.n1.at(u + t * 0.1, v) - 0.5);
          oy += amp * 2 * (this.n2.at(u, v + t * 0.08) - 0.5);
          break;
        }
        case 'sway': {
          // Back and forth along the direction, its phase drifting slowly across the region.
          const a =
            w * 7 * S * st * ramp * Math.sin((2 * Math.PI * (t + this.gustShift)) / 3.2 + 3 * this.n1.at(sx / (500 * S), sy / (500 * S)));
          ox += dx * a;
          oy += dy * a;
          break;
        }
        case 'hair': {
          // Lifted the way the wind blows, in gusts, fluttering across it.
          const amp = w * 6 * S * st * ramp;
          const gust = this.n3.at((t + this.gustShift) * 0.3, sy / (300 * S));
          const flutter = this.n1.at(sx / (40 * S) - dx * t * 0.8, sy / (40 * S) - dy * t * 0.8) - 0.5;
          const along = amp * (0.8 * gust + 0.5 * flutter);
          const across = amp * 0.4 * (this.n2.at(sx / (40 * S) + t * 0.5, sy / (40 * S)) - 0.5);
          ox += -dx * along - dy * across;
          oy += -dy * along + dx * across;
          break;
        }
      }
      out[0] += ox;
      out[1] += oy;
    }
  }

  /** Any displacement at all (else the renderer skips the lookups). */
  get active(): boolean {
    const e = this.amb.env;
    return e.clouds + e.waves + e.ripples + e.flow + e.wind + e.mist > 0 || this.brushes.length > 0;
  }

  /**
   * A steady drift `drift` (content at p comes from p - drift) faded out toward the photo edge it pulls content
   * from, so drifting clouds or mist never drag the synthesized margin (a softened, mirrored extension) into
   * view: near that edge the drift eases to zero and the content stretches gently instead of streaking.
   */
  private insidePhoto(p: number, size: number, drift: number): number {
    if (drift === 0) return 0;
    const room = drift < 0 ? size - 1 - p : p; // distance to the edge the content comes from
    const reach = Math.abs(drift);
    return drift * smoothstep(0, 2 * reach, room);
  }

  /** Writes [dx, dy, gain] for the scene point (sx, sy) at depth d into out. */
  displace(sx: number, sy: number, d: number, t: number, useGain: boolean, out: Float64Array): void {
    const s = this.s;
    const S = s.height / 720;
    const env = this.amb.env;
    const dir = this.amb.dir;
    const masks = s.masks;
    const N = s.qw * s.qh;
    const ramp = smoothstep(0, 0.6, t);
    // Region masks at this scene point.
    let qx = (sx + s.pad - (s.q - 1) / 2) / s.q;
    let qy = (sy + s.pad - (s.q - 1) / 2) / s.q;
    qx = qx < 0 ? 0 : qx > s.qw - 1.001 ? s.qw - 1.001 : qx;
    qy = qy < 0 ? 0 : qy > s.qh - 1.001 ? s.qh - 1.001 : qy;
    const x0 = qx | 0;
    const y0 = qy | 0;
    const fx = qx - x0;
    const fy = qy - y0;
    const i = y0 * s.qw + x0;
    const w00 = (1 - fx) * (1 - fy);
    const w10 = fx * (1 - fy);
    const w01 = (1 - fx) * fy;
    const w11 = fx * fy;
    const qw = s.qw;
    const near = 1 / d;
    let ox = 0;
    let oy = 0;
    if (env.clouds > 0) {
      // The wide sky mask (not the sharp one), so the drift has no edge anywhere in the picture.
      const sd = this.skyDrift;
      const md = sd[i] * w00 + sd[i + 1] * w10 + sd[i + qw] * w01 + sd[i + qw + 1] * w11;
      if (md > 0.001) {
        // Clouds near the horizon are far away: their drift slows to nothing there (perspective), so the land
        // along the skyline is never dragged with them.
        const high = this.horizonY > 0 ? smoothstep(0, 0.2 * s.height, this.horizonY - sy) : 1;
        const speed = high * Math.min(20 * S * env.clouds * this.speedJitter, this.maxDrift / (this.amb.duration ?? 6));
        const cd = this.cloudDir ?? dir.clouds;
        ox -= this.insidePhoto(sx, s.width, md * cd[0] * speed * t);
        oy -= this.insidePhoto(sy, s.height, md * cd[1] * speed * t * 0.5);
        ox += md * 3 * S * env.clouds * ramp * this.n3.at(sx / (400 * S) + t * 0.05, sy / (200 * S));
      }
    }
    // Soft water masks are boosted: a lake that is "half sure" should still move visibly.
    const wm = this.waterMotion;
    const mwRaw = env.waves + env.ripples + env.flow > 0 ? wm[i] * w00 + wm[i + 1] * w10 + wm[i + qw] * w01 + wm[i + qw + 1] * w11 : 0;
    const mw = smoothstep(0.12, 0.5, mwRaw);
    if (mw > 0.01) {
      if (env.waves > 0) {
        const lambda = (10 + 60 * near) * S;
        const toward = dir.waves[1] >= 0 ? 1 : -1;
        let ph =
          (2 * Math.PI * sy) / lambda -
          toward * 2 * Math.PI * this.waveSpeed * t +
          this.wavePhase +
          6.28 * this.n1.at(sx / (500 * S), sy / (120 * S));
        if (this.waveSlope) ph += (2 * Math.PI * sx * this.waveSlope) / lambda;
        // At most 0.3 of a wavelength's slope (amplitude × 2π/λ): steeper waves would fold crests into lines.
        const amp = mw * Math.min((1.5 + 6 * near) * S * env.waves * 2, (0.3 * lambda) / (2 * Math.PI)) * ramp;
        oy += amp * Math.sin(ph);
        ox += 0.3 * amp * Math.cos(ph + 1);
      }
      if (env.ripples > 0) {
        const amp = mw * 3.5 * S * env.ripples * 2 * ramp * (0.5 + near);
        ox += amp * 2 * this.n1.at(sx / (60 * S) + t * 0.12, sy / (20 * S) + t * 0.05);
        oy += amp * 2 * this.n2.at(sx / (60 * S) - t * 0.1, sy / (20 * S) + t * 0.07);
      }
      if (env.flow > 0) {
        const amp = mw * 3 * S * env.flow * 2 * ramp;
        ox += amp * 2 * this.n2.at(sx / (80 * S) - dir.flow[0] * t * 0.25, sy / (40 * S) - dir.flow[1] * t * 0.25);
        oy += amp * 2 * this.n3.at(sx / (80 * S) - dir.flow[0] * t * 0.25, sy / (40 * S) - dir.flow[1] * t * 0.25);
      }
    }
    if (env.wind > 0) {
      const mv =
        masks[VEG * N + i] * w00 + masks[VEG * N + i + 1] * w10 + masks[VEG * N + i + qw] * w01 + masks[VEG * N + i + qw + 1] * w11;
      if (mv > 0.01) {
        const amp = mv * 4 * S * env.wind * 2 * ramp;
        const gust = this.n3.at((t + this.gustShift) * 0.09, sy / (600 * S));
        ox += amp * (2 * this.n1.at(sx / (150 * S) - dir.wind[0] * t * 0.18, sy / (150 * S)) + dir.wind[0] * (gust + 0.5) * 0.6);
        oy += amp * 0.6 * this.n2.at(sx / (150 * S) - dir.wind[0] * t * 0.18, sy / (150 * S));
      }
    }
    if (env.mist > 0) {
      const mh =
        masks[HAZE * N + i] * w00 + masks[HAZE * N + i + 1] * w10 + masks[HAZE * N + i + qw] * w01 + masks[HAZE * N + i + qw + 1] * w11;
      if (mh > 0.01) {
        // Mist: a slow rise with a swirl; content moves, the mask stays, so keep the drift gentle.
        const sp = Math.min(3 * S * env.mist * 2, this.maxDrift / (this.amb.duration ?? 6));
        ox -=
          this.insidePhoto(sx, s.width, mh * dir.mist[0] * sp * t) +
          mh * 4 * S * env.mist * ramp * 2 * this.n2.at(sx / (300 * S) + t * 0.04, sy / (150 * S));
        oy -=
          this.insidePhoto(sy, s.height, mh * dir.mist[1] * sp * t) +
          mh * 2 * S * env.mist * ramp * 2 * this.n3.at(sx / (250 * S) - t * 0.03, sy / (120 * S));
      }
    }
    // v2: where a person is, nothing ripples (the still field is 1 on people, easing to 0 around them).
    let hold = 1;
    const st = s.still;
    if (st) {
      hold = 1 - (st[i] * w00 + st[i + 1] * w10 + st[i + qw] * w01 + st[i + qw + 1] * w11);
      ox *= hold;
      oy *= hold;
    }
    out[0] = ox;
    out[1] = oy;
    // Painted motion is what the user asked for where they asked: not held off people.
    this.brushAt(sx, sy, t, out);
    // The shimmer gain is read where the content came from.
    sx += ox;
    sy += oy;
    let g = 1;
    if (useGain) {
      const mh =
        masks[HIGHLIGHT * N + i] * w00 +
        masks[HIGHLIGHT * N + i + 1] * w10 +
        masks[HIGHLIGHT * N + i + qw] * w01 +
        masks[HIGHLIGHT * N + i + qw + 1] * w11;
      if (mh > 0.01) g = 1 + mh * 0.5 * env.shimmer * ramp * 2 * this.n2.at(sx / (14 * S) + t * 0.6, sy / (6 * S) - t * 0.3);
      if (st) g = 1 + (g - 1) * hold;
    }
    out[2] = g;
  }
}

function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}

/** Whether each ambient region is anywhere in a scene (cached per scene: the masks never change). */
const presence = new WeakMap<ParallaxScene, { sky: boolean; water: boolean; veg: boolean; haze: boolean }>();

/**
 * An upper bound of the ambient displacement (pixels, either axis) anywhere at time t, from the amplitudes
 * alone. Steady drifts (clouds, mist) are left out: they never fetch content from beyond the photo's edge
 * (AmbientField.insidePhoto). Framing uses it to keep a frame's edge that far inside the photo.
 */
export function ambientReach(s: ParallaxScene, amb: AmbientParams, t: number): number {
  const N = s.qw * s.qh;
  let p = presence.get(s);
  if (!p) {
    const any = (k: number, min: number) => s.masks.subarray(k * N, (k + 1) * N).some((v) => v > min);
    p = { sky: any(SKY, 0.01), water: any(WATER, 0.05), veg: any(VEG, 0.01), haze: any(HAZE, 0.01) };
    presence.set(s, p);
  }
  const e = amb.env;
  const S = (s.height / 720) * smoothstep(0, 0.6, t);
  let x = 0;
  let y = 0;
  if (p.sky && e.clouds > 0) x += 1.5 * S * e.clouds;
  if (p.water) {
    const waves = 15 * S * e.waves;
    const ripples = 10.5 * S * e.ripples;
    const flow = 6 * S * e.flow;
    x += 0.3 * waves + ripples + flow;
    y += waves + ripples + flow;
  }
  if (p.veg && e.wind > 0) {
    x += 12.8 * S * e.wind;
    y += 2.4 * S * e.wind;
  }
  if (p.haze && e.mist > 0) {
    x += 4 * S * e.mist;
    y += 2 * S * e.mist;
  }
  // Motion Brush: the bound of each kind's swing (steady glides never fetch from beyond the photo's edge).
  let brushes = 0;
  for (const b of amb.brushes ?? [])
    brushes += { drift: 0, flow: 2.5, ripple: 3, sway: 7, hair: 7.5 }[b.kind] * 2 * b.strength * (s.height / 720);
  return Math.max(x, y) + brushes;
}
