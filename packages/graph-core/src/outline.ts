import { z } from 'zod';
import { ErrorCode, type GraphIssue } from './errors.js';
import { pathText } from './node-checks.js';
import { WORKFLOW_FORMAT, WORKFLOW_VERSION, WorkflowSchema, type Workflow } from './workflow-schema.js';

export type ValidationResult =
  | { ok: true; workflow: Workflow; issues: GraphIssue[] }
  | { ok: false; issues: GraphIssue[]; workflow?: Workflow };

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
    return [{ code: ErrorCode.invalidDocument, field: 'format', message: `Not a Kinegraph workflow: "format" must be "${WORKFLOW_FORMAT}"` }];
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

