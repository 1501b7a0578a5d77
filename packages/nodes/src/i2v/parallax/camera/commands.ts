/** Every camera command the built-in model knows, shared by the prompt parser and the CameraPath node. */
export const CAMERA_COMMANDS = [
  'pan_left',
  'pan_right',
  'tilt_up',
  'tilt_down',
  'zoom_in',
  'zoom_out',
  'push_in',
  'pull_out',
  'truck_left',
  'truck_right',
  'pedestal_up',
  'pedestal_down',
  'crane_up',
  'crane_down',
  'orbit_left',
  'orbit_right',
  'handheld',
  'static',
] as const;
export type CameraCommand = (typeof CAMERA_COMMANDS)[number];

export const EASINGS = ['linear', 'ease_in', 'ease_out', 'ease_in_out'] as const;
export type Easing = (typeof EASINGS)[number];

export function ease(kind: Easing, t: number): number {
  const x = t < 0 ? 0 : t > 1 ? 1 : t;
  switch (kind) {
    case 'linear':
      return x;
    case 'ease_in':
      return x * x;
    case 'ease_out':
      return 1 - (1 - x) * (1 - x);
    case 'ease_in_out':
      return x * x * (3 - 2 * x);
  }
}

export const commandLabel = (c: CameraCommand) => c.replace('_', ' ');
