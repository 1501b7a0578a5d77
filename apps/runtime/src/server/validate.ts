import type { z } from 'zod';
import { HttpError } from './http-error.js';

/** Parses a request part with its protocol schema; a 400 with every problem otherwise. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ code: 'bad_request', message: i.message, field: i.path.join('.') || undefined }));
  throw new HttpError(
    400,
    'bad_request',
    `Invalid ${what}: ${issues.map((i) => (i.field ? `${i.field}: ` : '') + i.message).join('; ')}`,
    issues,
  );
}
