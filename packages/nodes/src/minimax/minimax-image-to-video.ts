import { defineNode, input, output, p, STRING, UserError } from '@kinegraph/graph-core';
import { IMAGE, VIDEO } from '../sockets.js';
import { frameImage } from './frame-image.js';
import { generate, keyProblems } from './generate.js';
import {
  checkCombination,
  findModel,
  I2V_MODEL_IDS,
  IMAGE_TO_VIDEO_MODELS,
  priceListText,
  type ModelSpec,
  type Resolution,
} from './models.js';
import { sharedParams } from './params.js';

const model = (id: string): ModelSpec => findModel(IMAGE_TO_VIDEO_MODELS, id)!;

/** Why a last frame does not fit the chosen model or resolution, if it does not. */
function lastFrameProblem(m: ModelSpec, resolution: Resolution): [string, string] | undefined {
  if (!m.lastFrame) {
    const able = IMAGE_TO_VIDEO_MODELS.filter((x) => 'lastFrame' in x)
      .map((x) => x.id)
      .join(', ');
    return ['model', `${m.id} takes no last frame: only ${able} does; disconnect last_frame or choose that model`];
  }
  if (!m.lastFrame.includes(resolution)) return ['resolution', `${m.id} takes a last frame only at ${m.lastFrame.join(' or ')}`];
  return undefined;
}

export const MiniMaxImageToVideo = defineNode({
  type: 'MiniMaxImageToVideo',
  category: 'api/minimax',
  title: 'MiniMax Image to Video',
  description:
    'Animates the image with a MiniMax video model (needs a MiniMax API key: MINIMAX_API_KEY or a minimax.key file; see the README). ' +
    'Sends the image (and the last frame, if connected) and the prompt to MiniMax; [bracket] camera commands pass through as MiniMax reads them. ' +
    `Paid per clip, list prices: ${priceListText(IMAGE_TO_VIDEO_MODELS)}.`,
  version: 1,
  inputs: {
    image: input(IMAGE, { description: 'The first frame (short side at least 300 px, aspect 2:5 to 5:2)' }),
    last_frame: input(IMAGE, { optional: true, description: 'The last frame (MiniMax-Hailuo-02 at 768P or 1080P only)' }),
  },
  outputs: {
    video: output(VIDEO),
    task_id: output(STRING, { description: "MiniMax's id of the task, for your records" }),
  },
  params: {
    prompt: sharedParams.prompt,
    model: p.choice(I2V_MODEL_IDS, { default: 'MiniMax-Hailuo-2.3', label: 'Model' }),
    duration: sharedParams.duration,
    resolution: sharedParams.resolution,
    prompt_optimizer: sharedParams.prompt_optimizer,
  },
  // Network-bound: may wait on MiniMax while other branches compute. Cached on the request (image, prompt,
  // settings); the key is no parameter, so it is no part of the cache key.
  cache: 'pure',
  concurrencySafe: true,
  checkParams(params, linked) {
    const m = model(params.model);
    const problems = checkCombination(m, params.resolution, Number(params.duration));
    if (linked?.has('last_frame')) {
      const p = lastFrameProblem(m, params.resolution);
      if (p) problems.push(p);
    }
    return problems;
  },
  checkHost: (_params, services) => keyProblems(services),
  async execute(ctx, inputs, params) {
    const m = model(params.model);
    const firstFrame = frameImage(inputs.image, 'image', 'image');
    const lastFrame = inputs.last_frame === undefined ? undefined : frameImage(inputs.last_frame, 'last_frame', 'last frame');
    if (lastFrame) {
      const p = lastFrameProblem(m, params.resolution);
      if (p) throw new UserError(p[1], p[0]);
    }
    return generate(ctx, {
      model: m,
      prompt: params.prompt,
      seconds: Number(params.duration),
      resolution: params.resolution,
      promptOptimizer: params.prompt_optimizer,
      firstFrame,
      lastFrame,
    });
  },
});
