/**
 * POST /api/v1/webhooks/typeform against a real server and Redis: Typeform's documented
 * form_response with answers of every type, its Typeform-Signature (per-source secret, else
 * TYPEFORM_SECRET), and deduplication by event_id and response token for longer than Typeform's
 * 10 hours of retries.
 */
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../server/config.js';
import type { Answer } from '../../../../shared/schemas.js';
import { deleteKeys, redisUrl, sampleSurvey, startTestApp, type TestApp, testConfig, testPrefix } from '../../../support/harness.js';
import { expectProblem, readStats, readTexts } from '../../http/http-assertions.js';
import { expectStatus, listUnmatched, postTypeform, typeformExample, typeformSignature } from './platform-helpers.js';

const TYPEFORM_SECRET = 'typeform-default-secret-0123456789';
const FORM_SECRET = 'a-secret-of-this-form-only-9876543210';
const prefix = testPrefix();

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis', prefix, env: { TYPEFORM_SECRET } });
});
afterAll(async () => {
  await t.close();
  // The prefix is given (to read a key's TTL), so the harness leaves its keys to this file.
  await deleteKeys(redisUrl(), prefix);
});

/** A Typeform-style form id of this test's own. */
const newFormId = () => `tf${randomBytes(5).toString('hex')}`;

/** A survey fed by one Typeform form: the long text is a text question, the scale and rating make the index. */
async function typeformSurvey(source: Record<string, unknown> = {}) {
  const formId = newFormId();
  const survey = {
    ...sampleSurvey(),
    textQuestions: ['readable_ref_long_text'],
    indexes: [{ id: 'safety', name: 'Trygghet', questions: ['readable_ref_opinion_scale', 'readable_ref_rating'], scale: [1, 5] as [number, number] }],
    sources: [{ platform: 'typeform' as const, externalId: formId, areaFrom: 'omrade', channelFrom: 'kanal', ...source }],
  };
  await t.putSurvey(survey);
  return { ...survey, formId };
}

describe("Typeform's documented form_response", () => {
  it('translates answers of every type, refs from definition.fields, keeping no payment details', async () => {
    const formId = newFormId();
    const payload = typeformExample(formId, { hidden: { omrade: 'norr', kanal: 'web' } });
    await expectStatus(await postTypeform(t, payload, { secret: TYPEFORM_SECRET }), 202, { status: 'unmatched' });

    const kept = (await listUnmatched(t)).find((response) => response.data.responseId === payload.form_response.token);
    expect(kept?.data.surveyId).toBe(`typeform.${formId}`);
    expect(kept?.data.submittedAt).toBe('2026-03-02T18:17:02.000Z');
    const answers = Object.fromEntries((kept?.data.answers ?? []).map((answer: Answer) => [answer.questionId, answer]));
    expect(answers).toEqual({
      // Redacted before it is kept anywhere.
      readable_ref_long_text: { questionId: 'readable_ref_long_text', text: 'Det är kallt nu, ring mig på [telefonnummer]!' },
      readable_ref_email: { questionId: 'readable_ref_email', text: expect.not.stringContaining('laura@example.com') },
      // A first name alone is a name: redacted since issue 13.
      readable_ref_short_text: { questionId: 'readable_ref_short_text', text: '[namn]' },
      readable_ref_date: { questionId: 'readable_ref_date', text: '2005-10-15' },
      readable_ref_picture_choice: { questionId: 'readable_ref_picture_choice', text: 'London, Sydney' },
      readable_ref_opinion_scale: { questionId: 'readable_ref_opinion_scale', value: 4 },
      readable_ref_rating: { questionId: 'readable_ref_rating', value: 2 },
      readable_ref_multiple_choice: { questionId: 'readable_ref_multiple_choice', text: 'Barcelona' },
      readable_ref_yes_no: { questionId: 'readable_ref_yes_no', value: 1 },
      readable_ref_website: { questionId: 'readable_ref_website', text: 'https://example.com' },
      readable_ref_phone: { questionId: 'readable_ref_phone', text: expect.not.stringContaining('701234567') },
      readable_ref_file: { questionId: 'readable_ref_file', text: expect.stringMatching(/^https:\/\/api\.typeform\.com\/.*file\.jpg$/) },
      readable_ref_rooms: { questionId: 'readable_ref_rooms', text: 'Kök, Tvättstuga, Förråd' },
      readable_ref_payment: { questionId: 'readable_ref_payment', text: '4.50', value: 4.5 },
      NoRefField01: { questionId: 'NoRefField01', text: 'Nej tack' },
    });
    expect(JSON.stringify(kept)).not.toMatch(/4242|Laura Example/);
  });

  it('counts a response for the survey that names the form: hidden fields give area and channel, refs give questions', async () => {
    const survey = await typeformSurvey();
    await expectStatus(
      await postTypeform(t, typeformExample(survey.formId, { hidden: { omrade: 'Södra området', kanal: 'Telefon' } }), { secret: TYPEFORM_SECRET }),
      200,
      {
        status: 'accepted',
      },
    );
    const stats = await readStats(t, survey.id);
    expect(stats.responses).toBe(1);
    expect(stats.areas.find((area) => area.id === 'soder')?.responses).toBe(1);
    expect(stats.channels).toEqual({ telefon: 1 });
    // 4 and 2 on 1..5: (75 + 25) / 2.
    expect(stats.indexes.safety).toEqual({ value: 50, n: 1 });
    expect((await readTexts(t, survey.id)).map((text) => text.text)).toEqual(['Det är kallt nu, ring mig på [telefonnummer]!']);
    expect(stats.timeline).toEqual([{ t: '2026-03-02T18:00:00.000Z', responses: 1 }]);
  });

  it('answers 200 "ignored" to a signed event that is not a form_response', async () => {
    const body = { event_id: 'LtWXD3crgy', event_type: 'form_response_partial', form_response: { form_id: newFormId(), token: 'abc' } };
    await expectStatus(await postTypeform(t, body, { secret: TYPEFORM_SECRET }), 200, { status: 'ignored' });
  });
});

