import { defineNode, output, p } from '@kinegraph/graph-core';
import { CAMERA } from '../../sockets.js';
import { CameraPathSchema, cameraFromSpec } from '../parallax/camera/path.js';

/** CAMERA from presets (combined) and optional keyframes. Connected to Denoise, it overrides the prompt's camera words. */
export const CameraPath = defineNode({
  type: 'CameraPath',
  category: 'camera',
  title: 'Camera Path',
  description:
    'Camera moves: pan, tilt, zoom, push in / pull out, truck, pedestal, crane, orbit, handheld, static; each with intensity, easing and start/end time, several combined. Keyframes (position, rotation, field of view) for exact paths. Overrides camera words in the prompt when connected.',
  version: 1,
  inputs: {},
  outputs: { camera: output(CAMERA) },
  params: {
    path: p.json(CameraPathSchema, {
      default: { moves: [{ type: 'push_in', intensity: 0.4, easing: 'ease_in_out', start: 0, end: 1 }], keyframes: [], shakeSeed: 1 },
      widget: 'camera-path',
      label: 'Path',
      description:
        'moves: [{type, intensity 0..1, easing, start, end}], keyframes: [{t, position [x,y,z], rotation [yaw,pitch,roll], fov}]',
    }),
  },
  cache: 'pure',
  execute(ctx, _inputs, params) {
    const camera = cameraFromSpec(params.path);
    ctx.ui({ kind: 'text', text: `Camera: ${camera.label}` });
    return { camera };
  },
});
