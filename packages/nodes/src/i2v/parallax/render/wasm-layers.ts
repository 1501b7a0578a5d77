import { readFileSync } from 'node:fs';

let compiled: WebAssembly.Module | undefined;
/** layers.wasm (built from layers.wat), compiled once per thread. */
function layersModule(): WebAssembly.Module {
  return (compiled ??= new WebAssembly.Module(readFileSync(new URL('./wasm/layers.wasm', import.meta.url))));
}

interface Exports {
  memory: WebAssembly.Memory;
  setPremultiplied(on: number): void;
  background(
    W: number,
    H: number,
    gw: number,
    gridX: number,
    gridY: number,
    rowX: number,
    rowY: number,
    lum: number,
    pw: number,
    u: number,
    v: number,
    cs: number,
    out: number,
  ): void;
  subject(
    W: number,
    H: number,
    gw: number,
    gridX: number,
    gridY: number,
    rowX: number,
    rowY: number,
    planes: number,
    sw: number,
    cs: number,
    y0: number,
    y1: number,
    x0: number,
    x1: number,
    boxes: number,
    out: number,
  ): void;
}

/** The padded background in BT.709: luma plane (row stride pw), half-resolution Cb and Cr planes (stride cs). */
export interface BackgroundPlanes {
  luma: Uint8Array;
  pw: number;
  u: Uint8Array;
  v: Uint8Array;
  cs: number;
}

/** The subject: luma and alpha planes (row stride sw); Cb, Cr and alpha at half resolution (stride cs). */
export interface SubjectPlanes {
  luma: Uint8Array;
  alpha: Uint8Array;
  sw: number;
  u: Uint8Array;
  v: Uint8Array;
  halfAlpha: Uint8Array;
  cs: number;
}

/**
 * Draws the layers of I420 frames with layers.wat in WebAssembly (SIMD: several times the speed of the same
 * integer loops in JavaScript). The instance's memory holds the layers' planes, the frame's coordinate grids and the
 * frame being drawn, which callers may also touch in place (`frame()`) between the layers.
 */
export class WasmLayers {
  private readonly x: Exports;
  private readonly at: Record<
    'gridX' | 'gridY' | 'rowX' | 'rowY' | 'lum' | 'u' | 'v' | 'fgY' | 'fgA' | 'fgU' | 'fgV' | 'fgHalfA' | 'planes' | 'boxes' | 'out',
    number
  >;
  private readonly frameBytes: number;

  constructor(
    private readonly bg: BackgroundPlanes,
    private readonly fg: SubjectPlanes | undefined,
    private readonly gw: number,
    gh: number,
    private readonly W: number,
    private readonly H: number,
    /** The subject's luma and chroma planes are premultiplied by its alphas (see layers.wat $premul). */
    premultiplied = false,
  ) {
    this.frameBytes = (W * H * 3) / 2;
    let end = 0;
    const take = (bytes: number) => {
      const start = end;
      end += Math.ceil((bytes + 8) / 8) * 8; // 8 spare bytes: the last tap of a row reads one byte further
      return start;
    };
    this.at = {
      gridX: take(gw * gh * 4),
      gridY: take(gw * gh * 4),
      rowX: take(gw * 4),
      rowY: take(gw * 4),
      lum: take(bg.luma.length),
      u: take(bg.u.length),
      v: take(bg.v.length),
      fgY: take(fg?.luma.length ?? 0),
      fgA: take(fg?.alpha.length ?? 0),
      fgU: take(fg?.u.length ?? 0),
      fgV: take(fg?.v.length ?? 0),
      fgHalfA: take(fg?.halfAlpha.length ?? 0),
      planes: take(20),
      boxes: take(32),
      out: take(this.frameBytes),
    };
    this.x = new WebAssembly.Instance(layersModule(), {}).exports as unknown as Exports;
    this.x.memory.grow(Math.ceil(end / 65536) - this.x.memory.buffer.byteLength / 65536);
    this.x.setPremultiplied(premultiplied ? 1 : 0);
    const mem = this.x.memory.buffer;
    new Uint8Array(mem, this.at.lum, bg.luma.length).set(bg.luma);
    new Uint8Array(mem, this.at.u, bg.u.length).set(bg.u);
    new Uint8Array(mem, this.at.v, bg.v.length).set(bg.v);
    if (fg) {
      const a = this.at;
      for (const [at, plane] of [
        [a.fgY, fg.luma],
        [a.fgA, fg.alpha],
        [a.fgU, fg.u],
        [a.fgV, fg.v],
        [a.fgHalfA, fg.halfAlpha],
      ] as const) {
        new Uint8Array(mem, at, plane.length).set(plane);
      }
      new Int32Array(mem, a.planes, 5).set([a.fgY, a.fgA, a.fgU, a.fgV, a.fgHalfA]);
    }
  }

  /** The frame being drawn (a view into the instance's memory). */
  frame(): Uint8Array {
    return new Uint8Array(this.x.memory.buffer, this.at.out, this.frameBytes);
  }

  /** Draws the background seen through the coarse grids (padded-canvas coordinates, clamped). */
  drawBackground(gridX: Float32Array, gridY: Float32Array): void {
    const a = this.setGrids(gridX, gridY);
    this.x.background(this.W, this.H, this.gw, a.gridX, a.gridY, a.rowX, a.rowY, a.lum, this.bg.pw, a.u, a.v, this.bg.cs, a.out);
  }

  /**
   * Draws the subject over rows y0..y1 and columns x0..x1 through its grids (subject-layer coordinates);
   * `boxes`: the subject's box in luma then chroma fixed point (1/4096), 4 words each.
   */
  drawSubject(gridX: Float32Array, gridY: Float32Array, [y0, y1, x0, x1]: readonly number[], boxes: Int32Array): void {
    if (!this.fg) throw new Error('This frame has no subject layer');
    const a = this.setGrids(gridX, gridY);
    new Int32Array(this.x.memory.buffer, a.boxes, 8).set(boxes);
    this.x.subject(
      this.W,
      this.H,
      this.gw,
      a.gridX,
      a.gridY,
      a.rowX,
      a.rowY,
      a.planes,
      this.fg.sw,
      this.fg.cs,
      y0,
      y1,
      x0,
      x1,
      a.boxes,
      a.out,
    );
  }

  private setGrids(gridX: Float32Array, gridY: Float32Array) {
    const mem = this.x.memory.buffer;
    new Float32Array(mem, this.at.gridX, gridX.length).set(gridX);
    new Float32Array(mem, this.at.gridY, gridY.length).set(gridY);
    return this.at;
  }
}
