import type { Workflow } from '../api/types.js';

export function isWorkflowFile(file: File): boolean {
  return file.type === 'application/json' || /\.json$/i.test(file.name);
}

export async function readJsonFile(file: File): Promise<unknown> {
  const text = await file.text();
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`not valid JSON (${(e as Error).message})`);
  }
}

/** A file name from the workflow's name, safe on every OS. */
export function workflowFileName(doc: Workflow): string {
  const base = (doc.meta?.name ?? 'workflow').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'workflow';
  return base + '.json';
}

/** Saves the document as a .json download. */
export function downloadWorkflow(doc: Workflow): void {
  const blob = new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = workflowFileName(doc);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** Opens the system file picker for a workflow (JSON, or an MP4/PNG the project wrote). */
export function pickFile(accept = '.json,application/json,video/mp4,image/png'): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.onchange = () => resolve(input.files?.[0] ?? null);
    input.click();
  });
}
