#!/usr/bin/env node
// Checks that a file is the default workflow's video: H.264, 6 s, 24 fps, 1280x720 (or 720x1280), yuv420p.
// Used by .ci/run after it runs the README's commands literally; exits 1 with the reason otherwise.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/check-video.mjs <file.mp4>');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const ffprobe = process.env.FFPROBE_PATH || require('@ffprobe-installer/ffprobe').path;
const json = execFileSync(
  ffprobe,
  ['-v', 'error', '-protocol_whitelist', 'file', '-f', 'mov', '-count_frames', '-show_streams', '-show_format', '-of', 'json', file],
  { encoding: 'utf8' },
);
const info = JSON.parse(json);
const video = info.streams.find((s) => s.codec_type === 'video');
const problems = [];
if (!video) problems.push('no video stream');
else {
  if (video.codec_name !== 'h264') problems.push(`codec ${video.codec_name}, expected h264`);
  if (video.pix_fmt !== 'yuv420p') problems.push(`pixel format ${video.pix_fmt}, expected yuv420p`);
  const size = `${video.width}x${video.height}`;
  if (size !== '1280x720' && size !== '720x1280') problems.push(`size ${size}, expected 1280x720`);
  if (video.avg_frame_rate !== '24/1') problems.push(`frame rate ${video.avg_frame_rate}, expected 24/1`);
  if (Number(video.nb_read_frames) !== 144) problems.push(`${video.nb_read_frames} frames, expected 144`);
}
const duration = Number(info.format.duration);
if (!(Math.abs(duration - 6) < 0.05)) problems.push(`duration ${duration} s, expected 6 s`);
if (problems.length) {
  console.error(`${file} is not the expected video: ${problems.join('; ')}`);
  process.exit(1);
}
console.log(`${file}: h264 ${video.width}x${video.height} yuv420p, ${video.nb_read_frames} frames, ${duration.toFixed(2)} s: ok`);
