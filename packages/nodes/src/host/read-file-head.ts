import { open } from 'node:fs/promises';

/** The first `bytes` bytes of a file (fewer when it is shorter): enough to tell its type by magic numbers. */
export async function readFileHead(file: string, bytes = 16): Promise<Buffer> {
  const head = Buffer.alloc(bytes);
  const handle = await open(file, 'r');
  try {
    const { bytesRead } = await handle.read(head, 0, bytes, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
