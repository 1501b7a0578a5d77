import type { CameraPose } from '../../../values/camera.js';
import type { AmbientParams } from '../motion/motion-params.js';
import { REGION_NAMES, type ParallaxScene } from '../scene.js';
import { noiseTexture, type NoiseTexture } from './noise.js';
import { Particles } from './particles.js';
import { compositeSubjectRow, gainRow, gridRow, packRgb, packRgba, sampleBackgroundRow } from './sample-layers.js';
import { BASE_FOV } from '../camera/presets.js';
import { F0, viewRays } from './project.js';

const SKY = REGION_NAMES.indexOf('sky');
const WATER = REGION_NAMES.indexOf('water');
const VEG = REGION_NAMES.indexOf('vegetation');
const HAZE = REGION_NAMES.indexOf('haze');
const HIGHLIGHT = REGION_NAMES.indexOf('highlight');

/**
 * Renders frames of a parallax scene: a per-frame map of source coordinates is computed on a coarse grid
 * (camera reprojection through the layered depth plus ambient displacement, all smooth fields), then every
 * pixel interpolates it and samples the layers: the completed background, then the subject cut-out over it.
 * The background covers well beyond the frame, so every pixel always finds content (no holes).
 */
export class ParallaxRenderer {
  private readonly G = 8;
  private readonly gw: number;
  private readonly gh: number;
  private readonly bgX: Float32Array;
  private readonly bgY: Float32Array;
  private readonly fgX: Float32Array;
  private readonly fgY: Float32Array;
  private readonly gain: Float32Array;
  private readonly rowA: Float32Array;
  private readonly rowB: Float32Array;
  private readonly box: Int32Array;
  private readonly packed: Uint32Array;
  private readonly packedFg: Int32Array | undefined;
  private readonly n1: NoiseTexture;
  private readonly n2: NoiseTexture;
  private readonly n3: NoiseTexture;
  private readonly particles: Particles[] = [];
  private readonly hasSubject: boolean;
  private readonly wavePhase: number;
  private readonly speedJitter: number;
  /** How far a drift may carry content over a whole clip: half the scene margin. */
  private readonly maxDrift: number;
  private readonly maxX: number;
  /** Unclamped [minX, minY, maxX, maxY] of the last grid. */
  private readonly extent = new Float64Array(4);
  private readonly maxY: number;

  constructor(
    private readonly s: ParallaxScene,
    private readonly background: Uint8Array,
    private readonly amb: AmbientParams,
    seed: number,
    readonly width = s.width,
    readonly height = s.height,
  ) {
    this.gw = Math.floor((width - 1) / this.G) + 2;
    this.gh = Math.floor((height - 1) / this.G) + 2;
    const n = this.gw * this.gh;
    this.bgX = new Float32Array(n);
    this.bgY = new Float32Array(n);
    this.fgX = new Float32Array(n);
    this.fgY = new Float32Array(n);
    this.gain = new Float32Array(n);
    this.rowA = new Float32Array(this.gw);
    this.rowB = new Float32Array(this.gw);
    this.box = Int32Array.from(s.subjectBox);
    this.packed = packRgb(background);
    this.packedFg = s.subjectDepth > 0 ? packRgba(s.foreground ?? s.rgb, s.matte) : undefined;
    this.n1 = noiseTexture(seed, 'ambient-1');
    this.n2 = noiseTexture(seed, 'ambient-2');
    this.n3 = noiseTexture(seed, 'ambient-3');
    const rnd = noiseTexture(seed, 'scalars');
    this.wavePhase = (rnd.at(0.1, 0.2) + 0.5) * Math.PI * 2;
    this.speedJitter = 1 + rnd.at(0.7, 0.3) * 0.3;
    this.hasSubject = s.subjectDepth > 0;
    this.maxDrift = s.pad * 0.5;
    this.maxX = s.width + 2 * s.pad - 1.01;
    this.maxY = s.height + 2 * s.pad - 1.01;
    for (const kind of ['rain', 'snow'] as const) {
      if (amb.env[kind] > 0.01) this.particles.push(new Particles(kind, amb.env[kind], amb.dir[kind], seed));
    }
  }

