import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ManifestInput } from '../manifest.js';
import { largeEdmUnet } from './large-unet.js';
import { GraphBuilder } from './onnx-graph.js';

/**
 * Tiny random-weight ONNX models with exactly the interface a real export of each family has
 * (tensor names, ranks, dtypes, dynamic batch / frame / spatial axes). Weights are fixed by a seed, so
 * every build writes the same bytes. They are what CI samples with; they make no sense as pictures.
 */
export interface TestModelOptions {
  precision?: 'fp32' | 'fp16';
  camera?: boolean;
}

const LATENT = 4;
const EMBED = 32;
const SPATIAL = 8;
const TEMPORAL = 4;

const WORDS = [
  'a',
  'the',
  'of',
  'and',
  'camera',
  'pans',
  'pan',
  'left',
  'right',
  'up',
  'down',
  'slowly',
  'fast',
  'zoom',
  'in',
  'out',
  'orbit',
  'cat',
  'dog',
  'sky',
  'city',
  'sea',
  'water',
  'waves',
  'tree',
  'trees',
  'wind',
  'moving',
  'clouds',
  'mountain',
  'light',
  'night',
  'sun',
  'people',
  'walking',
  'car',
  '##s',
  '##ing',
  '##ed',
];

/** A WordPiece tokenizer.json the @huggingface/tokenizers library reads, like a (very) small T5/BERT vocabulary. */
export function tinyTokenizerJson(): Record<string, unknown> {
  const vocab: Record<string, number> = { '<pad>': 0, '<unk>': 1, '</s>': 2 };
  for (const w of WORDS) vocab[w] = Object.keys(vocab).length;
  const special = ['<pad>', '<unk>', '</s>'];
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: special.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Whitespace' },
    model: { type: 'WordPiece', unk_token: '<unk>', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { '</s>': { id: '</s>', ids: [2], tokens: ['</s>'] } },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
  };
}
const VOCAB = WORDS.length + 3;

/** Adds camera conditioning ([N,F,12] extrinsics, [N,F,4] intrinsics) to a value laid out [N,C,F,h,w]. */
function addCamera(g: GraphBuilder, x: string): string {
  const ext = g.input('camera_extrinsics', 'float', ['batch', 'frames', 12]);
  const intr = g.input('camera_intrinsics', 'float', ['batch', 'frames', 4]);
  const cam = g.op('Concat', [ext, intr], { axis: 2 });
  const perFrame = g.op('MatMul', [cam, g.weight([16, LATENT], 16)]);
  const channelsFirst = g.op('Transpose', [perFrame], { perm: [0, 2, 1] });
  return g.op('Add', [x, g.op('Unsqueeze', [channelsFirst, g.int64([3, 4])])]);
}

/** A per-item conditioning vector [N, K] turned into a per-channel bias [N, C, 1, 1, 1]. */
function conditionBias(g: GraphBuilder, cond: string, width: number): string {
  const proj = g.op('Tanh', [g.op('MatMul', [cond, g.weight([width, LATENT], width)])]);
  return g.op('Reshape', [proj, g.int64([0, LATENT, 1, 1, 1])]);
}

function conv3(g: GraphBuilder, x: string, cin: number, cout: number): string {
  return g.op('Conv', [x, g.weight([cout, cin, 3, 3, 3], cin * 27), g.weight([cout], 1, 0.1)], { pads: [1, 1, 1, 1, 1, 1] });
}

function edmDenoiser(o: TestModelOptions): Uint8Array {
  const g = new GraphBuilder('edm_unet', o.precision ?? 'fp32', 101);
  const sample = g.input('sample', 'float', ['batch', 'frames', 2 * LATENT, 'height', 'width']);
  const timestep = g.input('timestep', 'float', ['batch']);
  const context = g.input('encoder_hidden_states', 'float', ['batch', 1, EMBED]);
  const added = g.input('added_time_ids', 'float', ['batch', 3]);
  let x = conv3(g, g.op('Transpose', [sample], { perm: [0, 2, 1, 3, 4] }), 2 * LATENT, LATENT);
  const addedScaled = g.op('Mul', [added, g.constant([3], Float32Array.from([0.1, 0.005, 1]))]);
  const cond = g.op('Concat', [g.op('Flatten', [context], { axis: 1 }), addedScaled, g.op('Unsqueeze', [timestep, g.int64([1])])], {
    axis: 1,
  });
  x = g.op('Add', [x, conditionBias(g, cond, EMBED + 4)]);
  if (o.camera) x = addCamera(g, x);
  g.output(g.op('Transpose', [x], { perm: [0, 2, 1, 3, 4] }), 'out_sample', ['batch', 'frames', LATENT, 'height', 'width']);
  return g.encode();
}

