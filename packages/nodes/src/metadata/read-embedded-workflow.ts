import { readFile } from 'node:fs/promises';
import { sniffMedia } from '../ffmpeg/media-type.js';
import { probe } from '../ffmpeg/probe.js';
import { readGifComment, isGif } from './gif-comment.js';
import { isPng, readPngText } from './png-text.js';
import { parseWorkflowText as parse, PNG_WORKFLOW_KEYWORD, WORKFLOW_KEY } from './workflow-text.js';
import { readFileHead } from '../host/read-file-head.js';

/**
 * The workflow a Kinegraph output file carries (PNG tEXt, GIF comment, MP4/WebM metadata tag), parsed,
 * or undefined when the file has none. The file alone restores the graph that made it.
 */
export async function readEmbeddedWorkflow(file: string): Promise<unknown | undefined> {
  const head = await readFileHead(file);
  if (isPng(head)) return parse(readPngText(await readFile(file)).get(PNG_WORKFLOW_KEYWORD));
  if (isGif(head)) return parse(readGifComment(await readFile(file)));
  const sniffed = await sniffMedia(file);
  // A JPEG or WebP photo is a picture Kinegraph never writes a workflow into: no workflow, not an error.
  if (!sniffed.media && sniffed.image) return undefined;
  const { format, streams } = await probe(file, sniffed.media);
  const tagSets = [format.tags ?? {}, ...streams.map((s) => s.tags ?? {})];
  for (const tags of tagSets) {
    for (const [key, value] of Object.entries(tags)) {
      if (key.toLowerCase() === WORKFLOW_KEY) return parse(value);
    }
  }
  for (const tags of tagSets) {
    for (const [key, value] of Object.entries(tags)) {
      if (key.toLowerCase() === 'comment' && value.startsWith('{')) {
        const found = parse(value);
        if (found) return found;
      }
    }
  }
  return undefined;
}
