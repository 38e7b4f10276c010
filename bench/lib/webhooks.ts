/**
 * What the bench sends: a tenant-survey definition and realistic signed webhooks for it
 * (~600 bytes: twelve scale answers, area, channel, a free-text comment on every third one).
 * Every webhook has its own responseId and webhook-id, so the store really counts each one.
 */
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { webhookSigner } from '../../server/ingest/signature.js';
import type { SurveyInput } from '../../shared/schemas.js';

export const BENCH_SECRET = 'whsec_YmVuY2gtc2VjcmV0LWZvci1zdXJ2ZXktbGl2ZQ==';
export const WEBHOOK_PATH = '/api/v1/webhooks/responses';

const AREAS = ['norr', 'soder', 'oster', 'vaster', 'centrum', 'hamnen'];
const CHANNELS = ['door', 'phone', 'mail', 'web', 'paper'];
const COMMENTS = [
  'Trappuppgången städas för sällan, särskilt på vintern när det är blött och grusigt.',
  'Bra service när jag ringde om tvättstugan. Ring mig gärna på 070-123 45 67 om ni undrar något.',
  'Belysningen vid cykelförrådet är trasig sedan en månad, det känns otryggt att gå dit på kvällen.',
  'Nöjd med lägenheten men ventilationen i badrummet fungerar dåligt och det blir fuktigt.',
];

export function benchSurvey(id: string): SurveyInput & { id: string } {
  return {
    id,
    name: `Hyresgästenkät (bench ${id})`,
    target: 0.6,
    areas: AREAS.map((area, i) => ({ id: area, name: `Område ${area}`, distributed: 2000 + i * 250 })),
    textQuestions: ['comment'],
    indexes: [
      { id: 'safety', name: 'Trygghet', questions: ['q1', 'q2', 'q3'], scale: [1, 5] },
      { id: 'cleaning', name: 'Städning', questions: ['q4', 'q5', 'q6'], scale: [1, 5] },
      { id: 'service', name: 'Service', questions: ['q7', 'q8', 'q9', 'q10'], scale: [1, 5] },
    ],
  };
}

/** 8 hex digits naming one run of requests: with n, it makes every responseId unique. */
export const newRunId = () => randomUUID().slice(0, 8);

/** The JSON body of the n-th response of a run; deterministic so every target gets the same bytes. */
export function responseBody(surveyId: string, runId: string, n: number, now = new Date()): string {
  const answers: { questionId: string; value?: number; text?: string }[] = [];
  for (let q = 1; q <= 12; q++) answers.push({ questionId: `q${q}`, value: 1 + ((n * 7 + q * 3) % 5) });
  if (n % 3 === 0) answers.push({ questionId: 'comment', text: COMMENTS[n % COMMENTS.length] as string });
  return JSON.stringify({
    type: 'response.created',
    timestamp: now.toISOString(),
    data: {
      // UUID-shaped, as survey tools send them; unique per run and n.
      responseId: `${runId}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
      surveyId,
      // One in twenty comes without an area: counted as "unassigned".
      ...(n % 20 === 19 ? {} : { areaId: AREAS[n % AREAS.length] }),
      channel: CHANNELS[n % CHANNELS.length],
      submittedAt: new Date(now.getTime() - 60_000).toISOString(),
      answers,
    },
  });
}

/**
 * Signs the bench's webhooks with the app's one signer (server/ingest/signature.ts), which uses
 * node:crypto and decodes the key once: the load generator signs tens of thousands a second.
 */
export class WebhookSigner {
  private readonly sign: ReturnType<typeof webhookSigner>;

  constructor(private readonly secret = BENCH_SECRET) {
    this.sign = webhookSigner(secret);
    this.assertMatchesReference();
  }

  headers(id: string, body: string, now = Date.now()): Record<string, string> {
    return { 'content-type': 'application/json', ...this.sign(body, { id, timestamp: now }) };
  }

  /** A signer that disagreed with the reference implementation would bench the 401 path. */
  private assertMatchesReference(): void {
    const body = responseBody('check', 'check', 1);
    const headers = this.headers('msg_check', body);
    new Webhook(this.secret).verify(body, headers, { jsonParse: false });
  }
}

/** Mean body size over a cycle of the generator (bodies with and without a comment). */
export function meanBodyBytes(): number {
  let total = 0;
  for (let n = 1; n <= 60; n++) total += Buffer.byteLength(responseBody('bench-ingest', 'abcdef01', n));
  return Math.round(total / 60);
}