describe('Typeform-Signature', () => {
  it('refuses a request without a signature, with a wrong one, or signed under another secret; counts none of them', async () => {
    const survey = await typeformSurvey();
    const payload = typeformExample(survey.formId);
    const body = JSON.stringify(payload);
    await expectProblem(await postTypeform(t, body, { secret: null }), 401, 'invalid-signature', /Typeform-Signature/);
    await expectProblem(
      await postTypeform(t, body, { secret: null, signature: typeformSignature(body, 'not-the-secret-at-all-000') }),
      401,
      'invalid-signature',
    );
    await expectProblem(await postTypeform(t, body, { secret: null, signature: typeformSignature(`${body} `, TYPEFORM_SECRET) }), 401, 'invalid-signature');
    await expectProblem(await postTypeform(t, body, { secret: null, signature: 'sha1=abc' }), 401, 'invalid-signature');
    expect((await readStats(t, survey.id)).responses).toBe(0);
  });

  it("verifies with the source's own secret when it has one, and then not with TYPEFORM_SECRET", async () => {
    const survey = await typeformSurvey({ secret: FORM_SECRET });
    const payload = typeformExample(survey.formId);
    await expectProblem(await postTypeform(t, payload, { secret: TYPEFORM_SECRET }), 401, 'invalid-signature', /source's secret/);
    await expectStatus(await postTypeform(t, payload, { secret: FORM_SECRET }), 200, { status: 'accepted' });
    expect((await readStats(t, survey.id)).responses).toBe(1);
  });

  it('reports a malformed body only once it is signed', async () => {
    await expectProblem(
      await postTypeform(t, '{"event_id": ', { secret: null, signature: typeformSignature('{"event_id": ', 'guess') }),
      401,
      'invalid-signature',
    );
    await expectProblem(await postTypeform(t, '{"event_id": ', { secret: TYPEFORM_SECRET }), 400, 'malformed-json');
    const incomplete = { event_id: 'x1', event_type: 'form_response', form_response: { form_id: newFormId() } };
    await expectProblem(await postTypeform(t, incomplete, { secret: TYPEFORM_SECRET }), 400, 'invalid-body', /form_response\.token/);
  });

  it('validates TYPEFORM_SECRET at startup', () => {
    expect(() => testConfig({ TYPEFORM_SECRET: 'short' })).toThrow(ConfigError);
    expect(testConfig({ TYPEFORM_SECRET }).typeformSecret).toBe(TYPEFORM_SECRET);
  });
});

describe('deduplication', () => {
  it('answers a redelivered event and another event for the same response token with "duplicate", counting once', async () => {
    const survey = await typeformSurvey();
    const payload = typeformExample(survey.formId);
    await expectStatus(await postTypeform(t, payload, { secret: TYPEFORM_SECRET }), 200, { status: 'accepted' });
    await expectStatus(await postTypeform(t, payload, { secret: TYPEFORM_SECRET }), 200, { status: 'duplicate' });
    const sameToken = typeformExample(survey.formId, { token: payload.form_response.token });
    expect(sameToken.event_id).not.toBe(payload.event_id);
    await expectStatus(await postTypeform(t, sameToken, { secret: TYPEFORM_SECRET }), 200, { status: 'duplicate' });
    expect((await readStats(t, survey.id)).responses).toBe(1);

    // Typeform retries for up to 10 hours: the event's key lives longer than that.
    const redis = createClient({ url: redisUrl() });
    await redis.connect();
    try {
      const ttlMs = await redis.pTTL(`${prefix}delivery:typeform:${payload.event_id}`);
      expect(ttlMs).toBeGreaterThan(10 * 3_600_000);
    } finally {
      await redis.quit();
    }
  });
});
