import type { NodeSchema, Workflow } from '../api/types.js';

type Schemas = ReadonlyMap<string, NodeSchema>;

/** The Denoise-like node a camera feeds: the first node with this one linked into its `camera` input. */
export function cameraConsumer(doc: Workflow, cameraId: string): string | undefined {
  return Object.entries(doc.nodes).find(([, n]) =>
    Object.entries(n.inputs).some(([name, [src]]) => src === cameraId && name === 'camera'),
  )?.[0];
}

/** The photo a node's frames come from: the first image upload found walking up its links (breadth first). */
export function upstreamImage(doc: Workflow, schemas: Schemas, from: string): string | undefined {
  const seen = new Set<string>();
  const queue = [from];
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const node = doc.nodes[id];
    if (!node) continue;
    const schema = schemas.get(node.type);
    const upload = schema?.params.find((p) => p.hint.widget === 'image-upload');
    const value = upload ? node.params[upload.name] : undefined;
    if (typeof value === 'string' && value && !node.inputs[upload!.name]) return value;
    for (const [, [src]] of Object.entries(node.inputs)) queue.push(src);
  }
  return undefined;
}

/** The workflow without its layout: what the preview renders from (moving a node should not re-render it). */
export function graphOnly(doc: Workflow): unknown {
  return { format: doc.format, version: doc.version, nodes: doc.nodes };
}