  /** Renders the frame at time t (seconds) seen from `pose` into `out` (RGB bytes width×height×3). */
  render(pose: CameraPose, t: number, out = new Uint8Array(this.width * this.height * 3)): Uint8Array {
    // The photo's own camera at time 0 sees the photo: frame 0 is the input, byte for byte.
    if (t === 0 && isIdentity(pose) && this.width === this.s.width && this.height === this.s.height) {
      out.set(this.s.rgb);
      return out;
    }
    const useGain = this.computeGrid(pose, t);
    this.composite(out, useGain);
    for (const p of this.particles) p.draw(out, this.width, this.height, t);
    return out;
  }

  /** Extent of the background coordinates a frame would sample before clamping, in padded-canvas pixels (tests: never outside). */
  sourceExtent(pose: CameraPose, t: number): { minX: number; minY: number; maxX: number; maxY: number; width: number; height: number } {
    this.computeGrid(pose, t);
    const e = this.extent;
    return { minX: e[0], minY: e[1], maxX: e[2], maxY: e[3], width: this.s.width + 2 * this.s.pad, height: this.s.height + 2 * this.s.pad };
  }

  private depthAt(sx: number, sy: number): number {
    const s = this.s;
    let qx = (sx + s.pad - (s.q - 1) / 2) / s.q;
    let qy = (sy + s.pad - (s.q - 1) / 2) / s.q;
    if (qx < 0) qx = 0;
    else if (qx > s.qw - 1.001) qx = s.qw - 1.001;
    if (qy < 0) qy = 0;
    else if (qy > s.qh - 1.001) qy = s.qh - 1.001;
    const x0 = qx | 0;
    const y0 = qy | 0;
    const fx = qx - x0;
    const fy = qy - y0;
    const i = y0 * s.qw + x0;
    const d = s.depth;
    const a = d[i] + (d[i + 1] - d[i]) * fx;
    const b = d[i + s.qw] + (d[i + s.qw + 1] - d[i + s.qw]) * fx;
    return a + (b - a) * fy;
  }

