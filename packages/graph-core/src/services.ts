import type { ServiceToken, Services } from './node-definition.js';

/** Services from a list of (token, implementation) pairs; asking for a missing one is a clear error. */
export function createServices(entries: Iterable<readonly [ServiceToken<any>, unknown]>): Services {
  const map = new Map<string, unknown>();
  for (const [token, value] of entries) map.set(token.name, value);
  return {
    get<T>(token: ServiceToken<T>): T {
      if (!map.has(token.name)) throw new Error(`Service "${token.name}" is not available in this host`);
      return map.get(token.name) as T;
    },
    has(token: ServiceToken<unknown>): boolean {
      return map.has(token.name);
    },
  };
}
