/**
 * A real Redis Cluster for the tests that prove the store and the live layer on one: `redis-server
 * --cluster-enabled yes` on free ports, joined by `redis-cli --cluster create`, ready once every
 * node says `cluster_state:ok` (and, with replicas, every replica is in sync with its master).
 * Three masters without replicas by default; `{ masters: 3, replicasPerMaster: 1 }` is the layout
 * production runs, where a master's crash is a failover instead of an outage. Start it once per
 * test file (beforeAll): it takes a few seconds on a busy machine.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, pingRedis, redisServerInstalled } from './redis-server.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ClusterOptions {
  /** Masters, among which the 16384 slots are split. */
  masters?: number;
  /** Replicas of each master; a replica takes over its master's slots when the master fails. */
  replicasPerMaster?: number;
  /**
   * `cluster-node-timeout`: how long a node may be silent before the others mark it failing and
   * its replica is promoted. Redis's default (15 s) with replicas; 2 s here, so a failover takes seconds.
   */
  nodeTimeoutMs?: number;
}

export interface PrivateCluster {
  /** `redis-cluster://127.0.0.1:<p1>,127.0.0.1:<p2>,…` (every node), as REDIS_URL takes it. */
  url: string;
  /** Every node's port; the masters' first, in the order `--cluster create` got them. */
  ports: number[];
  /** Kills the node on this port (SIGKILL), as a crash would. */
  kill(port: number): Promise<void>;
  /**
   * The port of the master that serves `key`'s slot now, as the live nodes see it (CLUSTER NODES
   * of one that is running); undefined while no master serves it (after a crash, before failover).
   */
  masterOf(key: string): Promise<number | undefined>;
  /** Runs one command on the node on this port (redis-cli) and returns its reply as text. */
  command(port: number, ...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** CLUSTER NODES of the node on `port`: each node's port, flags and slot ranges. */
async function clusterNodes(port: number): Promise<{ port: number; flags: string[]; masterId: string; id: string; slots: [number, number][] }[]> {
  const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'nodes'], { timeout: 5000 });
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      // <id> <ip:port@cport> <flags> <master id or -> <ping-sent> <pong-recv> <epoch> <link-state> <slot or range>…
      const [id = '', address = '', flags = '', masterId = '', , , , , ...slots] = line.split(' ');
      return {
        id,
        port: Number(address.split('@')[0]?.split(':').at(-1)),
        flags: flags.split(','),
        masterId,
        // Migrating/importing markers ([slot->-id]) are not ranges a node serves.
        slots: slots
          .filter((slot) => !slot.startsWith('['))
          .map((slot) => slot.split('-').map(Number) as [number, number])
          .map(([from, to]) => [from, to ?? from] as [number, number]),
      };
    });
}

export async function startRedisCluster(options: number | ClusterOptions = {}): Promise<PrivateCluster> {
  const {
    masters = 3,
    replicasPerMaster = 0,
    nodeTimeoutMs = replicasPerMaster > 0 ? 2000 : undefined,
  } = typeof options === 'number' ? { masters: options } : options;
  if (!redisServerInstalled()) throw new Error('redis-server is not installed (apt-get install redis-server), and this test needs a cluster of its own');
  const dir = mkdtempSync(join(tmpdir(), 'survey-live-cluster-'));
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const killChild = (child: ChildProcess | undefined) =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  const alive = (port: number) => {
    const child = children[ports.indexOf(port)];
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  };
  const stop = async () => {
    await Promise.all(children.map(killChild));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters * (1 + replicasPerMaster); i++) {
      const port = await freePort();
      ports.push(port);
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--cluster-enabled', 'yes'];
      args.push('--cluster-config-file', join(dir, `nodes-${port}.conf`), '--save', '', '--appendonly', 'no');
      if (nodeTimeoutMs !== undefined) args.push('--cluster-node-timeout', String(nodeTimeoutMs));
      children.push(spawn('redis-server', args, { stdio: 'ignore' }));
    }
    const deadline = Date.now() + 30_000;
    for (const port of ports) {
      while (!(await pingRedis(`redis://127.0.0.1:${port}`, 300))) {
        if (Date.now() > deadline) throw new Error(`cluster node on port ${port} did not start within 30 s`);
        await sleep(50);
      }
    }
    const nodes = ports.map((port) => `127.0.0.1:${port}`);
    // redis-cli makes the first `masters` nodes masters and gives each the next ones as replicas.
    await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', String(replicasPerMaster), '--cluster-yes'], { timeout: 60_000 });
    // Every node must agree before a client's first CLUSTER SLOTS gives the whole map, and know
    // every other node (as master or replica) before a failover can win a majority's votes.
    for (const port of ports) {
      for (;;) {
        const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info']);
        const known = Number(/cluster_known_nodes:(\d+)/.exec(stdout)?.[1]);
        const replicas = (await clusterNodes(port)).filter((node) => node.flags.includes('slave')).length;
        if (stdout.includes('cluster_state:ok') && known === ports.length && replicas === masters * replicasPerMaster) break;
        if (Date.now() > deadline + 30_000) throw new Error(`cluster node on port ${port} not ok within 60 s:\n${stdout}`);
        await sleep(100);
      }
    }
    // A replica can take over only once it holds its master's data: wait for the first full sync.
    for (const port of ports) {
      for (;;) {
        const { stdout } = await run('redis-cli', ['-p', String(port), 'info', 'replication']);
        if (stdout.includes('role:master') || (stdout.includes('master_link_status:up') && stdout.includes('master_sync_in_progress:0'))) break;
        if (Date.now() > deadline + 60_000) throw new Error(`replica on port ${port} not in sync within 90 s:\n${stdout}`);
        await sleep(100);
      }
    }
    return {
      url: `redis-cluster://${nodes.join(',')}`,
      ports,
      kill: (port) => killChild(children[ports.indexOf(port)]),
      async masterOf(key) {
        const asked = ports.find(alive);
        if (asked === undefined) return undefined;
        const { stdout } = await run('redis-cli', ['-p', String(asked), 'cluster', 'keyslot', key], { timeout: 5000 });
        const slot = Number(stdout.trim());
        const serving = (await clusterNodes(asked)).find(
          (node) => node.flags.includes('master') && !node.flags.includes('fail') && node.slots.some(([from, to]) => from <= slot && slot <= to),
        );
        return serving?.port;
      },
      async command(port, ...args) {
        return (await run('redis-cli', ['-p', String(port), ...args], { timeout: 5000 })).stdout;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
