/**
 * What `WAIT 1` (the master answers once its replica has the write) would cost the store on a Redis
 * Cluster with a replica per master: without it, a response acknowledged just before a master's
 * crash can be lost in the failover (docs/operations.md, Redis Cluster). Records responses through
 * the real store, with and without a WAIT pipelined behind every record script call, in
 * alternating rounds on one private cluster (3 masters, 3 replicas), at two loads: 200 responses
 * per event-loop turn over 10 surveys (batches of 20) and 10 per turn (one per survey: each batch
 * waits a round trip). Run with `npx tsx bench/cluster-wait.ts` (needs redis-server); it prints
 * responses/s and the ratio of each pair.
 */
import { RedisStore } from '../server/store/redis-store.js';
import { startRedisCluster } from '../test/support/redis-cluster.js';

const SURVEYS = 10;
const ROUNDS = 4;
const cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
const surveys = Array.from({ length: SURVEYS }, (_, i) => ({
  id: `wait-${i}`,
  name: 'WAIT bench',
  target: 0.6,
  areas: [{ id: 'norr', name: 'Norr', distributed: 100 }],
  textQuestions: [],
  indexes: [],
  sources: [],
}));

/** The node-redis cluster calls the store makes, and the one WAIT needs: the slot master's own connection. */
interface ClusterCalls {
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  getNodeClientForKey(key: string): Promise<{ sendCommand(args: string[]): Promise<unknown> }>;
}

async function measure(wait: boolean, perTurn: number, turns: number, prefix: string): Promise<number> {
  const store = await RedisStore.connect({ url: cluster.url, prefix });
  for (const survey of surveys) await store.putSurvey(survey);
  if (wait) {
    const client = store.redisClient as unknown as ClusterCalls;
    const evalSha = client.evalSha.bind(client);
    client.evalSha = async (sha, options) => {
      const node = await client.getNodeClientForKey(options.keys[0] as string);
      // On the same connection right behind the script: answers once the replica has it.
      const [reply, acked] = await Promise.all([evalSha(sha, options), node.sendCommand(['WAIT', '1', '1000'])]);
      if (Number(acked) < 1) throw new Error('WAIT 1: the replica did not acknowledge within 1 s');
      return reply;
    };
  }
  let n = 0;
  const started = process.hrtime.bigint();
  for (let turn = 0; turn < turns; turn++) {
    const now = Date.now();
    const calls = Array.from({ length: perTurn }, (_, i) =>
      store.recordResponse({
        surveyId: surveys[i % SURVEYS]?.id as string,
        responseId: `r-${n++}`,
        areaKey: 'norr',
        channel: 'door',
        hour: now - (now % 3_600_000),
        minute: now - (now % 60_000),
        receivedAt: now,
        indexValues: [],
        indexStep: 1,
        texts: [],
      }),
    );
    await Promise.all(calls);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await store.close();
  return Math.round((perTurn * turns) / seconds);
}

try {
  for (const [perTurn, turns] of [
    [200, 300],
    [10, 2000],
  ] as const) {
    await measure(false, perTurn, turns / 4, `warm-${perTurn}:`);
    console.log(`${perTurn} responses per turn over ${SURVEYS} surveys: responses/s without WAIT, with WAIT 1, ratio`);
    for (let round = 0; round < ROUNDS; round++) {
      const without = await measure(false, perTurn, turns, `nowait-${perTurn}-${round}:`);
      const withWait = await measure(true, perTurn, turns, `wait-${perTurn}-${round}:`);
      console.log(`  ${without}\t${withWait}\t${(withWait / without).toFixed(2)}`);
    }
  }
} finally {
  await cluster.stop();
}
