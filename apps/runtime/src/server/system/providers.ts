let cached: Promise<string[]> | undefined;

/**
 * Execution providers this onnxruntime-node build can use: the bundled ones (CPU, WebGPU). CUDA and TensorRT
 * are listed by the binding but need files its install script downloads, which this project never runs.
 * Loaded lazily: the native module is large.
 */
export function availableProviders(): Promise<string[]> {
  cached ??= import('onnxruntime-node')
    .then((ort) =>
      ort
        .listSupportedBackends()
        .filter((b) => b.bundled)
        .map((b) => b.name),
    )
    .catch(() => ['cpu']);
  return cached;
}
