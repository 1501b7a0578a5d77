import { z } from 'zod';
import { ErrorLevelSchema, IssueSchema as GraphIssueSchema } from '@kinegraph/graph-core';
import { LimitInfoSchema } from './limits.js';

/**
 * One problem, tied to a node and field where it has one: graph-core's issue schema as the API sends it
 * (with the error level where a node failed). The code stays an open string here, so an editor older than
 * the server still reads a code it does not know.
 */
export const IssueSchema = GraphIssueSchema.extend({ code: z.string(), level: ErrorLevelSchema.optional() }).loose();
export type Issue = z.infer<typeof IssueSchema>;

/** Every error code the HTTP API answers with (besides graph-core's issue codes inside `issues`); HttpError takes only these. */
export const ApiErrorCode = {
  badRequest: 'bad_request',
  validationFailed: 'validation_failed',
  notFound: 'not_found',
  unauthorized: 'unauthorized',
  forbiddenOrigin: 'forbidden_origin',
  /** The Host header names no address this server answers on (DNS rebinding). */
  forbiddenHost: 'forbidden_host',
  payloadTooLarge: 'payload_too_large',
  unsupportedType: 'unsupported_type',
  imageTooLarge: 'image_too_large',
  badPath: 'bad_path',
  /** The file carries no Kinegraph workflow. */
  noWorkflow: 'no_workflow',
  tooManyUploads: 'too_many_uploads',
  limitExceeded: 'limit_exceeded',
  queueFull: 'queue_full',
  shuttingDown: 'shutting_down',
  storageFailed: 'storage_failed',
  internal: 'internal',
} as const;
export type ApiErrorCodeName = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];

/** The body of every non-2xx JSON answer. */
export const ApiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(IssueSchema).optional(),
    /** Problems found beyond those listed in `issues` (at most 100 are listed). */
    omittedIssues: z.number().int().optional(),
    /** The limit a request went past (413, 429). */
    limit: LimitInfoSchema.optional(),
  }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;
