import type { CameraCommand } from '../camera/commands.js';
import type { CameraMove } from '../camera/presets.js';
import type { ParsedPrompt } from '../prompt/parse-prompt.js';

/**
 * Camera moves from a prompt read as a sequence of shots (v2): each shot gets an equal part of the clip and
 * its moves play together within it, eased in and out ("[Push in] then [Pull out]" pushes in over the first
 * half and pulls back over the second, instead of the two adding up and cancelling). Moves the prompt rules
 * out ("don't zoom") are dropped; a static camera with no other shot is no move at all, a static shot
 * among others holds. Intensity: the phrase's (speed words) times the motion level, at most 1.
 */
export function sequenceMoves(p: ParsedPrompt, scale: number): { moves: CameraMove[]; follow: boolean } {
  const negated = new Set(p.negated ?? []);
  const items = p.camera.filter((c) => !negated.has(c.command));
  const shots = items.length ? Math.max(...items.map((c) => c.segment ?? 0)) + 1 : 0;
  if (shots <= 1 && items.some((c) => c.command === 'static')) return { moves: [], follow: false };
  const moves: CameraMove[] = [];
  for (let shot = 0; shot < shots; shot++) {
    const strongest = new Map<CameraCommand, number>();
    for (const c of items) {
      if ((c.segment ?? 0) !== shot || c.command === 'static') continue;
      strongest.set(c.command, Math.max(strongest.get(c.command) ?? 0, c.intensity));
    }
    for (const [type, k] of strongest) {
      const intensity = Math.min(1, k * scale);
      if (intensity > 0.01) moves.push({ type, intensity, easing: 'ease_in_out', start: shot / shots, end: (shot + 1) / shots });
    }
  }
  return { moves, follow: items.some((c) => c.follow) };
}
