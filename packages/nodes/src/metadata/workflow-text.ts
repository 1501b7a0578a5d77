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
