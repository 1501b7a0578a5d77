import { api } from '../api/client.js';
import type { NodeSchema } from '../api/types.js';
import type { ActionDeps } from '../app-actions.js';
import { isWorkflowFile, readJsonFile } from '../files/workflow-files.js';
import type { SchemaMap } from '../graph/compat.js';
import { addNode } from '../graph/node-ops.js';
import { sweepStore } from '../sweep/sweep-store.js';
import type { DocumentActions } from './document-actions.js';

/** Files dropped or picked: workflows open, photos and sounds are uploaded into loader nodes. */
export function fileActions({ store, schemas, canvas, toast }: ActionDeps, documents: DocumentActions) {
  const fileOps = {
    /**
     * Files dropped on the canvas: a workflow (JSON, or an MP4/PNG with one embedded) opens; a photo or sound
     * becomes a loader node. `onNode`: the node under the drop; an image (or sound) dropped on a node that loads
     * one replaces that node's file instead of adding a new loader on top of it.
     */
    async dropFiles(files: File[], at: { x: number; y: number }, onNode?: string) {
      const target = onNode ? store.doc.nodes[onNode] : undefined;
      const file0 = files[0];
      if (target && file0 && files.length === 1) {
        const kind = file0.type.startsWith('image/') ? 'image' : file0.type.startsWith('audio/') ? 'audio' : undefined;
        const param = kind && schemas.get(target.type)?.params.find((p) => p.hint.widget === `${kind}-upload`);
        if (kind && param && !(kind === 'image' && file0.type === 'image/png' && (await embeddedWorkflow(file0)))) {
          try {
            const name = await fileOps.uploadFile(file0, kind);
            store.edit(`Replace ${kind}`, (d) => void (d.nodes[onNode!]!.params[param.name] = name));
          } catch (e) {
            toast(`Could not use ${file0.name}: ${(e as Error).message}`, 'error');
          }
          return;
        }
      }
      for (const [i, file] of files.entries()) {
        const pos = { x: at.x + i * 30, y: at.y + i * 30 };
        try {
          if (isWorkflowFile(file)) {
            documents.loadDocument(await readJsonFile(file), `Open ${file.name}`);
          } else if (file.type.startsWith('video/') || /\.(mp4|webm|mov)$/i.test(file.name)) {
            documents.loadDocument(await api.workflowFromFile(file), `Open ${file.name}`);
          } else if (file.type === 'image/png' && (await embeddedWorkflow(file))) {
            documents.loadDocument(await embeddedWorkflow(file), `Open ${file.name}`);
          } else if (file.type.startsWith('image/')) {
            await fileOps.addLoaderFor(file, 'image', pos);
          } else if (file.type.startsWith('audio/')) {
            await fileOps.addLoaderFor(file, 'audio', pos);
          } else toast(`Cannot use ${file.name} (${file.type || 'unknown type'})`, 'error');
        } catch (e) {
          toast(`Could not use ${file.name}: ${(e as Error).message}`, 'error');
        }
      }
    },

    /** Uploads the file and adds the node type that loads that kind of file (found from the param hints). */
    async addLoaderFor(file: File, kind: 'image' | 'audio', at: { x: number; y: number }) {
      const schema = loaderFor(schemas, kind);
      if (!schema) return toast(`No installed node loads ${kind} files`, 'error');
      const param = schema.params.find((p) => p.hint.widget === (kind === 'image' ? 'image-upload' : 'audio-upload'))!;
      const uploaded = await api.upload(file, kind, file.name);
      let id = '';
      store.edit(`Add ${schema.title}`, (d) => {
        id = addNode(d, schema, at);
        d.nodes[id].params[param.name] = uploaded.name;
      });
      canvas.current?.selectAfterNextChange([id]);
    },

    async uploadFile(file: File, kind: 'image' | 'audio') {
      const { name } = await api.upload(file, kind, file.name);
      // Offered again when the user picks files for a for-each.
      sweepStore.rememberUpload(name);
      return name;
    },
  };
  return fileOps;
}

/** The node type that loads a kind of file: the one with an upload param for it and the fewest inputs. */
export function loaderFor(schemas: SchemaMap, kind: 'image' | 'audio'): NodeSchema | undefined {
  const widget = kind === 'image' ? 'image-upload' : 'audio-upload';
  return [...schemas.values()]
    .filter((s) => s.params.some((p) => p.hint.widget === widget))
    .sort((a, b) => a.inputs.length - b.inputs.length)[0];
}

/** The workflow a PNG written by the project carries, if any (asks the runtime, which reads the file's metadata). */
const embeddedCache = new WeakMap<File, Promise<unknown>>();
function embeddedWorkflow(file: File): Promise<unknown> {
  let p = embeddedCache.get(file);
  if (!p) {
    p = api.workflowFromFile(file).catch(() => null);
    embeddedCache.set(file, p);
  }
  return p;
}
