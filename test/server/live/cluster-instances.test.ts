/**
 * Two instances on a real 3-master Redis Cluster (started once for this file; same key prefix,
 * the sharded Socket.IO adapter), as behind a load balancer: a webhook received by A reaches a
 * widget on B, surveys whose keys and rooms live on different shards included, a response sent
 * to both is counted once, and a master's crash shows as a store outage (last: it stays down).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, response, sampleSurvey } from '../../support/harness.js';
import { type PrivateCluster, startRedisCluster } from '../../support/redis-cluster.js';
import { connected, nextStats, nextText, sendEachToBoth, subscribeOk, twoInstances } from './live-helpers.js';

let cluster: PrivateCluster | undefined;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 120_000);
// Registered after the cluster's hooks: the instances start after it and stop before it.
afterAll(() => cluster?.stop());
const apps = twoInstances({
  redis: () => {
    if (!cluster) throw new Error('the Redis Cluster did not start');
    return cluster.url;
  },
});

/** Defines a survey on A; its PUT answers once B shows it too. */
async function surveyOnBoth() {
  const survey = sampleSurvey();
  await apps.a.putSurvey(survey);
  expect((await apps.b.admin('GET', `/api/v1/surveys/${survey.id}`)).status).toBe(200);
  return survey;
}

it('pushes survey:stats and text:created to widgets on B for webhooks received by A, on every shard', async () => {
  // Six surveys: their keys ({surveyId}) and their rooms' sharded channels spread over the three masters.
  const surveys = await Promise.all(Array.from({ length: 6 }, () => surveyOnBoth()));
  await Promise.all(
    surveys.map(async (survey) => {
      const token = (await apps.b.app.tokens.mint(survey.id, ['stats', 'text'], 600)).token;
      const socket = apps.b.connectLive();
      await connected(socket, 15_000);
      const { snapshot } = await subscribeOk(socket, { surveyId: survey.id, token, texts: true });
      expect(snapshot.responses).toBe(0);

      // Generous deadlines: six widgets and a cluster on a busy 2-core machine.
      const stats = nextStats(socket, survey.id, (s) => s.responses === 1, 15_000);
      const text = nextText(socket, (t) => t.surveyId === survey.id, 15_000);
      const res = await apps.a.sendResponse(response(survey.id, { areaId: 'soder', answers: [{ questionId: 'comment', text: 'Tvättstugan är alltid full' }] }));
      expect(res.status).toBe(200);
      expect((await stats).areas.find((area) => area.id === 'soder')?.responses).toBe(1);
      expect(await text).toMatchObject({ surveyId: survey.id, areaId: 'soder', questionId: 'comment', text: 'Tvättstugan är alltid full' });
    }),
  );
});

it('counts a response once when it reaches A and B at the same time', async () => {
  const survey = await surveyOnBoth();
  const rounds = 10;
  await sendEachToBoth(apps, survey.id, rounds);
  const counts = await eventually(async () => {
    const current = await apps.b.store.getCounts(survey.id);
    return current.responses === rounds ? current : undefined;
  }, `${rounds} responses counted`);
  expect(counts.responses).toBe(rounds);
});

it('reports the store unreachable on /readyz and to widgets when one master crashes', async () => {
  const survey = await surveyOnBoth();
  const token = (await apps.b.app.tokens.mint(survey.id, ['stats'], 600)).token;
  const socket = apps.b.connectLive();
  const statuses: string[] = [];
  socket.on('server:status', ({ store }) => statuses.push(store));
  await connected(socket, 15_000);
  await subscribeOk(socket, { surveyId: survey.id, token });

  await cluster?.kill(cluster.ports[0] as number);
  // The health check pings every master: one away is an outage, as the cluster itself treats it.
  await eventually(async () => (await fetch(`${apps.a.url}/readyz`)).status === 503, '/readyz 503 on A', 30_000);
  await eventually(() => statuses.includes('unavailable'), 'server:status unavailable on the widget on B', 30_000);
});
