import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpuAbsenceReason } from '../../packages/nodes/src/onnx/gpu-presence.js';
import { writeTestModels } from '../../packages/nodes/src/onnx/testing/test-models.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'kinegraph-quiet-'));
  await writeTestModels(root);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('the execution provider on a machine without a GPU', () => {
  it('is asked of the machine, not of Dawn: macOS and Windows always try WebGPU', () => {
    expect(gpuAbsenceReason('darwin')).toBeUndefined();
    expect(gpuAbsenceReason('win32')).toBeUndefined();
  });

  it("'auto' names the provider it picked and prints no Dawn or Vulkan warnings", () => {
    const script = `
      import { OnnxFolderProvider } from ${JSON.stringify(path.resolve('packages/nodes/src/onnx/provider.ts'))};
      const lines = [];
      const log = { debug() {}, info: (m, d) => lines.push(m + (d?.reason ? ' (' + d.reason + ')' : '')), warn() {}, error() {} };
      const p = new OnnxFolderProvider({ modelsDir: ${JSON.stringify(root)}, executionProvider: 'auto', idleMs: 0, log });
      const b = await p.load('video/tiny-flow');
      console.log(JSON.stringify({ providers: await b.model.model.providers(), lines }));
      await p.unloadAll();`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, KINEGRAPH_ONNX_PROVIDER: '' },
    });
    expect(child.status, child.stderr).toBe(0);
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as { providers: string[]; lines: string[] };
    const absent = gpuAbsenceReason();
    if (absent) {
      expect(result.providers).toEqual(['cpu']);
      expect(result.lines).toContain(`onnx: CPU execution provider in use (WebGPU not tried) (${absent})`);
      expect(child.stderr).not.toMatch(/vulkan|dawn|XDG_RUNTIME_DIR/i);
    } else {
      // A machine with a GPU device: whichever provider opened, the log says which.
      expect(result.lines.some((l) => /execution provider|WebGPU/i.test(l))).toBe(true);
    }
  });
});
