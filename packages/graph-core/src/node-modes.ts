import { ErrorCode, type GraphIssue } from './errors.js';
import { inputSocketType } from './graph-checks.js';
import type { NodeRegistry } from './registry.js';

/**
 * How a node takes part in a run. `bypass`: it does not run, and each link from one of its outputs is passed the
 * node's own input of the same socket type (what goes in comes out). `mute`: it does not run, and neither does any
 * node that needs it (a required input fed by it); an optional input it fed is left unlinked.
 */
export { NodeModeSchema, type NodeMode } from './workflow-schema.js';

/** A reroute is a bend in a link drawn in the editor: always passed through, it never runs. */
export const REROUTE_TYPE = 'Reroute';

type RawNode = { type?: unknown; mode?: unknown; inputs?: Record<string, [string, string]> } & Record<string, unknown>;
type Link = [string, string];

/**
 * The document as it runs: bypassed nodes and reroutes replaced by what they pass on, muted nodes and what needs
 * them taken out. The rest of the document is untouched (the same objects where nothing changed), so a document
 * without modes comes back as it was. Problems (a bypassed node with nothing of the right type to pass on) are
 * tied to the bypassed node. Works on the raw (migrated, not yet checked) document: only what it reads is assumed.
 */
export function applyNodeModes(doc: unknown, registry: NodeRegistry): { doc: unknown; issues: GraphIssue[] } {
  const raw = doc as { nodes?: unknown } | null;
  if (!raw || typeof raw !== 'object' || !raw.nodes || typeof raw.nodes !== 'object') return { doc, issues: [] };
  const src = raw.nodes as Record<string, RawNode>;
  const gone = new Map<string, 'bypass' | 'mute'>();
  for (const [id, n] of Object.entries(src)) {
    if (!n || typeof n !== 'object') continue;
    if (n.type === REROUTE_TYPE || n.mode === 'bypass') gone.set(id, 'bypass');
    else if (n.mode === 'mute') gone.set(id, 'mute');
  }
  if (gone.size === 0) return { doc, issues: [] };

  const issues: GraphIssue[] = [];
  const reported = new Set<string>();
  /** Where a link really comes from, through bypassed nodes; null when nothing reaches it. */
  const resolve = (link: Link, seen: Set<string>): Link | null => {
    const [from, output] = link;
    const mode = gone.get(from);
    if (!mode) return link;
    if (mode === 'mute' || seen.has(from)) return null;
    seen.add(from);
    const node = src[from]!;
    if (node.type === REROUTE_TYPE) {
      const inner = node.inputs?.input;
      return inner ? resolve(inner, seen) : null;
    }
    const def = typeof node.type === 'string' ? registry.get(node.type) : undefined;
    if (!def) return null; // an unknown type is reported on the node itself
    const type = Object.hasOwn(def.outputs, output) ? def.outputs[output]!.type : undefined;
    const names = [...new Set([...Object.keys(def.inputs), ...Object.keys(node.inputs ?? {})])];
    const matching =
      type === undefined
        ? []
        : names.filter((n) => inputSocketType(def, n) === type).sort((a, b) => Number(b === output) - Number(a === output));
    if (matching.length === 0) {
      if (!reported.has(from + '\0' + output)) {
        reported.add(from + '\0' + output);
        issues.push({
          code: ErrorCode.typeMismatch,
          nodeId: from,
          message: `Bypassed, ${def.type} has no input of type ${type ?? '?'} to pass on as "${output}": un-bypass it or link around it`,
        });
      }
      return null;
    }
    const linked = matching.find((n) => node.inputs?.[n]);
    return linked ? resolve(node.inputs![linked]!, seen) : null;
  };

  const nodes: Record<string, RawNode> = {};
  for (const [id, n] of Object.entries(src)) if (!gone.has(id)) nodes[id] = n;
  // Muting spreads to what needs a muted node: repeat until nothing more is taken out.
  for (let changed = true; changed;) {
    changed = false;
    for (const [id, n] of Object.entries(nodes)) {
      if (!n.inputs || typeof n.inputs !== 'object') continue;
      const links = Object.entries(n.inputs);
      if (!links.some(([, l]) => Array.isArray(l) && gone.has(l[0]))) continue;
      const def = typeof n.type === 'string' ? registry.get(n.type) : undefined;
      const inputs: Record<string, Link> = {};
      let needsMuted = false;
      for (const [name, link] of links) {
        const to = Array.isArray(link) ? resolve(link, new Set()) : link;
        if (to) inputs[name] = to;
        // Required input with nothing reaching it: this node can not run either (a param turned input has its default).
        else if (def?.inputs[name] && !def.inputs[name]!.optional) needsMuted = true;
      }
      if (needsMuted) {
        delete nodes[id];
        gone.set(id, 'mute');
        changed = true;
      } else nodes[id] = { ...n, inputs };
    }
  }
  return { doc: { ...(raw as object), nodes }, issues };
}
