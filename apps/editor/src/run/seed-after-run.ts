import type { SeedMode, Workflow } from '../api/types.js';
import type { SchemaMap } from '../graph/compat.js';
import type { EditorStore } from '../store/editor-store.js';

export const MAX_SEED = Number.MAX_SAFE_INTEGER;

export function randomSeed(): number {
  const a = new Uint32Array(2);
  crypto.getRandomValues(a);
  return (a[0]! % 2 ** 21) * 2 ** 32 + a[1]!;
}

/** The seed for the next run ("control after generate"): a batch of n used seed..seed+n-1, so increment steps n. */
export function nextSeed(seed: number, mode: SeedMode, batch = 1): number {
  if (mode === 'increment') return (seed + batch) % (MAX_SEED + 1);
  if (mode === 'randomize') return randomSeed();
  return seed;
}

/** Seed params whose mode is not fixed, as [nodeId, param, mode]. */
export function seedsToAdvance(doc: Workflow, schemas: SchemaMap): [string, string, SeedMode][] {
  const out: [string, string, SeedMode][] = [];
  for (const [id, node] of Object.entries(doc.nodes)) {
    const schema = schemas.get(node.type);
    for (const p of schema?.params ?? []) {
      if (p.hint.widget !== 'seed' || node.inputs[p.name]) continue;
      const mode = doc.ui.nodes[id]?.seedMode?.[p.name] ?? 'fixed';
      if (mode !== 'fixed') out.push([id, p.name, mode]);
    }
  }
  return out;
}

/** After a run is queued, moves every non-fixed seed on (one undo step). */
export function applySeedModes(store: EditorStore, schemas: SchemaMap, batch: number): void {
  const todo = seedsToAdvance(store.doc, schemas);
  if (todo.length === 0) return;
  store.edit('Seed after run', (d) => {
    for (const [id, name, mode] of todo) {
      const v = d.nodes[id].params[name];
      d.nodes[id].params[name] = nextSeed(typeof v === 'number' ? v : 0, mode, batch);
    }
  });
}