function flowDenoiser(o: TestModelOptions): Uint8Array {
  const g = new GraphBuilder('flow_transformer', o.precision ?? 'fp32', 202);
  const sample = g.input('sample', 'float', ['batch', LATENT, 'frames', 'height', 'width']);
  const timestep = g.input('timestep', 'float', ['batch']);
  const context = g.input('encoder_hidden_states', 'float', ['batch', 'tokens', EMBED]);
  let x = conv3(g, sample, LATENT, LATENT);
  const t = g.op('Mul', [g.op('Unsqueeze', [timestep, g.int64([1])]), g.constant([1], Float32Array.from([0.001]))]);
  const cond = g.op('Concat', [g.op('ReduceMean', [context], { axes: [1], keepdims: 0 }), t], { axis: 1 });
  x = g.op('Add', [x, conditionBias(g, cond, EMBED + 1)]);
  if (o.camera) x = addCamera(g, x);
  g.output(x, 'out_sample', ['batch', LATENT, 'frames', 'height', 'width']);
  return g.encode();
}

function edmVaeEncoder(o: TestModelOptions): Uint8Array {
  const g = new GraphBuilder('edm_vae_encoder', o.precision ?? 'fp32', 303);
  const image = g.input('pixel_values', 'float', ['batch', 3, 'height', 'width']);
  const w = g.weight([LATENT, 3, SPATIAL, SPATIAL], 3 * SPATIAL * SPATIAL, 4);
  g.output(g.op('Conv', [image, w], { strides: [SPATIAL, SPATIAL] }), 'latent', ['batch', LATENT, 'latent_height', 'latent_width']);
  return g.encode();
}

/** Decoder weights are returned too: their kernel means are the model's exact latent-to-RGB factors. */
function edmVaeDecoder(o: TestModelOptions): { bytes: Uint8Array; kernel: Float32Array } {
  const g = new GraphBuilder('edm_vae_decoder', o.precision ?? 'fp32', 404);
  const latent = g.input('latent', 'float', ['batch', LATENT, 'latent_height', 'latent_width']);
  const kernel = smoothKernel(SPATIAL * SPATIAL, 1);
  const w = g.constant([LATENT, 3, SPATIAL, SPATIAL], kernel);
  g.output(g.op('Tanh', [g.op('ConvTranspose', [latent, w], { strides: [SPATIAL, SPATIAL] })]), 'sample', ['batch', 3, 'height', 'width']);
  return { bytes: g.encode(), kernel };
}

/** A decoder kernel with a smooth gradient per (channel, colour), so decoded frames show structure. */
function smoothKernel(taps: number, depth: number): Float32Array {
  const out = new Float32Array(LATENT * 3 * depth * taps);
  const side = Math.sqrt(taps);
  for (let c = 0; c < LATENT; c++)
    for (let rgb = 0; rgb < 3; rgb++)
      for (let d = 0; d < depth; d++)
        for (let y = 0; y < side; y++)
          for (let x = 0; x < side; x++) {
            const base = c === rgb ? 0.6 : c === 3 ? 0.2 : -0.15;
            out[(((c * 3 + rgb) * depth + d) * side + y) * side + x] = base * (1 + 0.3 * Math.cos((x + y + c) / 3));
          }
  return out;
}

function flowVaeEncoder(o: TestModelOptions): Uint8Array {
  const g = new GraphBuilder('flow_vae_encoder', o.precision ?? 'fp32', 505);
  const video = g.input('pixel_values', 'float', ['batch', 3, 'frames', 'height', 'width']);
  const w = g.weight([LATENT, 3, 1, SPATIAL, SPATIAL], 3 * SPATIAL * SPATIAL, 4);
  const latent = g.op('Conv', [video, w], { strides: [TEMPORAL, SPATIAL, SPATIAL] });
  g.output(latent, 'latent', ['batch', LATENT, 'latent_frames', 'latent_height', 'latent_width']);
  return g.encode();
}

