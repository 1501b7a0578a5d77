import { defineNode, output, p, STRING, UserError } from '@kinegraph/graph-core';
import { VIDEO } from '../sockets.js';
import { generate, keyProblems } from './generate.js';
import { checkCombination, findModel, priceListText, T2V_MODEL_IDS, TEXT_TO_VIDEO_MODELS, type ModelSpec } from './models.js';
import { sharedParams } from './params.js';

const model = (id: string): ModelSpec => findModel(TEXT_TO_VIDEO_MODELS, id)!;
const NO_PROMPT = 'Text to video needs a prompt: describe the scene, the action and the camera';

export const MiniMaxTextToVideo = defineNode({
  type: 'MiniMaxTextToVideo',
  category: 'api/minimax',
  title: 'MiniMax Text to Video',
  description:
    'Makes a clip from the prompt alone with a MiniMax video model (needs a MiniMax API key: MINIMAX_API_KEY or a minimax.key file; see the README). ' +
    'Sends only the prompt and the settings; [bracket] camera commands pass through as MiniMax reads them. ' +
    `Paid per clip, list prices: ${priceListText(TEXT_TO_VIDEO_MODELS)}.`,
  version: 1,
  inputs: {},
  outputs: {
    video: output(VIDEO),
    task_id: output(STRING, { description: "MiniMax's id of the task, for your records" }),
  },
  params: {
    prompt: sharedParams.prompt,
    model: p.choice(T2V_MODEL_IDS, { default: 'MiniMax-Hailuo-2.3', label: 'Model' }),
    duration: sharedParams.duration,
    resolution: sharedParams.resolution,
    prompt_optimizer: sharedParams.prompt_optimizer,
  },
  cache: 'pure',
  concurrencySafe: true,
  checkParams(params) {
    const problems = checkCombination(model(params.model), params.resolution, Number(params.duration));
    if (!params.prompt.trim()) problems.push(['prompt', NO_PROMPT]);
    return problems;
  },
  checkHost: (_params, services) => keyProblems(services),
  async execute(ctx, _inputs, params) {
    if (!params.prompt.trim()) throw new UserError(NO_PROMPT, 'prompt');
    return generate(ctx, {
      model: model(params.model),
      prompt: params.prompt,
      seconds: Number(params.duration),
      resolution: params.resolution,
      promptOptimizer: params.prompt_optimizer,
    });
  },
});