  /** Fills the coarse source-coordinate grids; returns whether the shimmer gain is in use. */
  private computeGrid(pose: CameraPose, t: number): boolean {
    const s = this.s;
    const { m, f, c } = viewRays(pose);
    const W = this.width;
    const H = this.height;
    const half = H / 2;
    const srcHalf = s.height / 2;
    const S = s.height / 720;
    const env = this.amb.env;
    const dir = this.amb.dir;
    const sub = this.amb.subject;
    const ramp = smoothstep(0, 0.6, t);
    const hasAmbient = env.clouds + env.waves + env.ripples + env.flow + env.wind + env.mist > 0;
    const useGain = env.shimmer > 0.01;
    const N = s.qw * s.qh;
    const masks = s.masks;
    const box = s.subjectBox;
    const baseY = box[3];
    const midX = (box[0] + box[2]) / 2;
    const boxH = Math.max(1, box[3] - box[1]);
    const breath = sub.breathing > 0 ? (1 - Math.cos((2 * Math.PI * t) / 3.6)) / 2 : 0;
    const swayK = Math.sin((2 * Math.PI * t) / 4.5) * ramp;
    const D = s.subjectDepth;
    const ext = this.extent;
    ext.set([Infinity, Infinity, -Infinity, -Infinity]);
    for (let gy = 0; gy < this.gh; gy++) {
      const y = Math.min(gy * this.G, H - 1 + this.G);
      const v = -(y + 0.5 - half) / half;
      for (let gx = 0; gx < this.gw; gx++) {
        const x = gx * this.G;
        const u = (x + 0.5 - W / 2) / half;
        const gi = gy * this.gw + gx;
        // View ray in world space.
        const rx = u / f;
        const ry = v / f;
        const dx = m[0] * rx + m[1] * ry + m[2];
        const dy = m[3] * rx + m[4] * ry + m[5];
        const dz = m[6] * rx + m[7] * ry + m[8];
        // Background: find the scene point the ray hits on the depth surface (fixed-point iterations).
        let su = (u * F0) / f;
        let sv = (v * F0) / f;
        let sx = su * srcHalf + s.width / 2 - 0.5;
        let sy = -sv * srcHalf + srcHalf - 0.5;
        let d = this.depthAt(sx, sy);
        for (let it = 0; it < 3; it++) {
          const k = (d - c[2]) / dz;
          su = (F0 * (c[0] + k * dx)) / d;
          sv = (F0 * (c[1] + k * dy)) / d;
          sx = su * srcHalf + s.width / 2 - 0.5;
          sy = -sv * srcHalf + srcHalf - 0.5;
          if (it < 2) d = this.depthAt(sx, sy);
        }
        let g = 1;
        if (hasAmbient || useGain) {
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
            const ms = (masks[SKY * N + i] * w00 + masks[SKY * N + i + 1] * w10 + masks[SKY * N + i + qw] * w01 + masks[SKY * N + i + qw + 1] * w11);
            if (ms > 0.01) {
              const speed = Math.min(20 * S * env.clouds * this.speedJitter, this.maxDrift / (this.amb.duration ?? 6));
              ox -= ms * dir.clouds[0] * speed * t;
              oy -= ms * dir.clouds[1] * speed * t * 0.5;
              ox += ms * 3 * S * env.clouds * ramp * this.n3.at(sx / (400 * S) + t * 0.05, sy / (200 * S));
            }
          }
          // Soft water masks are boosted: a lake that is "half sure" should still move visibly.
          const mwRaw = env.waves + env.ripples + env.flow > 0 ? (masks[WATER * N + i] * w00 + masks[WATER * N + i + 1] * w10 + masks[WATER * N + i + qw] * w01 + masks[WATER * N + i + qw + 1] * w11) : 0;
          const mw = smoothstep(0.12, 0.5, mwRaw);
          if (mw > 0.01) {
            if (env.waves > 0) {
              const lambda = (10 + 60 * near) * S;
              const toward = dir.waves[1] >= 0 ? 1 : -1;
              const ph = (2 * Math.PI * sy) / lambda - toward * 2 * Math.PI * 0.33 * t + this.wavePhase + 6.28 * this.n1.at(sx / (500 * S), sy / (120 * S));
              const amp = mw * (1.5 + 6 * near) * S * env.waves * 2 * ramp;
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
            const mv = (masks[VEG * N + i] * w00 + masks[VEG * N + i + 1] * w10 + masks[VEG * N + i + qw] * w01 + masks[VEG * N + i + qw + 1] * w11);
            if (mv > 0.01) {
              const amp = mv * 4 * S * env.wind * 2 * ramp;
              const gust = this.n3.at(t * 0.09, sy / (600 * S));
              ox += amp * (2 * this.n1.at(sx / (150 * S) - dir.wind[0] * t * 0.18, sy / (150 * S)) + dir.wind[0] * (gust + 0.5) * 0.6);
              oy += amp * 0.6 * this.n2.at(sx / (150 * S) - dir.wind[0] * t * 0.18, sy / (150 * S));
            }
          }
          if (env.mist > 0) {
            const mh = (masks[HAZE * N + i] * w00 + masks[HAZE * N + i + 1] * w10 + masks[HAZE * N + i + qw] * w01 + masks[HAZE * N + i + qw + 1] * w11);
            if (mh > 0.01) {
              // Mist: a slow rise with a swirl; content moves, the mask stays, so keep the drift gentle.
              const sp = Math.min(3 * S * env.mist * 2, this.maxDrift / (this.amb.duration ?? 6));
              ox -= mh * (dir.mist[0] * sp * t + 4 * S * env.mist * ramp * 2 * this.n2.at(sx / (300 * S) + t * 0.04, sy / (150 * S)));
              oy -= mh * (dir.mist[1] * sp * t + 2 * S * env.mist * ramp * 2 * this.n3.at(sx / (250 * S) - t * 0.03, sy / (120 * S)));
            }
          }
          sx += ox;
          sy += oy;
          if (useGain) {
            const mh = (masks[HIGHLIGHT * N + i] * w00 + masks[HIGHLIGHT * N + i + 1] * w10 + masks[HIGHLIGHT * N + i + qw] * w01 + masks[HIGHLIGHT * N + i + qw + 1] * w11);
            if (mh > 0.01) g = 1 + mh * 0.5 * env.shimmer * ramp * 2 * this.n2.at(sx / (14 * S) + t * 0.6, sy / (6 * S) - t * 0.3);
          }
        }
        // Clamped to the canvas (one pixel short of the edge, so the bilinear taps stay inside).
        const px = sx + s.pad;
        const py = sy + s.pad;
        if (px < ext[0]) ext[0] = px;
        if (py < ext[1]) ext[1] = py;
        if (px > ext[2]) ext[2] = px;
        if (py > ext[3]) ext[3] = py;
        this.bgX[gi] = px < 0 ? 0 : px > this.maxX ? this.maxX : px;
        this.bgY[gi] = py < 0 ? 0 : py > this.maxY ? this.maxY : py;
        this.gain[gi] = g;
        if (this.hasSubject) {
          // Subject: a plane at depth D, plus breathing (scale about its base) and sway (shear above its base).
          const k = (D - c[2]) / dz;
          let fx = ((F0 * (c[0] + k * dx)) / D) * srcHalf + s.width / 2 - 0.5;
          let fy = (-(F0 * (c[1] + k * dy)) / D) * srcHalf + srcHalf - 0.5;
          if (breath > 0) {
            const sc = 1 + 0.014 * sub.breathing * 2 * breath;
            fy = baseY + (fy - baseY) / sc;
            fx = midX + (fx - midX) / (1 + 0.004 * sub.breathing * 2 * breath);
          }
          const above = Math.max(0, (baseY - fy) / boxH);
          if (sub.sway > 0) fx -= 6 * S * sub.sway * 2 * swayK * above;
          if (sub.hair > 0 && above > 0.6) {
            const k2 = (above - 0.6) / 0.4;
            fx -= k2 * 4 * S * sub.hair * 2 * ramp * 2 * this.n1.at(fx / (60 * S) - t * 0.3, fy / (60 * S));
          }
          this.fgX[gi] = fx;
          this.fgY[gi] = fy;
        }
      }
    }
    return useGain;
  }

