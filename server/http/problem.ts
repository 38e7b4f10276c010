/** RFC 9457 problem details: every error a client can cause is answered with one of these. */
import type { ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { Problem } from '../../shared/schemas.js';
import { type IngestError, InvalidInputError, InvalidSignatureError, invalidInput, MalformedJsonError } from '../ingest/errors.js';

export type ProblemSlug =
  | 'invalid-signature'
  | 'malformed-json'
  | 'invalid-body'
  | 'body-too-large'
  | 'unsupported-media-type'
  | 'store-unavailable'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'conflict'
  | 'too-many-requests'
  | 'internal-error';

const TITLES: Record<ProblemSlug, string> = {
  'invalid-signature': 'Webhook signature missing, invalid or stale',
  'malformed-json': 'Malformed JSON',
  'invalid-body': 'Request body does not match the schema',
  'body-too-large': 'Request body too large',
  'unsupported-media-type': 'Unsupported media type',
  'store-unavailable': 'Response store unavailable',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  'not-found': 'Not found',
  'method-not-allowed': 'Method not allowed',
  conflict: 'Conflict',
  'too-many-requests': 'Too many requests',
  'internal-error': 'Internal server error',
};

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: ProblemSlug,
    readonly detail?: string,
    readonly extra: Partial<Problem> & { headers?: Record<string, string> } = {},
  ) {
    super(detail ?? TITLES[slug]);
    this.name = 'HttpProblem';
  }

  toJSON(instance?: string): Problem {
    const { headers: _headers, ...extra } = this.extra;
    return {
      type: `urn:survey-live:problem:${this.slug}`,
      title: TITLES[this.slug],
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(instance ? { instance } : {}),
      ...extra,
    };
  }
}

/** Writes a problem on a plain node response (Express's res is one too). */
export function sendProblem(res: ServerResponse, problem: HttpProblem, instance?: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(problem.toJSON(instance));
  res.statusCode = problem.status;
  for (const [name, value] of Object.entries(problem.extra.headers ?? {})) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/problem+json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** A refusal of ingest as its answer: 401 for a signature, 400 for JSON or a body the schema or survey refuses. */
export function problemFromIngest(error: IngestError): HttpProblem {
  if (error instanceof InvalidSignatureError) return new HttpProblem(401, 'invalid-signature', error.message);
  if (error instanceof MalformedJsonError) return new HttpProblem(400, 'malformed-json', error.message);
  const errors = error instanceof InvalidInputError ? error.errors : undefined;
  return new HttpProblem(400, 'invalid-body', error.message, errors ? { errors } : {});
}

/** A zod failure as a 400 naming every wrong field. */
export function invalidBody(error: z.ZodError, what = 'body'): HttpProblem {
  return problemFromIngest(invalidInput(error, what));
}
