/** RFC 9457 problem details: every error a client can cause is answered with one of these. */
import type { ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { Problem } from '../../shared/schemas.js';

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

/** A zod failure as a 400 naming every wrong field. */
export function invalidBody(error: z.ZodError, what = 'body'): HttpProblem {
  const errors = error.issues.map((issue) => ({ path: issue.path.length ? issue.path.join('.') : what, message: issue.message }));
  const detail = errors
    .slice(0, 5)
    .map((e) => `${e.path}: ${e.message}`)
    .join('; ');
  return new HttpProblem(400, 'invalid-body', detail, { errors });
}
