let cached: Promise<string[]> | undefined;

/** Execution providers this onnxruntime-node build offers (loaded lazily: the native module is large). */
export function availableProviders(): Promise<string[]> {
  cached ??= import('onnxruntime-node')
    .then((ort) => ort.listSupportedBackends().map((b) => b.name))
    .catch(() => ['cpu']);
  return cached;
}
