import type { CameraPose } from '../../../values/camera.js';
import type { AmbientParams } from '../motion/motion-params.js';
import type { ParallaxScene } from '../scene.js';
import { AmbientField } from './ambient-field.js';
import { noiseTexture, type NoiseTexture } from './noise.js';
import { Particles } from './particles.js';
import { PersonMotion } from './person-motion.js';
import { compositeSubjectRow, gainRow, gridRow, packRgb, packRgba, packRgbaPremultiplied, sampleBackgroundRow } from './sample-layers.js';
import { gainChromaRow, gainLumaRow } from './gain-yuv.js';
import { WasmLayers, type SubjectPlanes } from './wasm-layers.js';
import { chromaBytes, cutoutChroma, halfAlpha, lumaPlane, premultiply, rgbToI420 } from './yuv.js';
import { BASE_FOV } from '../camera/presets.js';
import { F0, viewRays } from './project.js';
import { gaussBlur } from '../filters.js';

/** Per-version rendering choices (none: builtin/parallax-v1's). */
export interface RenderOptions {
  /** Tracking: the subject's layer travels with the camera's sideways and vertical travel (it keeps its place in frame). */
  followSubject?: boolean;
  /** Seeds vary drift speed and direction, gust timing and wave direction too (see AmbientField). */
  variety?: boolean;
  /**
   * The subject layer is sampled premultiplied (v2): its edge blends only what the matte lets through, so a
   * transparent or faint tap's colour (the photo's old background, a matte's faint tail) is never dragged
   * along the outline, however much a push in magnifies it.
   */
  premultiplied?: boolean;
}

