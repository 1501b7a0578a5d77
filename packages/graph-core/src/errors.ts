import { z } from 'zod';

/** Every problem code the engine can report, in one place. The CLI, API and editor show the same. */
export const ErrorCode = {
  invalidDocument: 'invalid_document',
  unsupportedVersion: 'unsupported_version',
  unknownNodeType: 'unknown_node_type',
  missingInput: 'missing_input',
  unknownInput: 'unknown_input',
  linkToMissingNode: 'link_to_missing_node',
  linkToMissingOutput: 'link_to_missing_output',
  typeMismatch: 'type_mismatch',
  invalidParam: 'invalid_param',
  unknownParam: 'unknown_param',
  cycle: 'cycle',
  noOutputs: 'no_outputs',
  unknownTarget: 'unknown_target',
  nodeFailed: 'node_failed',
  /** A value of the wrong socket type reached a node's input (or left its output). */
  wrongType: 'wrong_type',
  interrupted: 'interrupted',
  /** The document is nested too deep, too big or too long somewhere (see DOCUMENT_LIMITS). */
  limitExceeded: 'limit_exceeded',
} as const;
export type ErrorCodeName = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One problem, tied to a node and a field where it has one: the one schema events, the API and the editor use. */
export const IssueSchema = z.object({
  code: z.enum(Object.values(ErrorCode) as [ErrorCodeName, ...ErrorCodeName[]]),
  message: z.string(),
  nodeId: z.string().optional(),
  field: z.string().optional(),
  severity: z.enum(['error', 'warning']).optional(),
});
export type GraphIssue = z.infer<typeof IssueSchema>;

/** Whose fault an error is: the user's input, the environment, or a bug. */
export const ErrorLevelSchema = z.enum(['user', 'operational', 'unexpected']);
export type ErrorLevel = z.infer<typeof ErrorLevelSchema>;

/** An error a node throws when the user's input is wrong (bad file, bad size): shown without a stack. */
export class UserError extends Error {
  readonly level: ErrorLevel = 'user';
  constructor(
    message: string,
    readonly field?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** The environment failed (missing binary, out of memory, disk full). */
export class OperationalError extends Error {
  readonly level: ErrorLevel = 'operational';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OperationalError';
  }
}

export class AbortError extends Error {
  constructor(message = 'Run interrupted') {
    super(message);
    this.name = 'AbortError';
  }
}

/** One line per problem, `nodeId.field: message` (or `field: message` for the document itself): the form the CLI, the API and the editor share. */
export function formatIssue(issue: GraphIssue): string {
  const place = issue.nodeId ? `${issue.nodeId}${issue.field ? '.' + issue.field : ''}` : (issue.field ?? '');
  const tag = issue.severity === 'warning' ? 'warning: ' : '';
  return `${tag}${place ? place + ': ' : ''}${issue.message}`;
}

export class ValidationError extends Error {
  constructor(readonly issues: GraphIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ValidationError';
  }
}
