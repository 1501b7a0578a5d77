import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The super-resolution networks shipped through npm (weights in node_modules, nothing downloaded). All are
 * TF.js layers models that Kinegraph converts to ONNX itself (perception/converter/layers-to-onnx.ts).
 * slim / medium: RDN (idealo image-super-resolution architecture) trained by UpscalerJS on DIV2K, input
 * and output on the 0-255 scale. thick: RRDN (ESRGAN's residual-in-residual dense blocks), 0-1. gans:
 * idealo's own RRDN trained with a GAN loss, 0-1, 4x only.
 */
export interface BuiltinUpscaleSpec {
  /** The name LoadUpscaleModel offers: "slim-x2". */
  id: string;
  family: 'slim' | 'medium' | 'thick' | 'gans';
  scale: number;
  packageName: string;
  version: string;
  /** model.json inside the package. */
  modelJson: string;
  /** The value range the network reads and writes: 255 for 0-255, 1 for 0-1. */
  range: 1 | 255;
  /** sha256 of model.json and each shard (checked before conversion). */
  sha256: Record<string, string>;
}

const THICK_SHARDS = (sums: string[]) => Object.fromEntries(sums.map((s, i) => [`group1-shard${i + 1}of7.bin`, s]));

export const BUILTIN_UPSCALE_MODELS = [
  {
    id: 'slim-x2',
    family: 'slim',
    scale: 2,
    packageName: '@upscalerjs/esrgan-slim',
    version: '1.0.0',
    modelJson: 'models/x2/model.json',
    range: 255,
    sha256: {
      'model.json': '8efb488c2caed0196a6163e3f06798f9245e92623ffd50654a26c372e09150ea',
      'group1-shard1of1.bin': '5cb464ae4d390ce0a771afd5feaf60fbfcdb18ab48a56db98cdf6b88202369de',
    },
  },
  {
    id: 'slim-x3',
    family: 'slim',
    scale: 3,
    packageName: '@upscalerjs/esrgan-slim',
    version: '1.0.0',
    modelJson: 'models/x3/model.json',
    range: 255,
    sha256: {
      'model.json': '642208758cf6c42a4f88745894b45cc03776681a46027b85963f01fe003e9917',
      'group1-shard1of1.bin': '9d344609abd1e29bd3924f9c4e9ffaa1aee6be7c3586bab0f52863597858a2ba',
    },
  },
  {
    id: 'slim-x4',
    family: 'slim',
    scale: 4,
    packageName: '@upscalerjs/esrgan-slim',
    version: '1.0.0',
    modelJson: 'models/x4/model.json',
    range: 255,
    sha256: {
      'model.json': '3a2eaa642232567e7d2a2e7638c9704f42f63f355fc656c18aa78bf2da1d903d',
      'group1-shard1of1.bin': '82637daaf3ba024df5e9da2389e8992e7a6e8a992ba6268ce6bc490c92e9516e',
    },
  },
  {
    id: 'medium-x2',
    family: 'medium',
    scale: 2,
    packageName: '@upscalerjs/esrgan-medium',
    version: '1.0.0',
    modelJson: 'models/x2/model.json',
    range: 255,
    sha256: {
      'model.json': '197b99be1f385b9f7914ecd8fd6e9ebf65833859807aae90666188dbc39cbf93',
      'group1-shard1of1.bin': '6a210f30f209192bad4650ea4f619adadbd36228e998aa49a4195c6e7ec70761',
    },
  },
  {
    id: 'medium-x3',
    family: 'medium',
    scale: 3,
    packageName: '@upscalerjs/esrgan-medium',
    version: '1.0.0',
    modelJson: 'models/x3/model.json',
    range: 255,
    sha256: {
      'model.json': 'fcf99e8e6b98b19e496d4ceb9d381b0d1236a6e62fbc3952eedf70b9596d8a8a',
      'group1-shard1of1.bin': 'e164821f4251957f5037fb93d1e9a719c17d4346e102bf24d8e8fb60757df48b',
    },
  },
  {
    id: 'medium-x4',
    family: 'medium',
    scale: 4,
    packageName: '@upscalerjs/esrgan-medium',
    version: '1.0.0',
    modelJson: 'models/x4/model.json',
    range: 255,
    sha256: {
      'model.json': '6abcf2a497bb361a9b75afbab390a2bc0df88236c7b7c96edc1c2cdbdbec8e3c',
      'group1-shard1of1.bin': 'ed791214e78e498dd42ce5da0e16b78a1047732e5d99467aaead2a90cb566a69',
    },
  },
  {
    id: 'thick-x2',
    family: 'thick',
    scale: 2,
    packageName: '@upscalerjs/esrgan-thick',
    version: '1.0.0',
    modelJson: 'models/x2/model.json',
    range: 1,
    sha256: {
      'model.json': 'fa724ce9e0fc0e17af6422f8c981c10c8cbff039e8205911613b610b74446b96',
      ...THICK_SHARDS([
        '61d89b10b777baa25042a99b1dc6747259b8d534327a102234514e5d51e10bbb',
        '0e00153883cad381e8a61e393df9cc387f688ec29682f22e3b49c6385b92036d',
        'b6738bb9c0f3e950f0b446c5789ff9cba4436debc2b6df41703aafddd146c8cd',
        '1a29e528ddfd2e266f6cd9e783447aeb76501d9124679092886585b591811e03',
        '3b22a4bc2cbd12ab3e7d9b6cc8e91109721232c0a4992670573a99c5477ec5ec',
        'f5b06f4b6dee42f9e91ced00f5ab142b9d712aac9ae8c93b98fc0ecaad5d7ae8',
        '313b834bbe681c564f92e13c7d9a240a30f01d5836048438e1351780cca0d312',
      ]),
    },
  },
  {
    id: 'thick-x3',
    family: 'thick',
    scale: 3,
    packageName: '@upscalerjs/esrgan-thick',
    version: '1.0.0',
    modelJson: 'models/x3/model.json',
    range: 1,
    sha256: {
      'model.json': '48329aa1d773000c775b0cad55ab6dafd6e516e5ac16227988649daa0cfc83ac',
      ...THICK_SHARDS([
        '8636aae49965c848e68351cd19779407bc6491a9aec276e22c8c9170d6caecf3',
        '1761e246a976450f3b1e0b1bd98398998fffa6ae1cb91ef5f5dc8c69f25e2a7f',
        '2e13d04393bc357a4f4e78af7bc0bb2a5941f36d41c6cc026c664a841bb506b6',
        'fd9c4777b134ce0451d29d22235f3898487b62df78bc9bf3b392eeccf6318694',
        '0378f8822718ab22bbb033e35e7da7ab962ab29fe5ddd95713d70c2a6c2e921a',
        '29106164672f2ee7e34c942d125f5a7a0ebf1aeb8c81c6406d9efd5c7478784c',
        '51d5ef16c7258b26b3ee2c714df127b81839d1153bf1b30e44e274225bb49b5c',
      ]),
    },
  },
  {
    id: 'thick-x4',
    family: 'thick',
    scale: 4,
    packageName: '@upscalerjs/esrgan-thick',
    version: '1.0.0',
    modelJson: 'models/x4/model.json',
    range: 1,
    sha256: {
      'model.json': '960433910ae4b2bff56d78a9d6dffc1289db3441bd67436c574b850dca429461',
      ...THICK_SHARDS([
        'c2f3147cabd7451ca3c93090c0a0284034a2e1356c0ca16f72d39c46ab7fc9ea',
        '6340d34ef2a1bf7cf32d5fc456662e39f9872a51d500a10907b9313f6278eb16',
        '3467d72b6b9297dcf175244bc3462074ff7ed5c44f8dc3ba7a52bc843a51ee88',
        'c384e24ac8c11bd3e2a9211fcadc8a9077345cd780e59245e758b622f37c83ae',
        '90a60275d08465ba206116731639d5d9c0c44102b7796c68d1346fa0d997eed0',
        '1bfa5f625a7316030ac47b420e2a77b809bce28519d069c45cfa7567d223e524',
        '349e03caf92240e7643f587f36501bd4826e55fa8dc334b29b17cf2699d341e3',
      ]),
    },
  },
  {
    id: 'gans-x4',
    family: 'gans',
    scale: 4,
    packageName: '@upscalerjs/models',
    version: '0.9.0',
    modelJson: 'models/idealo/gans/model.json',
    range: 1,
    sha256: {
      'model.json': 'a6d9f10eb1f9409725f039dc114987266fd69b224a9c0f211a8bf35ffe9f2546',
      'group1-shard1of1.bin': '9c83e573a328beaa031239da5f4cecd271647b9d9e48b51cd969fd19fe82800e',
    },
  },
] as const satisfies readonly BuiltinUpscaleSpec[];

export type BuiltinUpscaleId = (typeof BUILTIN_UPSCALE_MODELS)[number]['id'];

export function builtinUpscaleSpec(id: string): BuiltinUpscaleSpec | undefined {
  return BUILTIN_UPSCALE_MODELS.find((m) => m.id === id);
}

const require = createRequire(import.meta.url);

/**
 * The installed folder of a package. The esrgan packages' "exports" hide their package.json from
 * require.resolve, so the node_modules folders Node would search are looked through directly.
 */
function packageDir(name: string): string | undefined {
  for (const dir of require.resolve.paths(name) ?? []) {
    if (existsSync(path.join(dir, name, 'package.json'))) return path.join(dir, name);
  }
  return undefined;
}

/** The model.json on disk; a package that is not installed is an error naming it. */
export function builtinModelJson(spec: BuiltinUpscaleSpec): string {
  const dir = packageDir(spec.packageName);
  if (!dir)
    throw new Error(
      `model package ${spec.packageName}@${spec.version} is not installed (run npm ci): model file ${spec.modelJson} is missing`,
    );
  return path.join(dir, spec.modelJson);
}
