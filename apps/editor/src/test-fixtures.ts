import type { NodeSchema, Workflow } from './api/types.js';
import type { SchemaMap } from './graph/compat.js';

/** Node types shaped like the runtime's /api/nodes answer, for the editor's pure-logic tests. */
type ParamIn = { name: string; hint: NodeSchema['params'][number]['hint']; default?: unknown };
/** Params as /api/nodes sends them (each with a JSON schema; the editor only reads the hint). */
const withSchemas = (params: ParamIn[]): NodeSchema['params'] => params.map((p) => ({ ...p, schema: {}, default: p.default }));

export const testSchemas: NodeSchema[] = [
  {
    type: 'LoadImage',
    category: 'image',
    title: 'Load Image',
    description: 'Loads a photo',
    version: 1,
    isOutput: false,
    inputs: [],
    outputs: [
      { name: 'image', type: 'IMAGE' },
      { name: 'width', type: 'INT' },
    ],
    params: withSchemas([{ name: 'image', hint: { widget: 'image-upload', accept: 'image', socket: 'STRING' }, default: '' }]),
  },
  {
    type: 'ResizeImage',
    category: 'image',
    title: 'Resize Image',
    description: 'Scales an image',
    version: 1,
    isOutput: false,
    inputs: [{ name: 'image', type: 'IMAGE', optional: false }],
    outputs: [{ name: 'image', type: 'IMAGE' }],
    params: withSchemas([
      { name: 'width', hint: { widget: 'number', min: 16, max: 8192, step: 8, socket: 'INT' }, default: 1280 },
      { name: 'scale', hint: { widget: 'slider', min: 0, max: 1, step: 0.01, socket: 'FLOAT' }, default: 0.5 },
    ]),
  },
  {
    type: 'Denoise',
    category: 'sampling',
    title: 'Denoise',
    description: 'Samples a latent',
    version: 2,
    isOutput: false,
    inputs: [{ name: 'latent', type: 'LATENT', optional: false }],
    outputs: [{ name: 'latent', type: 'LATENT' }],
    params: withSchemas([
      { name: 'seed', hint: { widget: 'seed', min: 0, step: 1, socket: 'INT' }, default: 7 },
      { name: 'model', hint: { widget: 'model', modelKind: 'video', socket: 'STRING' }, default: 'builtin/parallax-v1' },
    ]),
  },
  {
    type: 'SaveImage',
    category: 'image',
    title: 'Save Image',
    description: 'Writes a PNG',
    version: 1,
    isOutput: true,
    inputs: [{ name: 'image', type: 'IMAGE', optional: false }],
    outputs: [],
    params: withSchemas([{ name: 'prefix', hint: { widget: 'text', socket: 'STRING' }, default: 'out' }]),
  },
  {
    type: 'LoadAudio',
    category: 'audio',
    title: 'Load Audio',
    description: 'Loads a sound',
    version: 1,
    isOutput: false,
    inputs: [],
    outputs: [{ name: 'audio', type: 'AUDIO' }],
    params: withSchemas([{ name: 'file', hint: { widget: 'audio-upload', accept: 'audio' }, default: '' }]),
  },
];

export const schemaMap: SchemaMap = new Map(testSchemas.map((s) => [s.type, s]));

/** LoadImage(1) -> ResizeImage(2) -> SaveImage(3), plus a lone Denoise(4). */
export function sampleWorkflow(): Workflow {
  return {
    format: 'kinegraph.workflow',
    version: 1,
    nodes: {
      '1': { type: 'LoadImage', params: { image: 'photo.jpg' }, inputs: {} },
      '2': { type: 'ResizeImage', params: { width: 640, scale: 0.5 }, inputs: { image: ['1', 'image'] } },
      '3': { type: 'SaveImage', params: { prefix: 'out' }, inputs: { image: ['2', 'image'] } },
      '4': { type: 'Denoise', params: { seed: 7, model: 'builtin/parallax-v1' }, inputs: {} },
    },
    ui: {
      nodes: { '1': { x: 0, y: 0 }, '2': { x: 320, y: 0 }, '3': { x: 640, y: 0 }, '4': { x: 0, y: 300 } },
      groups: [],
      notes: [],
    },
  };
}