function flowVaeDecoder(o: TestModelOptions): { bytes: Uint8Array; kernel: Float32Array } {
  const g = new GraphBuilder('flow_vae_decoder', o.precision ?? 'fp32', 606);
  const latent = g.input('latent', 'float', ['batch', LATENT, 'latent_frames', 'latent_height', 'latent_width']);
  const kernel = smoothKernel(SPATIAL * SPATIAL, TEMPORAL);
  const up = g.op('ConvTranspose', [latent, g.constant([LATENT, 3, TEMPORAL, SPATIAL, SPATIAL], kernel)], {
    strides: [TEMPORAL, SPATIAL, SPATIAL],
  });
  // Causal video VAEs decode f latent frames into 1 + T (f - 1) frames: drop the first T - 1.
  const frames = g.op('Slice', [up, g.int64([TEMPORAL - 1]), g.int64([2 ** 31 - 1]), g.int64([2])]);
  g.output(g.op('Tanh', [frames]), 'sample', ['batch', 3, 'frames', 'height', 'width']);
  return { bytes: g.encode(), kernel };
}

function imageEncoder(o: TestModelOptions): Uint8Array {
  const g = new GraphBuilder('image_encoder', o.precision ?? 'fp32', 707);
  const image = g.input('pixel_values', 'float', ['batch', 3, 224, 224]);
  const features = g.op('Conv', [image, g.weight([16, 3, 16, 16], 3 * 256)], { strides: [16, 16] });
  const pooled = g.op('Flatten', [g.op('GlobalAveragePool', [features])], { axis: 1 });
  g.output(g.op('MatMul', [pooled, g.weight([16, EMBED], 16, 4)]), 'image_embeds', ['batch', EMBED]);
  return g.encode();
}

function textEncoder(o: TestModelOptions): Uint8Array {
  const g = new GraphBuilder('text_encoder', o.precision ?? 'fp32', 808);
  const ids = g.input('input_ids', 'int64', ['batch', 'tokens']);
  const mask = g.input('attention_mask', 'int64', ['batch', 'tokens']);
  const embedded = g.op('Gather', [g.weight([VOCAB, EMBED], 1), ids], { axis: 0 });
  const hidden = g.op('Tanh', [g.op('MatMul', [embedded, g.weight([EMBED, EMBED], EMBED)])]);
  const maskF = g.op('Unsqueeze', [g.op('Cast', [mask], { to: 1 }), g.int64([2])]);
  g.output(g.op('Mul', [hidden, maskF]), 'last_hidden_state', ['batch', 'tokens', EMBED]);
  return g.encode();
}

/** Mean of each (channel, colour) kernel, divided by the scaling factor: the decoder's linear part. */
function rgbFactors(kernel: Float32Array, scaling: number): [number, number, number][] {
  const per = kernel.length / (LATENT * 3);
  return Array.from({ length: LATENT }, (_, c) => {
    const row = [0, 1, 2].map((rgb) => {
      let s = 0;
      for (let k = 0; k < per; k++) s += kernel[(c * 3 + rgb) * per + k];
      return s / per / scaling;
    });
    return row as [number, number, number];
  });
}

export interface BuiltModel {
  name: string;
  dir: string;
  manifest: ManifestInput;
}

async function writeModel(
  root: string,
  name: string,
  files: Record<string, Uint8Array | string>,
  manifest: ManifestInput,
): Promise<BuiltModel> {
  const dir = path.join(root, 'video', name);
  await mkdir(dir, { recursive: true });
  for (const [file, bytes] of Object.entries(files)) await writeFile(path.join(dir, file), bytes);
  await writeFile(path.join(dir, 'model.json'), JSON.stringify(manifest, null, 2) + '\n');
  return { name, dir, manifest };
}

