/**
 * A keyframe's view as a rectangle over the photo, and back: turning the camera (yaw, pitch) moves the
 * rectangle's centre, the field of view sets its size. For a pinhole camera turning about its own centre
 * the view is exactly such a region of the photo, whatever the depth, so dragging it frames the shot.
 * Coordinates: fractions of the photo (x right, y down); `h` is the rectangle's height over the photo's,
 * its width keeps the frame's aspect. The photo's camera has a 45° vertical field of view (BASE_FOV).
 */
export const PHOTO_FOV = 45;
const F0 = 1 / Math.tan(((PHOTO_FOV / 2) * Math.PI) / 180);
const DEG = 180 / Math.PI;

export interface FrameRect {
  cx: number;
  cy: number;
  h: number;
}

export interface KeyView {
  rotation: [number, number, number];
  fov: number;
}

/** Limits of a keyframe as the node's schema gives them (yaw, pitch, field of view). */
export interface ViewLimits {
  yaw: [number, number];
  pitch: [number, number];
  fov: [number, number];
}

export function rectOf(view: KeyView, aspect: number): FrameRect {
  const [yaw, pitch] = view.rotation;
  const x = Math.tan(yaw / DEG);
  const y = Math.tan(pitch / DEG) * Math.sqrt(1 + x * x);
  return { cx: 0.5 + (x * F0) / (2 * aspect), cy: 0.5 - (y * F0) / 2, h: Math.tan(view.fov / 2 / DEG) * F0 };
}

/** The view framing `r` (roll kept), inside the limits. */
export function viewOf(r: FrameRect, aspect: number, roll: number, lim: ViewLimits): KeyView {
  const x = ((r.cx - 0.5) * 2 * aspect) / F0;
  const y = ((0.5 - r.cy) * 2) / F0;
  const clamp = (v: number, [lo, hi]: [number, number]) => Math.min(hi, Math.max(lo, v));
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    rotation: [round(clamp(Math.atan(x) * DEG, lim.yaw)), round(clamp(Math.atan(y / Math.sqrt(1 + x * x)) * DEG, lim.pitch)), roll],
    fov: round(clamp(2 * Math.atan(r.h / F0) * DEG, lim.fov)),
  };
}
