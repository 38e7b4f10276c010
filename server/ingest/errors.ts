/**
 * Why ingest refuses a delivery, in its own words: the HTTP edge (server/http/problem.ts) turns
 * each into its problem+json answer, so ingest can be tested and reused without HTTP.
 */
import type { z } from 'zod';

/** One wrong field: its path in the body ("data.answers.0.value") and what is wrong with it. */
export interface FieldError {
  path: string;
  message: string;
}

/** Every refusal ingest makes; nothing was counted. */
export abstract class IngestError extends Error {}

/** The signature is missing, wrong or outside the tolerance (401). */
export class InvalidSignatureError extends IngestError {
  override readonly name = 'InvalidSignatureError';
}

/** The body is not JSON at all (400). */
export class MalformedJsonError extends IngestError {
  override readonly name = 'MalformedJsonError';
}

/** The body is JSON but not what the sender's schema (or the survey) allows (400, naming each field). */
export class InvalidInputError extends IngestError {
  override readonly name = 'InvalidInputError';

  constructor(
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
  }
}

/** A zod failure as an InvalidInputError naming every wrong field (the first five in its message). */
export function invalidInput(error: z.ZodError, what = 'body'): InvalidInputError {
  const errors = error.issues.map((issue) => ({ path: issue.path.length ? issue.path.join('.') : what, message: issue.message }));
  const message = errors
    .slice(0, 5)
    .map((e) => `${e.path}: ${e.message}`)
    .join('; ');
  return new InvalidInputError(message, errors);
}