  private composite(out: Uint8Array, useGain: boolean): void {
    const s = this.s;
    const W = this.width;
    const H = this.height;
    const shift = Math.log2(this.G);
    const gw = this.gw;
    const pw = s.width + 2 * s.pad;
    const ph = s.height + 2 * s.pad;
    const rowX = this.rowA;
    const rowY = this.rowB;
    for (let y = 0; y < H; y++) {
      const r0 = (y >> shift) * gw;
      const fy = (y & (this.G - 1)) / this.G;
      gridRow(this.bgX, r0, gw, fy, rowX);
      gridRow(this.bgY, r0, gw, fy, rowY);
      sampleBackgroundRow(this.packed, pw, ph, rowX, rowY, shift, W, out, y * W * 3);
      if (useGain) {
        gridRow(this.gain, r0, gw, fy, rowX);
        gainRow(rowX, shift, W, out, y * W * 3);
      }
    }
    if (!this.hasSubject) return;
    // Only the rows and columns the subject can reach this frame.
    const [oy0, oy1, ox0, ox1] = this.subjectReach();
    for (let y = oy0; y < oy1; y++) {
      const r0 = (y >> shift) * gw;
      const fy = (y & (this.G - 1)) / this.G;
      gridRow(this.fgX, r0, gw, fy, rowX);
      gridRow(this.fgY, r0, gw, fy, rowY);
      compositeSubjectRow(this.packedFg!, s.width, s.height, this.box, rowX, rowY, shift, ox0, ox1, out, y * W * 3);
    }
  }

  /** Output rows [y0, y1) and columns [x0, x1) whose subject-layer coordinates fall inside the subject box. */
  private subjectReach(): [number, number, number, number] {
    const [bx0, by0, bx1, by1] = this.box;
    let gx0 = this.gw;
    let gx1 = -1;
    let gy0 = this.gh;
    let gy1 = -1;
    for (let gy = 0; gy < this.gh; gy++) {
      for (let gx = 0; gx < this.gw; gx++) {
        const i = gy * this.gw + gx;
        const x = this.fgX[i];
        const y = this.fgY[i];
        if (x > bx0 - 2 && x < bx1 + 2 && y > by0 - 2 && y < by1 + 2) {
          if (gx < gx0) gx0 = gx;
          if (gx > gx1) gx1 = gx;
          if (gy < gy0) gy0 = gy;
          if (gy > gy1) gy1 = gy;
        }
      }
    }
    if (gx1 < 0) return [0, 0, 0, 0];
    const G = this.G;
    return [Math.max(0, (gy0 - 1) * G), Math.min(this.height, (gy1 + 1) * G + 1), Math.max(0, (gx0 - 1) * G), Math.min(this.width, (gx1 + 1) * G + 1)];
  }
}

function isIdentity(p: CameraPose): boolean {
  return p.position.every((v) => v === 0) && p.rotation.every((v) => v === 0) && Math.abs(p.fov - BASE_FOV) < 1e-9;
}

function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}