/** The layers in BT.709 YCbCr for I420 frames, built on first use; frame 0 (the photo) as I420. */
interface YuvLayers {
  layers: WasmLayers;
  photo?: Uint8Array;
}

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
  /** The layers packed for RGB frames (one word per pixel), built on first use: I420 frames never need them. */
  private packed: { bg: Uint32Array; fg?: Int32Array } | undefined;
  private readonly field: AmbientField;
  private readonly off = new Float64Array(3);
  private readonly particles: Particles[] = [];
  private readonly hasSubject: boolean;
  /** Noise for hair in the wind (the subject layer's own ambient motion). */
  private readonly hairNoise: NoiseTexture;
  /** v2, when the subject layer is a person: breathing, sway, head and hair with rigid faces (else v1's subject motion). */
  private readonly person: PersonMotion | undefined;
  private readonly pOut = new Float64Array(2);
  private readonly bOut = new Float64Array(2);
  private readonly personCard: boolean;
  private readonly maxX: number;
  /** The last grid before clamping (for sourceExtent). */
  private readonly rawX: Float32Array;
  private readonly rawY: Float32Array;
  private readonly maxY: number;
  private yuv: YuvLayers | undefined;
  /** The depth field and its geometry, as own fields: depthAt runs three times per grid point. */
  private readonly depth: Float32Array;
  private readonly qw: number;
  private readonly qOff: number;
  private readonly invQ: number;
  private readonly qxMax: number;
  private readonly qyMax: number;
  private readonly background: Uint8Array;

  constructor(
    private readonly s: ParallaxScene,
    background: Uint8Array,
    private readonly amb: AmbientParams,
    seed: number,
    readonly width = s.width,
    readonly height = s.height,
    private readonly opts: RenderOptions = {},
  ) {
    this.gw = Math.floor((width - 1) / this.G) + 2;
    this.gh = Math.floor((height - 1) / this.G) + 2;
    const n = this.gw * this.gh;
    this.bgX = new Float32Array(n);
    this.bgY = new Float32Array(n);
    this.fgX = new Float32Array(n);
    this.fgY = new Float32Array(n);
    this.gain = new Float32Array(n);
    this.rawX = new Float32Array(n);
    this.rawY = new Float32Array(n);
    this.rowA = new Float32Array(this.gw);
    this.rowB = new Float32Array(this.gw);
    this.box = Int32Array.from(s.subjectBox);
    this.background = background;
    this.depth = smoothDepth(s);
    this.qw = s.qw;
    this.qOff = s.pad - (s.q - 1) / 2;
    this.invQ = 1 / s.q;
    this.qxMax = s.qw - 1.001;
    this.qyMax = s.qh - 1.001;
    this.field = new AmbientField(s, amb, seed, opts.variety ?? false);
    this.hairNoise = noiseTexture(seed, 'ambient-1');
    const person = opts.variety && s.person ? new PersonMotion(s, amb.subject, seed) : undefined;
    this.person = person?.active ? person : undefined;
    this.personCard = !!(opts.variety && s.person && s.subjectDepth > 0);
    this.hasSubject = s.subjectDepth > 0;
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

  /**
   * Renders the frame at time t into `out` as I420 (BT.709 limited range: the Y plane, then Cb and Cr at half
   * resolution), what the video encoder takes as is. Needs even sides. Sampling luma per pixel and chroma per
   * 2×2 block is also cheaper than RGB.
   */
  renderI420(pose: CameraPose, t: number, out: Uint8Array = new Uint8Array((this.width * this.height * 3) / 2)): Uint8Array {
    const W = this.width;
    const H = this.height;
    if (W % 2 || H % 2) throw new RangeError(`I420 frames need even sides, not ${W}x${H}`);
    const yuv = this.yuvLayers();
    if (t === 0 && isIdentity(pose) && W === this.s.width && H === this.s.height) {
      yuv.photo ??= rgbToI420(this.s.rgb, W, H);
      out.set(yuv.photo);
      return out;
    }
    const useGain = this.computeGrid(pose, t);
    this.compositeI420(yuv, out, useGain);
    for (const p of this.particles) p.drawI420(out, W, H, t);
    return out;
  }

  /** Builds the I420 layers now (they are otherwise built by the first I420 frame): lets a caller yield in between. */
  prepareI420(): void {
    this.yuvLayers();
  }

  /** Builds the I420 layers a step at a time, awaiting `turn` between steps (each tens of ms at 720p). */
  async prepareI420InTurns(turn: () => Promise<void>): Promise<void> {
    if (this.yuv) return;
    for (const _ of this.buildYuv()) await turn();
  }

  private yuvLayers(): YuvLayers {
    if (!this.yuv) for (const _ of this.buildYuv());
    return this.yuv!;
  }

  /** The I420 layers, built in steps (a pause may come at each yield); sets this.yuv at the end. */
  private *buildYuv(): Generator<void> {
    const s = this.s;
    const pw = s.width + 2 * s.pad;
    const ph = s.height + 2 * s.pad;
    const { u, v, cw } = chromaBytes(this.background, pw, ph);
    yield;
    const bg = { luma: lumaPlane(this.background, pw, ph), pw, u, v, cs: cw + 1 };
    yield;
    let fg: SubjectPlanes | undefined;
    if (this.hasSubject) {
      const rgb = s.foreground ?? s.rgb;
      const { u, v, cw: scw } = cutoutChroma(rgb, s.width, s.height, s.matte);
      yield;
      const luma = lumaPlane(rgb, s.width, s.height);
      const half = halfAlpha(s.matte, s.width, s.height);
      const pm = this.opts.premultiplied;
      fg = {
        luma: pm ? premultiply(luma, s.matte) : luma,
        alpha: s.matte,
        sw: s.width,
        u: pm ? premultiply(u, half) : u,
        v: pm ? premultiply(v, half) : v,
        halfAlpha: half,
        cs: scw + 1,
      };
      yield;
    }
    // (Built by an earlier caller while this one was paused: keep that one.)
    this.yuv ??= { layers: new WasmLayers(bg, fg, this.gw, this.gh, this.width, this.height, !!this.opts.premultiplied) };
  }

  /**
   * Extent of the background coordinates a frame samples before clamping, in padded-canvas pixels, at the
   * frame's own pixels (grid points inside it, and the last row and column interpolated at the edge).
   * Tests and safe framing use it: inside the canvas means no pixel is smeared from the canvas edge.
   */
  sourceExtent(pose: CameraPose, t: number): { minX: number; minY: number; maxX: number; maxY: number; width: number; height: number } {
    this.computeGrid(pose, t);
    const G = this.G;
    const lastX = this.width - 1;
    const lastY = this.height - 1;
    const cols = [...Array.from({ length: Math.floor(lastX / G) + 1 }, (_, k) => k * G), lastX];
    const rows = [...Array.from({ length: Math.floor(lastY / G) + 1 }, (_, k) => k * G), lastY];
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    const at = (grid: Float32Array, x: number, y: number) => {
      const gx = Math.floor(x / G);
      const gy = Math.floor(y / G);
      const fx = x / G - gx;
      const fy = y / G - gy;
      const i = gy * this.gw + gx;
      const top = grid[i] + (grid[i + 1] - grid[i]) * fx;
      const bottom = grid[i + this.gw] + (grid[i + this.gw + 1] - grid[i + this.gw]) * fx;
      return top + (bottom - top) * fy;
    };
    for (const y of rows) {
      for (const x of cols) {
        const px = at(this.rawX, x, y);
        const py = at(this.rawY, x, y);
        if (px < minX) minX = px;
        if (px > maxX) maxX = px;
        if (py < minY) minY = py;
        if (py > maxY) maxY = py;
      }
    }
    return { minX, minY, maxX, maxY, width: this.s.width + 2 * this.s.pad, height: this.s.height + 2 * this.s.pad };
  }

  /**
   * Extent of the background coordinates (padded canvas, before clamping, ambient motion included) along the
   * frame's border: its four edges every `step` pixels and its corners, each at the exact pixel centre.
   * The source map is smooth and never folds, so its extremes lie on the border; framing checks need only
   * this (about 400 points instead of the whole grid).
   */
  borderExtent(pose: CameraPose, t: number, step = 16, ambient = true): { minX: number; minY: number; maxX: number; maxY: number } {
    const s = this.s;
    const { m, f, c } = viewRays(pose);
    const W = this.width;
    const H = this.height;
    const half = H / 2;
    const srcHalf = s.height / 2;
    const F0s = F0 * srcHalf;
    const x0 = s.width / 2 - 0.5;
    const y0 = srcHalf - 0.5;
    const invF = 1 / f;
    const field = this.field;
    const useAmbient = ambient && field.active;
    const off = this.off;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    // Same projection as computeGrid's background, at one pixel.
    const visit = (x: number, y: number) => {
      const rx = ((x + 0.5 - W / 2) / half) * invF;
      const ry = (-(y + 0.5 - half) / half) * invF;
      const dx = m[0] * rx + m[1] * ry + m[2];
      const dy = m[3] * rx + m[4] * ry + m[5];
      const invDz = 1 / (m[6] * rx + m[7] * ry + m[8]);
      let sx = rx * F0s + x0;
      let sy = -ry * F0s + y0;
      let d = this.depthAt(sx, sy);
      for (let it = 0; it < 3; it++) {
        const k = (d - c[2]) * invDz;
        const invD = F0s / d;
        sx = (c[0] + k * dx) * invD + x0;
        sy = -(c[1] + k * dy) * invD + y0;
        if (it < 2) d = this.depthAt(sx, sy);
      }
      if (useAmbient) {
        field.displace(sx, sy, d, t, false, off);
        sx += off[0];
        sy += off[1];
      }
      const px = sx + s.pad;
      const py = sy + s.pad;
      if (px < minX) minX = px;
      if (px > maxX) maxX = px;
      if (py < minY) minY = py;
      if (py > maxY) maxY = py;
    };
    for (let x = 0; x < W; x += step) {
      visit(x, 0);
      visit(x, H - 1);
    }
    for (let y = 0; y < H; y += step) {
      visit(0, y);
      visit(W - 1, y);
    }
    visit(W - 1, 0);
    visit(W - 1, H - 1);
    return { minX, minY, maxX, maxY };
  }

  /** Background depth at scene point (sx, sy): bilinear in the quarter-resolution field, clamped to it. */
  private depthAt(sx: number, sy: number): number {
    let qx = (sx + this.qOff) * this.invQ;
    let qy = (sy + this.qOff) * this.invQ;
    qx = qx < 0 ? 0 : qx > this.qxMax ? this.qxMax : qx;
    qy = qy < 0 ? 0 : qy > this.qyMax ? this.qyMax : qy;
    const x0 = qx | 0;
    const y0 = qy | 0;
    const fx = qx - x0;
    const qw = this.qw;
    const i = y0 * qw + x0;
    const d = this.depth;
    const a = d[i] + (d[i + 1] - d[i]) * fx;
    const b = d[i + qw] + (d[i + qw + 1] - d[i + qw]) * fx;
    return a + (b - a) * (qy - y0);
  }

  private computeGrid(pose: CameraPose, t: number): boolean {
    const s = this.s;
    const { m, f, c } = viewRays(pose);
    const W = this.width;
    const H = this.height;
    const half = H / 2;
    const srcHalf = s.height / 2;
    const S = s.height / 720;
    const env = this.amb.env;
    const sub = this.amb.subject;
    const ramp = smoothstep(0, 0.6, t);
    const field = this.field;
    const off = this.off;
    const hasAmbient = field.active;
    const useGain = env.shimmer > 0.01;
    const box = s.subjectBox;
    const baseY = box[3];
    const midX = (box[0] + box[2]) / 2;
    const boxH = Math.max(1, box[3] - box[1]);
    const breath = sub.breathing > 0 ? (1 - Math.cos((2 * Math.PI * t) / 3.6)) / 2 : 0;
    const swayK = Math.sin((2 * Math.PI * t) / 4.5) * ramp;
    const D = s.subjectDepth;
    // Per-frame constants in locals: this loop runs for every grid point (about 15 000 at 720p).
    const [m0, m1, m2, m3, m4, m5, m6, m7, m8] = m;
    const [cx, cy, cz] = c;
    // A tracked subject keeps its place: its layer sees no sideways or vertical camera travel.
    const scx = this.opts.followSubject ? 0 : cx;
    const scy = this.opts.followSubject ? 0 : cy;
    const invF = 1 / f;
    const F0s = F0 * srcHalf;
    const x0 = s.width / 2 - 0.5;
    const y0 = srcHalf - 0.5;
    const pad = s.pad;
    const { bgX, bgY, fgX, fgY, rawX, rawY, gain, maxX, maxY, gw, G, hasSubject } = this;
    const breathY = 1 / (1 + 0.014 * sub.breathing * 2 * breath);
    const breathX = 1 / (1 + 0.004 * sub.breathing * 2 * breath);
    const sway = 6 * S * sub.sway * 2 * swayK;
    const hair = 4 * S * sub.hair * 2 * ramp * 2;
    const person = this.person;
    person?.prepare(t);
    const pOut = this.pOut;
    // v2, a person: the layer is a card facing the camera (an affine map, the plane's own at the person's
    // centre), so under an orbit the body is never foreshortened unevenly; it moves as one piece.
    const card = this.personCard ? this.cardMap(m, c, f, scx, scy) : undefined;
    const brushFg = field.hasBrushes;
    for (let gy = 0; gy < this.gh; gy++) {
      const y = Math.min(gy * G, H - 1 + G);
      const ry = (-(y + 0.5 - half) / half) * invF;
      for (let gx = 0; gx < gw; gx++) {
        const rx = ((gx * G + 0.5 - W / 2) / half) * invF;
        const gi = gy * gw + gx;
        // View ray in world space.
        const dx = m0 * rx + m1 * ry + m2;
        const dy = m3 * rx + m4 * ry + m5;
        const invDz = 1 / (m6 * rx + m7 * ry + m8);
        // Background: find the scene point the ray hits on the depth surface (fixed-point iterations from the
        // photo's own projection of the ray).
        let sx = rx * F0s + x0;
        let sy = -ry * F0s + y0;
        let d = this.depthAt(sx, sy);
        for (let it = 0; it < 3; it++) {
          const k = (d - cz) * invDz;
          const invD = F0s / d;
          sx = (cx + k * dx) * invD + x0;
          sy = -(cy + k * dy) * invD + y0;
          if (it < 2) d = this.depthAt(sx, sy);
        }
        let g = 1;
        if (hasAmbient || useGain) {
          field.displace(sx, sy, d, t, useGain, off);
          sx += off[0];
          sy += off[1];
          g = off[2];
        }
        // Clamped to the canvas (one pixel short of the edge, so the bilinear taps stay inside).
        const px = sx + pad;
        const py = sy + pad;
        rawX[gi] = px;
        rawY[gi] = py;
        bgX[gi] = px < 0 ? 0 : px > maxX ? maxX : px;
        bgY[gi] = py < 0 ? 0 : py > maxY ? maxY : py;
        gain[gi] = g;
        if (hasSubject) {
          // Subject: a plane at depth D, plus breathing (scale about its base) and sway (shear above its base).
          const k = (D - cz) * invDz;
          let fx = ((scx + k * dx) * F0s) / D + x0;
          let fy = (-(scy + k * dy) * F0s) / D + y0;
          if (card) {
            const X = gx * G + 0.5 - card[6];
            const Y = y + 0.5 - card[7];
            fx = card[0] + card[2] * X + card[3] * Y;
            fy = card[1] + card[4] * X + card[5] * Y;
          }
          if (person) {
            person.displace(fx, fy, pOut);
            fgX[gi] = pOut[0];
            fgY[gi] = pOut[1];
            if (brushFg) this.brushSubject(gi, t);
            continue;
          }
          if (breath > 0) {
            fy = baseY + (fy - baseY) * breathY;
            fx = midX + (fx - midX) * breathX;
          }
          const above = baseY > fy ? (baseY - fy) / boxH : 0;
          fx -= sway * above;
          if (hair > 0 && above > 0.6) fx -= ((above - 0.6) / 0.4) * hair * this.hairNoise.at(fx / (60 * S) - t * 0.3, fy / (60 * S));
          fgX[gi] = fx;
          fgY[gi] = fy;
          if (brushFg) this.brushSubject(gi, t);
        }
      }
    }
    return useGain;
  }

  /** Motion Brush on the subject layer (hair painted over a person): its displacement at the layer point. */
  private brushSubject(gi: number, t: number): void {
    const b = this.bOut;
    b[0] = 0;
    b[1] = 0;
    this.field.brushAt(this.fgX[gi], this.fgY[gi], t, b);
    this.fgX[gi] += b[0];
    this.fgY[gi] += b[1];
  }

  /**
   * The subject plane's map from output pixel to layer pixel, linearised at the output pixel showing the
   * subject's centre: [layer x, layer y, J00, J01, J10, J11, output x, output y] (layer = l + J·(p − o)).
   */
  private cardMap(m: ArrayLike<number>, c: ArrayLike<number>, f: number, scx: number, scy: number): Float64Array {
    const s = this.s;
    const W = this.width;
    const H = this.height;
    const half = H / 2;
    const F0s = F0 * (s.height / 2);
    const x0 = s.width / 2 - 0.5;
    const y0 = s.height / 2 - 0.5;
    const D = s.subjectDepth;
    const at = (X: number, Y: number, out: number[]) => {
      const rx = (X - W / 2) / half / f;
      const ry = -(Y - half) / half / f;
      const dx = m[0] * rx + m[1] * ry + m[2];
      const dy = m[3] * rx + m[4] * ry + m[5];
      const k = (D - c[2]) / (m[6] * rx + m[7] * ry + m[8]);
      out[0] = ((scx + k * dx) * F0s) / D + x0;
      out[1] = (-(scy + k * dy) * F0s) / D + y0;
    };
    const box = s.subjectBox;
    const cx = (box[0] + box[2]) / 2;
    const cy = (box[1] + box[3]) / 2;
    const l = [0, 0];
    const a = [0, 0];
    const b = [0, 0];
    // The output pixel that shows the centre: a few fixed-point steps (the map is close to a scale and shift).
    let ox = cx * (W / s.width);
    let oy = cy * (H / s.height);
    const e = 4;
    let j = [1, 0, 0, 1];
    for (let it = 0; it < 4; it++) {
      at(ox, oy, l);
      at(ox + e, oy, a);
      at(ox, oy + e, b);
      j = [(a[0] - l[0]) / e, (b[0] - l[0]) / e, (a[1] - l[1]) / e, (b[1] - l[1]) / e];
      const det = j[0] * j[3] - j[1] * j[2];
      const rx = cx - l[0];
      const ry = cy - l[1];
      ox += (j[3] * rx - j[1] * ry) / det;
      oy += (-j[2] * rx + j[0] * ry) / det;
    }
    at(ox, oy, l);
    at(ox + e, oy, a);
    at(ox - e, oy, b);
    const j00 = (a[0] - b[0]) / (2 * e);
    const j10 = (a[1] - b[1]) / (2 * e);
    at(ox, oy + e, a);
    at(ox, oy - e, b);
    const j01 = (a[0] - b[0]) / (2 * e);
    const j11 = (a[1] - b[1]) / (2 * e);
    return Float64Array.from([l[0], l[1], j00, j01, j10, j11, ox, oy]);
  }

  private composite(out: Uint8Array, useGain: boolean): void {
    const s = this.s;
    const packed = (this.packed ??= {
      bg: packRgb(this.background),
      fg: this.hasSubject ? (this.opts.premultiplied ? packRgbaPremultiplied : packRgba)(s.foreground ?? s.rgb, s.matte) : undefined,
    });
    const W = this.width;
    const H = this.height;
    const shift = Math.log2(this.G);
    const gw = this.gw;
    const pw = s.width + 2 * s.pad;
    const rowX = this.rowA;
    const rowY = this.rowB;
    for (let y = 0; y < H; y++) {
      const r0 = (y >> shift) * gw;
      const fy = (y & (this.G - 1)) / this.G;
      gridRow(this.bgX, r0, gw, fy, rowX);
      gridRow(this.bgY, r0, gw, fy, rowY);
      sampleBackgroundRow(packed.bg, pw, rowX, rowY, shift, W, out, y * W * 3);
      if (useGain) {
        gridRow(this.gain, r0, gw, fy, rowX);
        gainRow(rowX, shift, W, out, y * W * 3);
      }
    }
    if (!this.hasSubject) return;
    // Only the rows and columns the subject can reach this frame.
    const [oy0, oy1, ox0, ox1] = this.subjectReach();
    const pm = !!this.opts.premultiplied;
    for (let y = oy0; y < oy1; y++) {
      const r0 = (y >> shift) * gw;
      const fy = (y & (this.G - 1)) / this.G;
      gridRow(this.fgX, r0, gw, fy, rowX);
      gridRow(this.fgY, r0, gw, fy, rowY);
      compositeSubjectRow(packed.fg!, s.width, s.height, this.box, rowX, rowY, shift, ox0, ox1, out, y * W * 3, pm);
    }
  }

  private compositeI420(yuv: YuvLayers, out: Uint8Array, useGain: boolean): void {
    const s = this.s;
    const W = this.width;
    const H = this.height;
    const cw = W >> 1;
    const G = this.G;
    const shift = Math.log2(G);
    const { layers } = yuv;
    layers.drawBackground(this.bgX, this.bgY);
    const frame = layers.frame();
    // Shimmering light on the background: luma rows at pixel centres, chroma rows at the centre of each pair.
    const outU = frame.subarray(W * H, W * H + cw * (H >> 1));
    const outV = frame.subarray(W * H + cw * (H >> 1));
    for (let y = 0; useGain && y < H; y++) {
      const r0 = (y >> shift) * this.gw;
      gridRow(this.gain, r0, this.gw, (y & (G - 1)) / G, this.rowA);
      gainLumaRow(this.rowA, shift, W, frame, y * W);
      if (y & 1) continue;
      gridRow(this.gain, r0, this.gw, ((y & (G - 1)) + 0.5) / G, this.rowA);
      gainChromaRow(this.rowA, shift, cw, outU, outV, (y >> 1) * cw);
    }
    if (this.hasSubject) {
      const box = this.box;
      // The subject's box in luma and in half-resolution fixed point, a sample short of the planes' last column.
      const boxes = Int32Array.from(
        [
          Math.max(0, box[0] - 2),
          Math.max(0, box[1] - 2),
          Math.min(box[2] + 1, s.width - 2),
          Math.min(box[3] + 1, s.height - 2),
          Math.max(0, (box[0] >> 1) - 1),
          Math.max(0, (box[1] >> 1) - 1),
          Math.min((box[2] >> 1) + 1, (s.width >> 1) - 1),
          Math.min((box[3] >> 1) + 1, (s.height >> 1) - 1),
        ].map((v) => v << 12),
      );
      layers.drawSubject(this.fgX, this.fgY, this.subjectReach(), boxes);
    }
    out.set(frame);
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
    return [
      Math.max(0, (gy0 - 1) * G),
      Math.min(this.height, (gy1 + 1) * G + 1),
      Math.max(0, (gx0 - 1) * G),
      Math.min(this.width, (gx1 + 1) * G + 1),
    ];
  }
}

/**
 * The background's depth with its disparity (1 / depth) blurred over ~24 px: a single warped layer folds over
 * itself wherever disparity steps (content squeezed into a crease line on one side of the step, torn on the
 * other), so the background bends smoothly through depth changes; sharp parallax is the subject layer's job.
 */
function smoothDepth(s: ParallaxScene): Float32Array {
  const disparity = new Float32Array(s.depth.length);
  for (let i = 0; i < disparity.length; i++) disparity[i] = 1 / s.depth[i];
  const r = Math.max(1, Math.round((24 * s.height) / 720 / s.q));
  const smooth = gaussBlur(disparity, s.qw, s.qh, r);
  for (let i = 0; i < smooth.length; i++) smooth[i] = 1 / smooth[i];
  return smooth;
}

function isIdentity(p: CameraPose): boolean {
  return p.position.every((v) => v === 0) && p.rotation.every((v) => v === 0) && Math.abs(p.fov - BASE_FOV) < 1e-9;
}

function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}
