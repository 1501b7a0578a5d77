import { randomUUID } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { VideoValue } from '../values/video.js';

/**
 * Upscaled frames on disk: a 6 s clip at 1440p is 1.6 GB of RGB, more than a process should hold, and
 * rendering them on demand would rerun the network whenever a later node (SaveVideo with a new
 * soundtrack) reads the clip again. The file is raw RGB, frame after frame; it is deleted when its VIDEO
 * value is garbage-collected (the result cache let go of it) or when the process exits.
 */
const live = new Set<string>();
const collected = new FinalizationRegistry<{ file: string; handle: FileHandle }>(({ file, handle }) => {
  void handle.close().catch(() => undefined);
  remove(file);
});
let exitHook = false;

function remove(file: string): void {
  live.delete(file);
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

export class FrameFileWriter {
  private count = 0;
  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    readonly width: number,
    readonly height: number,
  ) {}

  static async create(dir: string, width: number, height: number): Promise<FrameFileWriter> {
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `upscaled-${process.pid}-${randomUUID()}.rgb`);
    const handle = await open(file, 'w+');
    live.add(file);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', () => [...live].forEach(remove));
    }
    return new FrameFileWriter(file, handle, width, height);
  }

  get frameBytes(): number {
    return this.width * this.height * 3;
  }

  async append(frame: Uint8Array): Promise<void> {
    if (frame.length !== this.frameBytes) throw new Error(`frame ${this.count} has ${frame.length} bytes, expected ${this.frameBytes}`);
    await this.handle.write(frame, 0, frame.length, this.count * this.frameBytes);
    this.count++;
  }

  /** Every frame written: the VIDEO that reads them back. */
  finish(fps: number): VideoValue {
    const { handle, file, width, height, count } = this;
    const bytes = this.frameBytes;
    const value = new VideoValue({
      width,
      height,
      fps,
      frameCount: count,
      async frameAt(i) {
        if (!Number.isInteger(i) || i < 0 || i >= count) throw new Error(`frame ${i} is outside the clip (0..${count - 1})`);
        const out = new Uint8Array(bytes);
        const { bytesRead } = await handle.read(out, 0, bytes, i * bytes);
        if (bytesRead !== bytes) throw new Error(`upscaled frame ${i} could not be read back from ${file} (temporary file removed?)`);
        return out;
      },
      // On disk, not in memory: the result cache counts what the process holds.
      byteSize: () => 4096,
    });
    collected.register(value, { file, handle });
    return value;
  }

  /** A failed or interrupted run: the partial file goes at once. */
  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    remove(this.file);
  }
}
