// The few web-platform globals graph-core uses, which browsers and Node both provide (WinterCG's common
// minimum). Declared here instead of pulling in the DOM or Node type libraries, so that anything beyond
// them (document, node:fs, Buffer) fails to compile in this package.
interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  throwIfAborted(): void;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
declare var AbortSignal: { prototype: AbortSignal; any(signals: AbortSignal[]): AbortSignal; timeout(ms: number): AbortSignal };
interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
declare var AbortController: { prototype: AbortController; new (): AbortController };
declare var performance: { now(): number };
declare function structuredClone<T>(value: T): T;
