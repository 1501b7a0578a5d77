import { gunzipSync, gzipSync } from 'node:zlib';

/** The metadata key (PNG keyword, MP4/WebM tag) under which output files carry their workflow. */
export const WORKFLOW_KEY = 'kinegraph_workflow';
export const PNG_WORKFLOW_KEYWORD = 'kinegraph-workflow';

/**
 * The workflow as compact JSON in pure ASCII: characters outside ASCII become \u escapes, which is still
 * the same JSON. PNG tEXt chunks are Latin-1 and some containers mangle UTF-8 tags; ASCII survives all.
 */
export function workflowText(workflow: unknown): string {
  return JSON.stringify(workflow).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

const COMPRESSED_PREFIX = 'gzip-base64:';
/** Container tags travel to ffmpeg as one command-line argument, which Linux caps at 128 KiB. */
export const MAX_PLAIN_TAG = 100_000;
export const MAX_TAG = 125_000;

/**
 * The workflow as a container tag value: plain JSON when it fits comfortably in one argument, else
 * gzip + base64 behind a prefix (workflows compress about tenfold). Undefined when even that is too large.
 */
export function workflowTagValue(workflow: unknown): string | undefined {
  const text = workflowText(workflow);
  if (text.length <= MAX_PLAIN_TAG) return text;
  const packed = COMPRESSED_PREFIX + gzipSync(text, { level: 9 }).toString('base64');
  return packed.length <= MAX_TAG ? packed : undefined;
}

/** The workflow back from a tag or text chunk (plain or compressed JSON); undefined when it is neither. */
export function parseWorkflowText(text: string | undefined): unknown | undefined {
  if (!text) return undefined;
  try {
    if (text.startsWith(COMPRESSED_PREFIX))
      return JSON.parse(gunzipSync(Buffer.from(text.slice(COMPRESSED_PREFIX.length), 'base64')).toString('utf8'));
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
