/**
 * The `sources` of a survey definition: validated, one platform id per survey (409 for a second
 * claim), and their secrets never in what widgets and read-token holders get.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LIVE_NAMESPACE } from '../../../../shared/events.js';
import { sampleSurvey, startTestApp, type TestApp } from '../../../support/harness.js';
import { expectProblem } from '../../http/http-assertions.js';
import { cuid } from './platform-helpers.js';

const SECRET = 'form-secret-never-shown-0123456789';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ store: 'redis' });
});
afterAll(() => t.close());

it('refuses a second survey claiming a platform id with 409, and lets the owner keep it', async () => {
  const formId = cuid();
  const owner = { ...sampleSurvey(), sources: [{ platform: 'typeform' as const, externalId: formId, secret: SECRET }] };
  expect((await t.admin('PUT', `/api/v1/surveys/${owner.id}`, owner)).status).toBe(201);
  expect((await t.admin('PUT', `/api/v1/surveys/${owner.id}`, { ...owner, name: 'Omdöpt' })).status).toBe(200);

  const other = {
    ...sampleSurvey(),
    sources: [
      { platform: 'formbricks' as const, externalId: cuid() },
      { platform: 'typeform' as const, externalId: formId },
    ],
  };
  await expectProblem(
    await t.admin('PUT', `/api/v1/surveys/${other.id}`, other),
    409,
    'conflict',
    new RegExp(`typeform survey "${formId}" already belongs to survey "${owner.id}"`),
  );
  expect((await t.admin('GET', `/api/v1/surveys/${other.id}`)).status).toBe(404);
  // The same id on another platform is another survey's.
  const elsewhere = { ...sampleSurvey(), sources: [{ platform: 'formbricks' as const, externalId: formId }] };
  expect((await t.admin('PUT', `/api/v1/surveys/${elsewhere.id}`, elsewhere)).status).toBe(201);
  // Once the owner lets go, the id is free.
  expect((await t.admin('PUT', `/api/v1/surveys/${owner.id}`, { ...owner, sources: [] })).status).toBe(200);
  expect((await t.admin('PUT', `/api/v1/surveys/${other.id}`, other)).status).toBe(201);
});

it('validates sources: platform, id, duplicates, and no per-source secret for Formbricks', async () => {
  const put = (sources: unknown[]) => {
    const survey = sampleSurvey();
    return t.admin('PUT', `/api/v1/surveys/${survey.id}`, { ...survey, sources });
  };
  await expectProblem(await put([{ platform: 'surveymonkey', externalId: 'x' }]), 400, 'invalid-body', /sources\.0\.platform/);
  await expectProblem(await put([{ platform: 'typeform', externalId: 'has spaces' }]), 400, 'invalid-body', /sources\.0\.externalId/);
  await expectProblem(await put([{ platform: 'typeform', externalId: 'abc', secret: 'short' }]), 400, 'invalid-body', /sources\.0\.secret/);
  await expectProblem(await put([{ platform: 'formbricks', externalId: 'abc', secret: SECRET }]), 400, 'invalid-body', /WEBHOOK_SECRETS/);
  await expectProblem(await put([{ platform: 'typeform', externalId: 'abc', countWhen: 'sometimes' }]), 400, 'invalid-body', /countWhen/);
  const twice = { platform: 'typeform', externalId: 'abc' };
  await expectProblem(await put([twice, twice]), 400, 'invalid-body', /duplicate source/);
});

it('shows sources and their secrets to admins only: never in stats, over the socket or without the admin token', async () => {
  const survey = { ...sampleSurvey(), sources: [{ platform: 'typeform' as const, externalId: cuid(), secret: SECRET }] };
  await t.putSurvey(survey);
  const asAdmin = await (await t.admin('GET', `/api/v1/surveys/${survey.id}`)).json();
  expect(asAdmin.sources[0].secret).toBe(SECRET);
  await expectProblem(await fetch(`${t.url}/api/v1/surveys/${survey.id}`), 401, 'unauthorized');

  const { token } = await t.app.tokens.mint(survey.id, ['stats', 'text'], 60);
  const stats = await (await fetch(`${t.url}/api/v1/surveys/${survey.id}/stats`, { headers: { Authorization: `Bearer ${token}` } })).text();
  expect(stats).toContain(survey.id);
  expect(stats).not.toContain(SECRET);
  expect(stats).not.toContain('sources');

  const socket = io(`${t.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], forceNew: true });
  try {
    const ack = await socket.timeout(5000).emitWithAck('survey:subscribe', { surveyId: survey.id, token, texts: true });
    expect(ack.ok).toBe(true);
    expect(JSON.stringify(ack)).not.toContain(SECRET);
  } finally {
    socket.close();
  }
});
