import { UserError, type NodeContext, type Services } from '@kinegraph/graph-core';
import type { ImageValue } from '../values/image.js';
import type { VideoValue } from '../values/video.js';
import type { SubmitRequest } from './api-schema.js';
import { bracketWarnings, builtinReading } from './director.js';
import { frameDataUrl } from './frame-image.js';
import { lookUpKey } from './key.js';
import { checkCombination, listPriceUsd, type ModelSpec, type Resolution } from './models.js';
import { runVideoTask } from './run-task.js';
import { minimaxSettings } from './settings.js';

export interface GenerateInput {
  model: ModelSpec;
  prompt: string;
  seconds: number;
  resolution: Resolution;
  promptOptimizer: boolean;
  firstFrame?: ImageValue;
  lastFrame?: ImageValue;
}

/** For both nodes' `checkHost`: a run needs a key the host can find (it is never a parameter). */
export function keyProblems(services: Services): Array<[string | undefined, string]> {
  const problems: Array<[string | undefined, string]> = [];
  const found = lookUpKey(services);
  if (found.key === undefined) problems.push([undefined, found.problem]);
  try {
    minimaxSettings(services);
  } catch (e) {
    // A bad MINIMAX_API_BASE is the host's too: refused with the key, before anything is queued.
    if (e instanceof UserError) problems.push([undefined, e.message]);
    else throw e;
  }
  return problems;
}

/**
 * What both MiniMax nodes do: check once more what validation checked (a linked parameter arrives only now),
 * report the prompt's camera commands and the built-in model's reading of the same text, run the task and
 * show its id and list price. Only the frames and the prompt with its settings are sent.
 */
export async function generate(ctx: NodeContext, g: GenerateInput): Promise<{ video: VideoValue; task_id: string }> {
  const found = lookUpKey(ctx.services);
  if (found.key === undefined) throw new UserError(found.problem);
  const settings = minimaxSettings(ctx.services);
  for (const [field, message] of checkCombination(g.model, g.resolution, g.seconds)) throw new UserError(message, field);

  for (const w of bracketWarnings(g.prompt, g.model.id, g.model.director)) ctx.warn(w, 'prompt');
  const reading = g.prompt.trim() ? builtinReading(g.prompt) : undefined;

  const request: SubmitRequest = {
    model: g.model.id,
    ...(g.prompt.trim() ? { prompt: g.prompt } : {}),
    ...(g.firstFrame ? { first_frame_image: await frameDataUrl(g.firstFrame, 'image') } : {}),
    ...(g.lastFrame ? { last_frame_image: await frameDataUrl(g.lastFrame, 'last frame') } : {}),
    duration: g.seconds,
    resolution: g.resolution,
    prompt_optimizer: g.promptOptimizer,
  };
  const result = await runVideoTask(ctx, { request, model: g.model, key: found.key, keySource: found.source, settings });

  const price = listPriceUsd(g.model, g.resolution, g.seconds);
  const cost =
    price === undefined ? 'no list price known' : `about $${price.toFixed(2)} at MiniMax's list price (the API does not report the charge)`;
  ctx.ui({
    kind: 'text',
    text: `MiniMax task ${result.taskId}: ${g.model.id}, ${g.seconds} s at ${g.resolution}, ${result.video.width}x${result.video.height}, ${result.video.frameCount} frames; ${cost}`,
    data: {
      taskId: result.taskId,
      fileId: result.fileId,
      model: g.model.id,
      duration: g.seconds,
      resolution: g.resolution,
      listPriceUsd: price ?? null,
    },
  });
  if (reading)
    ctx.ui({
      kind: 'text',
      text: reading.text,
      data: { parser: 'builtin/parallax-v2', understood: reading.understood, ignored: reading.ignored },
    });
  return { video: result.video, task_id: result.taskId };
}
