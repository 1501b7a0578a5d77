// Minimal typings for the part of cli-progress the CLI uses (the package ships none).
declare module 'cli-progress' {
  interface BarOptions {
    format?: string;
    stream?: NodeJS.WritableStream;
    hideCursor?: boolean;
    clearOnComplete?: boolean;
    stopOnComplete?: boolean;
    barsize?: number;
    fps?: number;
    etaBuffer?: number;
    noTTYOutput?: boolean;
  }
  class SingleBar {
    constructor(options: BarOptions, preset?: object);
    start(total: number, start: number, payload?: Record<string, unknown>): void;
    update(value: number, payload?: Record<string, unknown>): void;
    setTotal(total: number): void;
    stop(): void;
  }
  const Presets: { shades_classic: object; shades_grey: object; rect: object; legacy: object };
  const _default: { SingleBar: typeof SingleBar; Presets: typeof Presets };
  export default _default;
  export { SingleBar, Presets };
}
