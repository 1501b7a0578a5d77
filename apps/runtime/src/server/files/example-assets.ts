import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

const MEDIA = /\.(jpe?g|png|webp|avif|tiff?|wav|flac|mp3|ogg|opus|m4a|mp4|webm)$/i;

/**
 * The shipped example workflows name their files as `assets/<name>` (relative to the workflow file, which is
 * what the CLI resolves). The server only reads inputs from its input folder, so it keeps a copy of the
 * examples' media in `<input>/assets/`: the default workflow runs as it is, and its thumbnail loads. A file
 * the user replaced there is left alone.
 */
export async function seedExampleAssets(workflowsDir: string, inputDir: string): Promise<string[]> {
  const from = path.join(workflowsDir, 'assets');
  let names: string[];
  try {
    names = (await readdir(from)).filter((n) => MEDIA.test(n) && !n.startsWith('.'));
  } catch {
    return [];
  }
  const to = path.join(inputDir, 'assets');
  await mkdir(to, { recursive: true });
  const copied: string[] = [];
  for (const name of names) {
    try {
      await copyFile(path.join(from, name), path.join(to, name), 1 /* COPYFILE_EXCL: never overwrite */);
      copied.push(name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return copied;
}
