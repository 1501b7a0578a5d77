import { readFileSync } from 'node:fs';

let compiled: WebAssembly.Module | undefined;
/** background.wasm (built from background.wat), compiled once per thread. */
function backgroundModule(): WebAssembly.Module {
  return (compiled ??= new WebAssembly.Module(readFileSync(new URL('./wasm/background.wasm', import.meta.url))));
}

interface Exports {
  memory: WebAssembly.Memory;
  background(W: number, H: number, gw: number, gridX: number, gridY: number, rowX: number, rowY: number, lum: number, pw: number, chroma: number, cs: number, out: number): void;
}

/**
 * The background layer of I420 frames, drawn by background.wat in WebAssembly (about twice the speed of the
 * same integer loop in JavaScript). The instance's memory holds the padded background's luma plane, its
 * half-resolution chroma plane, the frame's coordinate grids and the frame being drawn.
 */
export class WasmBackground {
  private readonly x: Exports;
  private readonly at: { gridX: number; gridY: number; rowX: number; rowY: number; lum: number; chroma: number; out: number };
  private readonly frameBytes: number;

  constructor(
    lum: Uint8Array,
    private readonly pw: number,
    chroma: Int32Array,
    /** Row stride of the chroma plane, in words. */
    private readonly cs: number,
    private readonly gw: number,
    gh: number,
    private readonly W: number,
    private readonly H: number,
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
      lum: take(lum.length),
      chroma: take(chroma.byteLength),
      out: take(this.frameBytes),
    };
    this.x = new WebAssembly.Instance(backgroundModule(), {}).exports as unknown as Exports;
    const pages = Math.ceil(end / 65536);
    this.x.memory.grow(pages - this.x.memory.buffer.byteLength / 65536);
    new Uint8Array(this.x.memory.buffer, this.at.lum, lum.length).set(lum);
    new Int32Array(this.x.memory.buffer, this.at.chroma, chroma.length).set(chroma);
  }

  /** Draws the background seen through the coarse grids (padded-canvas coordinates, clamped) into out. */
  draw(gridX: Float32Array, gridY: Float32Array, out: Uint8Array): void {
    const mem = this.x.memory.buffer;
    new Float32Array(mem, this.at.gridX, gridX.length).set(gridX);
    new Float32Array(mem, this.at.gridY, gridY.length).set(gridY);
    const a = this.at;
    this.x.background(this.W, this.H, this.gw, a.gridX, a.gridY, a.rowX, a.rowY, a.lum, this.pw, a.chroma, this.cs, a.out);
    out.set(new Uint8Array(mem, a.out, this.frameBytes));
  }
}
