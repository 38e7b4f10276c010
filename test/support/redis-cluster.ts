/**
 * A real 3-master Redis Cluster for the tests that prove the store and the live layer on one:
 * three `redis-server --cluster-enabled yes` on free ports, joined by `redis-cli --cluster create`,
 * ready once every node says `cluster_state:ok`. Start it once per test file (beforeAll): it takes
 * a few seconds on a busy machine.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, pingRedis, redisServerInstalled } from './redis-server.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PrivateCluster {
  /** `redis-cluster://127.0.0.1:<p1>,127.0.0.1:<p2>,127.0.0.1:<p3>`, as REDIS_URL takes it. */
  url: string;
  ports: number[];
  /** Kills the node on this port (SIGKILL), as a crash would. */
  kill(port: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedisCluster(masters = 3): Promise<PrivateCluster> {
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
  const stop = async () => {
    await Promise.all(children.map(killChild));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freePort();
      ports.push(port);
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--cluster-enabled', 'yes'];
      args.push('--cluster-config-file', join(dir, `nodes-${port}.conf`), '--save', '', '--appendonly', 'no');
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
    await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 60_000 });
    // Every node must agree before a client's first CLUSTER SLOTS gives the whole map.
    for (const port of ports) {
      for (;;) {
        const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info']);
        if (stdout.includes('cluster_state:ok')) break;
        if (Date.now() > deadline + 30_000) throw new Error(`cluster node on port ${port} not ok within 60 s:\n${stdout}`);
        await sleep(100);
      }
    }
    return { url: `redis-cluster://${nodes.join(',')}`, ports, kill: (port) => killChild(children[ports.indexOf(port)]), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
