/**
 * Platform deliveries as the platforms send them: Formbricks' body and Standard Webhooks
 * headers (signed with the standardwebhooks package), Typeform's documented form_response and
 * its Typeform-Signature header.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { UnmatchedResponse } from '../../../../server/store/response-store.js';
import { signedHeaders, TEST_SECRET, type TestApp } from '../../../support/harness.js';

export const FORMBRICKS_PATH = '/api/v1/webhooks/formbricks';
export const TYPEFORM_PATH = '/api/v1/webhooks/typeform';

/** A Formbricks-style id (cuid2: 25 lower-case letters and digits, starting with a letter). */
export const cuid = () => `c${randomBytes(16).toString('hex').slice(0, 24)}`;

export type FormbricksEvent = 'responseCreated' | 'responseUpdated' | 'responseFinished';

/**
 * A Formbricks response as its webhook sends it (TResponse plus the `survey` summary the sender
 * adds). Hidden fields are in `data` by their id, next to the answers.
 */
export function formbricksResponse(surveyId: string, overrides: Record<string, unknown> = {}) {
  const now = new Date().toISOString();
  return {
    id: cuid(),
    createdAt: now,
    updatedAt: now,
    surveyId,
    displayId: cuid(),
    contact: null,
    contactAttributes: null,
    finished: false,
    endingId: null,
    data: {},
    variables: {},
    ttc: { _total: 4200 },
    tags: [],
    meta: { source: 'link', url: 'https://app.formbricks.com/s/x', userAgent: { browser: 'Firefox', os: 'Linux', device: 'desktop' }, country: 'SE' },
    singleUseId: null,
    language: 'default',
    survey: { title: 'Hyresgästenkät', type: 'link', status: 'inProgress', createdAt: now, updatedAt: now },
    ...overrides,
  };
}

/** The body Formbricks POSTs: { webhookId, event, data }. */
export const formbricksBody = (event: string, response: object) => ({ webhookId: cuid(), event, data: response });

/** POSTs a Formbricks delivery signed the Standard Webhooks way; `secret: null` sends it unsigned. */
export async function postFormbricks(t: TestApp, body: unknown, { secret = TEST_SECRET as string | null } = {}): Promise<Response> {
  const text = JSON.stringify(body);
  const headers: Record<string, string> = secret
    ? signedHeaders(text, secret, { id: randomUUID() })
    : { 'Content-Type': 'application/json', 'webhook-id': randomUUID(), 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) };
  return fetch(`${t.url}${FORMBRICKS_PATH}`, { method: 'POST', headers, body: text });
}

/** `sha256=` and the base64 HMAC-SHA256 of the raw body, as Typeform signs. */
export const typeformSignature = (body: string, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;

/** POSTs a Typeform delivery; `secret: null` leaves the signature out, `signature` sends one as given. */
export function postTypeform(t: TestApp, body: unknown, options: { secret: string | null; signature?: string }): Promise<Response> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'Typeform Webhooks' };
  const signature = options.signature ?? (options.secret ? typeformSignature(text, options.secret) : undefined);
  if (signature) headers['Typeform-Signature'] = signature;
  return fetch(`${t.url}${TYPEFORM_PATH}`, { method: 'POST', headers, body: text });
}

/**
 * Typeform's documented example payload (developers/webhooks/example-payload), for one form:
 * the answers name their field by id only, so refs come from definition.fields.
 */
