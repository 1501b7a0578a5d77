import type { NodeDefinition, ParamShape } from './node-definition.js';
import { paramsWithRole } from './param-hints.js';

/** The node types an installation knows. */
export class NodeRegistry {
  private readonly defs = new Map<string, NodeDefinition>();

  constructor(defs: Iterable<NodeDefinition<any>> = []) {
    for (const d of defs) this.register(d);
  }

  register<P extends ParamShape>(def: NodeDefinition<P>): this {
    if (this.defs.has(def.type)) throw new Error(`Node type "${def.type}" is registered twice`);
    if (def.cache === 'seeded' && !paramsWithRole(def.params, 'seed').length) {
      throw new Error(`Node type "${def.type}" is cached as 'seeded' but has no seed parameter (p.seed)`);
    }
    this.defs.set(def.type, def as unknown as NodeDefinition);
    return this;
  }

  get(type: string): NodeDefinition | undefined {
    return this.defs.get(type);
  }

  has(type: string): boolean {
    return this.defs.has(type);
  }

  list(): NodeDefinition[] {
    return [...this.defs.values()];
  }
}
