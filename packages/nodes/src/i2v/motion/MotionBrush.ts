import { defineNode, input, output, p } from '@kinegraph/graph-core';
import { MASK, MOTION_REGION } from '../../sockets.js';
import { BRUSH_KINDS, MotionRegionValue } from '../../values/motion-region.js';

const DIRECTION_NAMES = ['right', 'left', 'up', 'down', 'up_right', 'up_left', 'down_right', 'down_left'] as const;

/** Directions in image space (+x right, +y down), unit length. */
const DIRECTIONS = {
  right: [1, 0],
  left: [-1, 0],
  up: [0, -1],
  down: [0, 1],
  up_right: [Math.SQRT1_2, -Math.SQRT1_2],
  up_left: [-Math.SQRT1_2, -Math.SQRT1_2],
  down_right: [Math.SQRT1_2, Math.SQRT1_2],
  down_left: [-Math.SQRT1_2, Math.SQRT1_2],
} as const satisfies Record<(typeof DIRECTION_NAMES)[number], readonly [number, number]>;

/** Pairs a painted MASK with a motion, for Denoise's motion_regions (chain several to paint several regions). */
export const MotionBrush = defineNode({
  type: 'MotionBrush',
  category: 'sampling',
  title: 'Motion Brush',
  description:
    'Paints motion where the mask is: flow (water running that way), ripple (a rippling surface), sway (swinging back and forth along the direction), drift (a steady glide, like clouds), hair (fluttering in a wind from that side). Inside the mask, feathered over a few pixels; nothing outside it moves for it. Chain brushes through "regions" to paint several.',
  version: 1,
  inputs: {
    mask: input(MASK, { description: 'Where it moves (white); over the photo given to Encode Image' }),
    regions: input(MOTION_REGION, { optional: true, description: 'Earlier brushes, kept' }),
  },
  outputs: { regions: output(MOTION_REGION, { description: 'For Denoise' }) },
  params: {
    kind: p.choice(BRUSH_KINDS, { default: 'flow', label: 'Motion' }),
    direction: p.choice(DIRECTION_NAMES, { default: 'right', label: 'Direction' }),
    strength: p.float({ default: 0.5, min: 0, max: 1, step: 0.05, slider: true, label: 'Strength' }),
  },
  cache: 'pure',
  concurrencySafe: true,
  execute(_ctx, inputs, params) {
    const [dx, dy] = DIRECTIONS[params.direction];
    const stroke = { mask: inputs.mask, kind: params.kind, direction: [dx, dy] as [number, number], strength: params.strength };
    return { regions: new MotionRegionValue([...(inputs.regions?.strokes ?? []), stroke]) };
  },
});
