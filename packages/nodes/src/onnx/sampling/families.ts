import { samplers } from './samplers.js';

/** Samplers offered per family: flow models get flow_euler first (their natural default). */
export function familySamplers(family: 'edm-video' | 'flow-video'): string[] {
  const all = Object.keys(samplers);
  if (family === 'flow-video') return ['flow_euler', ...all.filter((s) => s !== 'flow_euler')];
  return all.filter((s) => s !== 'flow_euler');
}
