/** Assertions and readers shared by the HTTP-surface tests (ingest, http, auth). */
import { request } from 'node:http';
import { expect } from 'vitest';
import type { Problem, SurveySnapshot, TextAnswer } from '../../../shared/schemas.js';
import type { TestApp } from '../../support/harness.js';

/**
 * Asserts an RFC 9457 answer: status, media type, and the problem's type, title and status;
 * `detail` (when given) must match. Returns the problem for further checks.
 */
export async function expectProblem(res: Response, status: number, slug: string, detail?: RegExp): Promise<Problem> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json\b/);
  const problem = JSON.parse(text) as Problem;
  expect(problem).toMatchObject({ type: `urn:survey-live:problem:${slug}`, status });
  expect(problem.title).toEqual(expect.stringMatching(/\S/));
  expect(problem.detail).toEqual(expect.stringMatching(/\S/));
  if (detail) expect(problem.detail).toMatch(detail);
  return problem;
}

/** Reads GET /stats with a read token minted by the app itself. */
export async function readStats(t: TestApp, surveyId: string): Promise<SurveySnapshot> {
  const { token } = await t.app.tokens.mint(surveyId, ['stats'], 60);
  const res = await fetch(`${t.url}/api/v1/surveys/${surveyId}/stats`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as SurveySnapshot;
}

/** Reads GET /texts with a read token minted by the app itself. */
export async function readTexts(t: TestApp, surveyId: string): Promise<TextAnswer[]> {
  const { token } = await t.app.tokens.mint(surveyId, ['stats', 'text'], 60);
  const res = await fetch(`${t.url}/api/v1/surveys/${surveyId}/texts`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { texts: TextAnswer[] }).texts;
}

/** The counted part of a snapshot: what a refused request must leave unchanged (time buckets and the pace shift with the clock). */
export function countsOf(snapshot: SurveySnapshot) {
  const { responses, channels, indexes, distributed, late } = snapshot;
  const areas = snapshot.areas.map(({ pace: _pace, ...area }) => area);
  return { responses, areas, channels, indexes, distributed, late, onTimeline: snapshot.timeline.reduce((sum, bucket) => sum + bucket.responses, 0) };
}

/**
 * POSTs with node:http so the framing is explicit: `Content-Length` for one buffer, or
 * `Transfer-Encoding: chunked` when `chunked` is set (the body then goes out in 512-byte writes).
 * The answer comes back as a fetch Response, for the same assertions as fetch's.
 */
export function rawPost(url: string, headers: Record<string, string>, body: string, { chunked = false } = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: chunked ? { ...headers, 'Transfer-Encoding': 'chunked' } : headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        const answerHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) answerHeaders.set(name, String(value));
        resolve(new Response(text, { status: res.statusCode ?? 0, headers: answerHeaders }));
      });
      res.on('error', reject);
    });
    // The server may answer 413 and stop reading before the whole body is out: that is the point.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    if (chunked) {
      for (let i = 0; i < body.length; i += 512) req.write(body.slice(i, i + 512));
      req.end();
    } else {
      req.setHeader('Content-Length', Buffer.byteLength(body));
      req.end(body);
    }
  });
}