export async function writeEdmTestModel(root: string, name: string, o: TestModelOptions & { large?: boolean } = {}): Promise<BuiltModel> {
  const decoder = edmVaeDecoder(o);
  const scaling = 0.18215;
  const unet = o.large ? largeEdmUnet({ precision: o.precision }) : undefined;
  return writeModel(
    root,
    name,
    {
      'vae_encoder.onnx': edmVaeEncoder(o),
      'vae_decoder.onnx': decoder.bytes,
      'image_encoder.onnx': imageEncoder(o),
      'unet.onnx': unet ? unet.bytes : edmDenoiser(o),
    },
    {
      format: 'kinegraph-video-model',
      version: 1,
      title: `${unet ? `Large (${(unet.parameters / 1e6).toFixed(0)} M parameter U-Net)` : 'Tiny'} EDM video test model${o.precision === 'fp16' ? ' (fp16)' : ''}${o.camera ? ' with camera input' : ''}`,
      description: 'Random weights, Stable Video Diffusion interface. Built by scripts/make-test-models.ts.',
      family: 'edm-video',
      precision: o.precision ?? 'fp32',
      latent: { channels: LATENT, spatialCompression: SPATIAL, temporalCompression: 1, scalingFactor: scaling },
      prediction: 'v',
      sigma: { min: 0.002, max: 700, data: 1 },
      size: { multiple: SPATIAL * (unet ? 8 : 1), min: 16, max: 1024, default: unet ? [512, 320] : [64, 48] },
      frames: { min: 1, max: 25, default: unet ? 14 : 6 },
      components: {
        vaeEncoder: { file: 'vae_encoder.onnx' },
        vaeDecoder: { file: 'vae_decoder.onnx', chunkFrames: 4 },
        imageEncoder: { file: 'image_encoder.onnx', size: 224 },
        denoiser: {
          file: 'unet.onnx',
          inputs: {
            addedTimeIds: 'added_time_ids',
            ...(o.camera ? { cameraExtrinsics: 'camera_extrinsics', cameraIntrinsics: 'camera_intrinsics' } : {}),
          },
        },
      },
      conditioning: { fps: true, motionBucket: [1, 255], noiseAugmentation: 0.02, camera: !!o.camera, minGuidance: 1 },
      defaults: { sampler: 'euler', scheduler: 'karras', steps: 6, cfg: 2.5 },
      preview: { latentRgbFactors: rgbFactors(decoder.kernel, scaling) },
    },
  );
}

export async function writeFlowTestModel(root: string, name: string, o: TestModelOptions = {}): Promise<BuiltModel> {
  const decoder = flowVaeDecoder(o);
  return writeModel(
    root,
    name,
    {
      'vae_encoder.onnx': flowVaeEncoder(o),
      'vae_decoder.onnx': decoder.bytes,
      'text_encoder.onnx': textEncoder(o),
      'transformer.onnx': flowDenoiser(o),
      'tokenizer.json': JSON.stringify(tinyTokenizerJson()),
    },
    {
      format: 'kinegraph-video-model',
      version: 1,
      title: `Tiny flow video test model${o.precision === 'fp16' ? ' (fp16)' : ''}${o.camera ? ' with camera input' : ''}`,
      description: 'Random weights, Wan / LTX-Video style interface. Built by scripts/make-test-models.ts.',
      family: 'flow-video',
      precision: o.precision ?? 'fp32',
      latent: { channels: LATENT, spatialCompression: SPATIAL, temporalCompression: TEMPORAL, scalingFactor: 1 },
      prediction: 'flow',
      flow: { shift: 3, timestepMultiplier: 1000 },
      size: { multiple: SPATIAL, min: 16, max: 512, default: [64, 48] },
      frames: { min: 1, max: 33, default: 9 },
      components: {
        vaeEncoder: { file: 'vae_encoder.onnx' },
        vaeDecoder: { file: 'vae_decoder.onnx', chunkFrames: 2 },
        textEncoder: { file: 'text_encoder.onnx', inputs: { attentionMask: 'attention_mask' }, tokenizer: 'tokenizer.json', maxLength: 16 },
        denoiser: {
          file: 'transformer.onnx',
          inputs: o.camera ? { cameraExtrinsics: 'camera_extrinsics', cameraIntrinsics: 'camera_intrinsics' } : {},
        },
      },
      conditioning: { camera: !!o.camera, cameraWarpSkip: 0.3 },
      defaults: { sampler: 'flow_euler', scheduler: 'flow_shift', steps: 6, cfg: 3 },
      preview: { latentRgbFactors: rgbFactors(decoder.kernel, 1) },
    },
  );
}

/** Every test model, into `<root>/video/<name>/`. */
export async function writeTestModels(root: string): Promise<BuiltModel[]> {
  return [
    await writeEdmTestModel(root, 'tiny-edm'),
    await writeEdmTestModel(root, 'tiny-edm-fp16', { precision: 'fp16' }),
    await writeEdmTestModel(root, 'tiny-edm-camera', { camera: true }),
    await writeFlowTestModel(root, 'tiny-flow'),
    await writeFlowTestModel(root, 'tiny-flow-fp16', { precision: 'fp16' }),
  ];
}
