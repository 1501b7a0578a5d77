/**
 * Socket type names. graph-core only knows them as names: what an IMAGE *is* lives in packages/nodes.
 * Types are open: a node library may use a name not listed here; `ANY` accepts every type.
 */
export const SocketType = {
  IMAGE: 'IMAGE',
  LATENT: 'LATENT',
  CONDITIONING: 'CONDITIONING',
  CAMERA: 'CAMERA',
  MODEL: 'MODEL',
  VAE: 'VAE',
  TEXT_ENCODER: 'TEXT_ENCODER',
  UPSCALE_MODEL: 'UPSCALE_MODEL',
  VIDEO: 'VIDEO',
  AUDIO: 'AUDIO',
  MASK: 'MASK',
  INT: 'INT',
  FLOAT: 'FLOAT',
  STRING: 'STRING',
  BOOLEAN: 'BOOLEAN',
  ANY: 'ANY',
} as const;
export type SocketTypeName = (typeof SocketType)[keyof typeof SocketType] | (string & {});

/** Whether an output of type `from` may feed an input of type `to`. INT widens to FLOAT. */
export function socketsCompatible(from: string, to: string): boolean {
  if (from === to || from === SocketType.ANY || to === SocketType.ANY) return true;
  return from === SocketType.INT && to === SocketType.FLOAT;
}
