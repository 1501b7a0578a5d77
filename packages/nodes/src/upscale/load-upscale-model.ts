import { defineNode, output, p } from '@kinegraph/graph-core';
import { UPSCALE_MODEL } from '../sockets.js';
import { modelCacheDir } from '../perception/converter/model-cache.js';
import { openUpscaleModel } from './open-model.js';
import { UpscaleHostToken } from './upscale-host.js';

/** Opens an upscaling network: a built-in one (converted once from its npm package) or an ONNX file from models/upscale/. */
export const LoadUpscaleModel = defineNode({
  type: 'LoadUpscaleModel',
  category: 'upscale',
  title: 'Load Upscale Model',
  description:
    'A super-resolution network for Upscale. Built in (weights from npm, converted to ONNX once and kept in the data folder): slim-x2-int8 (fastest on a CPU: slim-x2 in int8), slim, medium, thick (sharpest RDN/RRDN, slow) at 2x/3x/4x, gans-x4 (GAN-trained RRDN). Any ONNX image-to-image upscaler dropped into models/upscale/ appears as upscale/<file>.onnx; its scale, layout and value range are measured when it is first loaded.',
  version: 1,
  inputs: {},
  outputs: { upscale_model: output(UPSCALE_MODEL) },
  params: {
    model: p.model({ kind: 'upscale', default: 'slim-x2', label: 'Model' }),
  },
  cache: 'pure',
  async execute(ctx, _inputs, params) {
    const host = ctx.services.has(UpscaleHostToken) ? ctx.services.get(UpscaleHostToken) : {};
    ctx.progress(0, 1);
    const model = await openUpscaleModel(params.model, {
      cacheDir: modelCacheDir(ctx.services),
      modelsDir: host.modelsDir,
      provider: host.executionProvider,
      log: ctx.log,
    });
    ctx.progress(1, 1);
    return { upscale_model: model };
  },
});
