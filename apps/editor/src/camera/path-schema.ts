import { z } from 'zod';
import type { ViewLimits } from './framing.js';
import { orderIssues } from './ordered-fields.js';

/**
 * The camera path's rules as the server states them: the node's parameter schema from /api/nodes (JSON
 * Schema, made by the server from its zod schema) turned back into a zod validator here, so the editor
 * refuses exactly what the node would, and knows the moves and easings the node offers, without a copy.
 */
export interface PathRules {
  validate(value: unknown): { ok: true } | { ok: false; issues: { path: string; message: string }[] };
  moves: string[];
  easings: string[];
  limits: ViewLimits;
  maxMoves: number;
  maxKeyframes: number;
}

type J = Record<string, any>;

export function pathRules(jsonSchema: unknown): PathRules {
  const s = (jsonSchema ?? {}) as J;
  let validator: z.ZodType | undefined;
  try {
    validator = z.fromJSONSchema(s as never);
  } catch {
    validator = undefined; // an unreadable schema: the server still checks at run time
  }
  const move = s.properties?.moves?.items?.properties ?? {};
  const key = s.properties?.keyframes?.items?.properties ?? {};
  const range = (p: J | undefined, d: [number, number]): [number, number] => [p?.minimum ?? d[0], p?.maximum ?? d[1]];
  return {
    validate(value) {
      const r = validator?.safeParse(value);
      // Rules JSON Schema cannot say (an end before its start) come with the schema as "x-ordered".
      const issues = [
        ...(r && !r.success ? r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) : []),
        ...orderIssues(s, value),
      ];
      return issues.length ? { ok: false, issues } : { ok: true };
    },
    moves: move.type?.enum ?? [],
    easings: move.easing?.enum ?? [],
    limits: {
      yaw: range(key.rotation?.prefixItems?.[0], [-30, 30]),
      pitch: range(key.rotation?.prefixItems?.[1], [-30, 30]),
      fov: range(key.fov, [10, 90]),
    },
    maxMoves: s.properties?.moves?.maxItems ?? 16,
    maxKeyframes: s.properties?.keyframes?.maxItems ?? 64,
  };
}
