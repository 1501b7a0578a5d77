import { stat } from 'node:fs/promises';
import path from 'node:path';
import { OperationalError, UserError, type Logger } from '@kinegraph/graph-core';
import type * as ort from 'onnxruntime-node';
import { createSession, firstLine, type ProviderChoice, type ProviderName } from './execution-provider.js';
import type { ComponentName, Manifest } from './manifest.js';

/** One tensor a component must have: its role in model.json, its name, element kind and rank. */
export interface TensorExpectation {
  role: string;
  name: string;
  kind: 'float' | 'int64';
  rank: number;
  /** Fixed sizes where the interface requires them (axis -> size). */
  sizes?: Record<number, number>;
}

export interface ComponentInterface {
  inputs: TensorExpectation[];
  outputs: TensorExpectation[];
}

export interface ComponentSession {
  component: ComponentName;
  file: string;
  session: ort.InferenceSession;
  provider: ProviderName;
  /** The element type the session's float tensors use ('float32' or 'float16'). */
  floatType: 'float32' | 'float16';
}

/** Opens one component's ONNX file and checks its real inputs and outputs against what model.json promises. */
export async function openComponent(
  dir: string,
  component: ComponentName,
  file: string,
  expected: ComponentInterface,
  manifest: Manifest,
  provider: ProviderChoice,
  log?: Logger,
): Promise<ComponentSession> {
  const where = `model.json components.${component}`;
  const full = path.join(dir, file);
  const info = await stat(full).catch(() => undefined);
  if (!info?.isFile())
    throw new UserError(`${path.basename(dir)}: ${where}.file names "${file}", which is not in the model folder`, 'model');
  let created;
  try {
    created = await createSession(full, provider, log);
  } catch (error) {
    if (error instanceof OperationalError) throw error; // the provider, not the file
    throw new UserError(`${path.basename(dir)}: "${file}" (${where}) is not a valid ONNX model: ${firstLine(error)}`, 'model', {
      cause: error,
    });
  }
  const floatType = manifest.precision === 'fp16' ? 'float16' : 'float32';
  checkTensors(path.basename(dir), file, where, 'input', created.session.inputMetadata, expected.inputs, floatType);
  checkTensors(path.basename(dir), file, where, 'output', created.session.outputMetadata, expected.outputs, floatType);
  return { component, file, session: created.session, provider: created.provider, floatType };
}

function checkTensors(
  model: string,
  file: string,
  where: string,
  side: 'input' | 'output',
  actual: readonly ort.InferenceSession.ValueMetadata[],
  expected: TensorExpectation[],
  floatType: string,
): void {
  const fail = (message: string) => {
    throw new UserError(`${model}: ${file} ${message}`, 'model');
  };
  const byName = new Map(actual.map((m) => [m.name, m]));
  const list = actual.map((m) => m.name).join(', ');
  for (const want of expected) {
    const got = byName.get(want.name);
    if (!got) fail(`has no ${side} tensor "${want.name}" (${where}.${side}s.${want.role}); its ${side}s are: ${list}`);
    if (!got!.isTensor) fail(`${side} "${want.name}" is not a tensor`);
    const meta = got as ort.InferenceSession.TensorValueMetadata;
    const type = want.kind === 'int64' ? 'int64' : floatType;
    if (meta.type !== type) fail(`${side} "${want.name}" is ${meta.type}, model.json (precision) says ${type}`);
    if (meta.shape.length > 0 && meta.shape.length !== want.rank) {
      fail(
        `${side} "${want.name}" has rank ${meta.shape.length} [${meta.shape.join(', ')}], the ${want.role} tensor needs rank ${want.rank}`,
      );
    }
    for (const [axis, size] of Object.entries(want.sizes ?? {})) {
      const dim = meta.shape[Number(axis)];
      if (typeof dim === 'number' && dim !== size) fail(`${side} "${want.name}" has size ${dim} on axis ${axis}, expected ${size}`);
    }
  }
  if (side === 'input') {
    const named = new Set(expected.map((e) => e.name));
    const extra = actual.filter((m) => !named.has(m.name)).map((m) => m.name);
    if (extra.length)
      fail(`needs input${extra.length > 1 ? 's' : ''} ${extra.map((n) => `"${n}"`).join(', ')} that ${where}.inputs does not name`);
  }
}

/** The tensors each component must have, for a family (layouts in docs/models.md). */
export function componentInterfaces(m: Manifest): Partial<Record<ComponentName, ComponentInterface>> {
  const C = m.latent.channels;
  const edm = m.family === 'edm-video';
  const c = m.components;
  const f = (role: string, name: string, rank: number, sizes?: Record<number, number>): TensorExpectation => ({
    role,
    name,
    kind: 'float',
    rank,
    sizes,
  });
  const denoiserInputs = [
    f('sample', c.denoiser.inputs.sample, 5, edm ? { 2: 2 * C } : { 1: C }),
    f('timestep', c.denoiser.inputs.timestep, 1),
    f('context', c.denoiser.inputs.context, 3),
  ];
  if (edm) denoiserInputs.push(f('addedTimeIds', c.denoiser.inputs.addedTimeIds!, 2, { 1: 3 }));
  if (m.conditioning.camera) {
    denoiserInputs.push(f('cameraExtrinsics', c.denoiser.inputs.cameraExtrinsics!, 3, { 2: 12 }));
    denoiserInputs.push(f('cameraIntrinsics', c.denoiser.inputs.cameraIntrinsics!, 3, { 2: 4 }));
  }
  const out: Partial<Record<ComponentName, ComponentInterface>> = {
    vaeEncoder: {
      inputs: [f('image', c.vaeEncoder.inputs.image, edm ? 4 : 5, { 1: 3 })],
      outputs: [f('latent', c.vaeEncoder.outputs.latent, edm ? 4 : 5, { 1: C })],
    },
    vaeDecoder: {
      inputs: [f('latent', c.vaeDecoder.inputs.latent, edm ? 4 : 5, { 1: C })],
      outputs: [f('image', c.vaeDecoder.outputs.image, edm ? 4 : 5, { 1: 3 })],
    },
    denoiser: { inputs: denoiserInputs, outputs: [f('prediction', c.denoiser.outputs.prediction, 5, edm ? { 2: C } : { 1: C })] },
  };
  if (c.imageEncoder) {
    out.imageEncoder = {
      inputs: [f('image', c.imageEncoder.inputs.image, 4, { 1: 3 })],
      outputs: [f('embedding', c.imageEncoder.outputs.embedding, 2)],
    };
  }
  if (c.textEncoder) {
    const inputs: TensorExpectation[] = [{ role: 'inputIds', name: c.textEncoder.inputs.inputIds, kind: 'int64', rank: 2 }];
    if (c.textEncoder.inputs.attentionMask)
      inputs.push({ role: 'attentionMask', name: c.textEncoder.inputs.attentionMask, kind: 'int64', rank: 2 });
    out.textEncoder = { inputs, outputs: [f('hidden', c.textEncoder.outputs.hidden, 3)] };
  }
  return out;
}
