import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Why this machine can not have a WebGPU adapter, or undefined when it may have one. Asked before any
 * WebGPU session is tried: opening Dawn on a Linux machine without a GPU prints Vulkan and XDG warnings to
 * stderr on every run, so 'auto' skips WebGPU where no GPU device node or no Vulkan loader exists. macOS
 * (Metal) and Windows (D3D12) always get a real try.
 */
export function gpuAbsenceReason(platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform !== 'linux') return undefined;
  if (!hasGpuDeviceNode()) return 'no GPU device (/dev/dri/renderD* or /dev/nvidia*)';
  if (!hasVulkanLoader()) return 'no Vulkan loader (libvulkan.so.1)';
  return undefined;
}

function hasGpuDeviceNode(): boolean {
  if (existsSync('/dev/nvidia0')) return true;
  try {
    return readdirSync('/dev/dri').some((name) => name.startsWith('renderD'));
  } catch {
    return false;
  }
}

const VULKAN_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/usr/local/lib',
  '/lib/x86_64-linux-gnu',
  '/lib64',
];

function hasVulkanLoader(): boolean {
  const fromEnv = (process.env.LD_LIBRARY_PATH ?? '').split(delimiter).filter(Boolean);
  return [...fromEnv, ...VULKAN_DIRS].some((dir) => existsSync(join(dir, 'libvulkan.so.1')));
}

/** One line for logs: what 'auto' will use on this machine and why. */
export function describeAutoProvider(): string {
  const absent = gpuAbsenceReason();
  return absent ? `CPU (${absent}; WebGPU not tried)` : 'WebGPU when a GPU adapter opens, else CPU';
}