export function typeformExample(formId: string, overrides: { token?: string; eventId?: string; hidden?: Record<string, string> } = {}) {
  return {
    event_id: overrides.eventId ?? `01${randomBytes(12).toString('hex').toUpperCase()}`,
    event_type: 'form_response',
    form_response: {
      form_id: formId,
      token: overrides.token ?? randomBytes(16).toString('hex'),
      submitted_at: '2026-03-02T18:17:02Z',
      landed_at: '2026-03-02T18:07:02Z',
      calculated: { score: 9 },
      variables: [
        { key: 'score', type: 'number', number: 4 },
        { key: 'name', type: 'text', text: 'typeform' },
      ],
      hidden: overrides.hidden ?? { user_id: 'abc123456' },
      definition: {
        id: formId,
        title: 'Webhooks example',
        fields: [
          {
            id: 'DlXFaesGBpoF',
            title: "What's it like where you live?",
            type: 'long_text',
            ref: 'readable_ref_long_text',
            allow_multiple_selections: false,
            allow_other_choice: false,
          },
          {
            id: 'SMEUb7VJz92Q',
            title: 'Your email address',
            type: 'email',
            ref: 'readable_ref_email',
            allow_multiple_selections: false,
            allow_other_choice: false,
          },
          {
            id: 'JwWggjAKtOkA',
            title: 'What is your first name?',
            type: 'short_text',
            ref: 'readable_ref_short_text',
            allow_multiple_selections: false,
            allow_other_choice: false,
          },
          {
            id: 'KoJxDM3c6x8h',
            title: 'When did you move?',
            type: 'date',
            ref: 'readable_ref_date',
            allow_multiple_selections: false,
            allow_other_choice: false,
          },
          {
            id: 'PNe8ZKBK8C2Q',
            title: 'Which pictures do you like?',
            type: 'picture_choice',
            ref: 'readable_ref_picture_choice',
            allow_multiple_selections: true,
            allow_other_choice: false,
            choices: [
              { id: 'eXnU3oA141Cg', ref: '238d1802-9921-4687-a37b-5e50f56ece8e', label: 'London' },
              { id: 'aTZmZGYV6liX', ref: 'd867c542-1e72-4619-908f-aaae38cabb61', label: 'Sydney' },
            ],
          },
          {
            id: 'Q7M2XAwY04dW',
            title: 'On a scale of 1 to 5, how safe do you feel?',
            type: 'opinion_scale',
            ref: 'readable_ref_opinion_scale',
            allow_multiple_selections: false,
            allow_other_choice: false,
          },
          {
            id: 'gFFf3xAkJKsr',
            title: 'Rate the stairwell',
            type: 'rating',
            ref: 'readable_ref_rating',
            allow_multiple_selections: false,
            allow_other_choice: false,
          },
          {
            id: 'k6TP9oLGgHjl',
            title: 'Which city?',
            type: 'multiple_choice',
            ref: 'readable_ref_multiple_choice',
            allow_multiple_selections: false,
            allow_other_choice: true,
          },
          {
            id: 'RUqkXSeXBXSd',
            title: 'Do you have a pet?',
            type: 'yes_no',
            ref: 'readable_ref_yes_no',
            allow_multiple_selections: false,
            allow_other_choice: false,
          },
          {
            id: 'ohhcv8Rzn4TS',
            title: 'Your website',
            type: 'website',
            ref: 'readable_ref_website',
            allow_multiple_selections: false,
            allow_other_choice: false,
          },
          {
            id: 'uy9zxnl5Mcyx',
            title: 'Your phone',
            type: 'phone_number',
            ref: 'readable_ref_phone',
            allow_multiple_selections: false,
            allow_other_choice: false,
          },
          { id: 'xoHvGNkuFkLl', title: 'A photo', type: 'file_upload', ref: 'readable_ref_file', allow_multiple_selections: false, allow_other_choice: false },
          {
            id: 'ZV4QrP2DNWjL',
            title: 'Which rooms?',
            type: 'multiple_choice',
            ref: 'readable_ref_rooms',
            allow_multiple_selections: true,
            allow_other_choice: true,
          },
          { id: 'Vy1dyKXB1wP4', title: 'Donate', type: 'payment', ref: 'readable_ref_payment', allow_multiple_selections: false, allow_other_choice: false },
          // A field without a ref: its answer is named by the field id.
          { id: 'NoRefField01', title: 'Anything else?', type: 'short_text', allow_multiple_selections: false, allow_other_choice: false },
        ],
        endings: [{ id: 'dN5FLyFpCMFo', ref: '01GRC8GR2QFQ3ZEEQ8S6F5VBH4', title: 'Thanks!', type: 'thankyou_screen' }],
      },
      answers: [
        { type: 'text', text: 'Det är kallt nu, ring mig på 070-123 45 67!', field: { id: 'DlXFaesGBpoF', type: 'long_text' } },
        { type: 'email', email: 'laura@example.com', field: { id: 'SMEUb7VJz92Q', type: 'email' } },
        { type: 'text', text: 'Laura', field: { id: 'JwWggjAKtOkA', type: 'short_text' } },
        { type: 'date', date: '2005-10-15', field: { id: 'KoJxDM3c6x8h', type: 'date' } },
        { type: 'choices', choices: { labels: ['London', 'Sydney'] }, field: { id: 'PNe8ZKBK8C2Q', type: 'picture_choice' } },
        { type: 'number', number: 4, field: { id: 'Q7M2XAwY04dW', type: 'opinion_scale' } },
        // An answer whose field carries its own ref.
        { type: 'number', number: 2, field: { id: 'gFFf3xAkJKsr', type: 'rating', ref: 'readable_ref_rating' } },
        { type: 'choice', choice: { label: 'Barcelona' }, field: { id: 'k6TP9oLGgHjl', type: 'multiple_choice' } },
        { type: 'boolean', boolean: true, field: { id: 'RUqkXSeXBXSd', type: 'yes_no' } },
        { type: 'url', url: 'https://example.com', field: { id: 'ohhcv8Rzn4TS', type: 'website' } },
        { type: 'phone_number', phone_number: '+46701234567', field: { id: 'uy9zxnl5Mcyx', type: 'phone_number' } },
        {
          type: 'file_url',
          file_url: 'https://api.typeform.com/forms/lT9Z2j/responses/7f46165474d11ee5836777d85df2cdab/fields/X4BgU2f1K6tG/files/file.jpg',
          field: { id: 'xoHvGNkuFkLl', type: 'file_upload' },
        },
        { type: 'choices', choices: { labels: ['Kök', 'Tvättstuga'], other: 'Förråd' }, field: { id: 'ZV4QrP2DNWjL', type: 'multiple_choice' } },
        { type: 'payment', payment: { amount: '4.50', last4: '4242', name: 'Laura Example', success: true }, field: { id: 'Vy1dyKXB1wP4', type: 'payment' } },
        { type: 'text', text: 'Nej tack', field: { id: 'NoRefField01', type: 'short_text' } },
      ],
      ending: { id: 'dN5FLyFpCMFo', ref: '01GRC8GR2QFQ3ZEEQ8S6F5VBH4' },
    },
  };
}

export async function listUnmatched(t: TestApp): Promise<UnmatchedResponse[]> {
  const res = await t.admin('GET', '/api/v1/unmatched');
  expect(res.status).toBe(200);
  return ((await res.json()) as { responses: UnmatchedResponse[] }).responses;
}

/** Expects a JSON answer with this HTTP status and body. */
export async function expectStatus(res: Response, httpStatus: number, body: unknown): Promise<void> {
  const text = await res.text();
  expect(res.status, text).toBe(httpStatus);
  expect(JSON.parse(text)).toEqual(body);
}
