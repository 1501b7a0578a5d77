import { z } from 'zod';
import { ErrorCode, type GraphIssue } from './errors.js';
import { pathText } from './node-checks.js';
import { WORKFLOW_FORMAT, WORKFLOW_VERSION, WorkflowSchema, type Workflow } from './workflow-schema.js';

/** `omittedIssues`: how many problems were found beyond the ones listed (validateWorkflow lists the first 100). */
export type ValidationResult =
  | { ok: true; workflow: Workflow; issues: GraphIssue[]; omittedIssues?: number }
  | { ok: false; issues: GraphIssue[]; workflow?: Workflow; omittedIssues?: number };

/** The document's outline; each node is then checked on its own so one bad node never hides another's problems. */
export const OutlineSchema = WorkflowSchema.extend({ nodes: z.record(z.string(), z.unknown()) });
export type Outline = z.infer<typeof OutlineSchema>;

/** Parses the outline (everything but the nodes' contents), or says what is wrong with the document. */
export function parseOutline(migrated: unknown): { ok: true; outline: Outline } | { ok: false; issues: GraphIssue[] } {
  const outline = OutlineSchema.safeParse(migrated);
  return outline.success ? { ok: true, outline: outline.data } : { ok: false, issues: documentIssues(migrated, outline.error) };
}

export function validationResult(workflow: Workflow, issues: GraphIssue[]): ValidationResult {
  for (const i of issues) if (i.severity !== 'warning') return { ok: false, issues, workflow };
  return { ok: true, workflow, issues };
}

function documentIssues(doc: unknown, error: z.ZodError): GraphIssue[] {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return [{ code: ErrorCode.invalidDocument, message: 'A workflow must be a JSON object' }];
  }
  const d = doc as Record<string, unknown>;
  if (d.format !== WORKFLOW_FORMAT) {
    return [
      { code: ErrorCode.invalidDocument, field: 'format', message: `Not a Kinegraph workflow: "format" must be "${WORKFLOW_FORMAT}"` },
    ];
  }
  if (typeof d.version === 'number' && d.version > WORKFLOW_VERSION) {
    return [
      {
        code: ErrorCode.unsupportedVersion,
        field: 'version',
        message: `This workflow was saved by a newer Kinegraph (format version ${d.version}; this one reads up to ${WORKFLOW_VERSION})`,
      },
    ];
  }
  return error.issues.map((i) => ({ code: ErrorCode.invalidDocument, field: pathText(i.path), message: i.message }));
}

/**
 * An empty record in V8's dictionary mode. A record of a thousand nodes built key by key from `{}` can
 * otherwise stay in "fast" mode (when another object took the same keys in the same order before, as a
 * workflow's own nodes record did), and then every added key copies the property store: about 6x slower.
 */
export function dictionaryRecord<T>(): Record<string, T> {
  const o: Record<string, unknown> = { a: 0, b: 0 };
  delete o.a; // deleting a property other than the last one switches the object to dictionary mode
  delete o.b;
  return o as Record<string, T>;
}
