/**
 * One Redis server or a Redis Cluster, from one REDIS_URL: `redis://` / `rediss://` for a
 * server, `redis-cluster://[user:password@]host:port,host:port,…` (or `rediss-cluster://` for
 * TLS) for a cluster, whose nodes are seeds: the client learns the rest from CLUSTER SLOTS.
 * The store and the Socket.IO adapter both connect through here.
 */
import { createClient, createCluster, type RedisClientOptions, type RedisClientType } from 'redis';

const CLUSTER_SCHEMES = /^(rediss?)-cluster:\/\//;

/** On a cluster: how long after a node's connection broke the client re-reads the slot map (see createRedisConnection). */
const TOPOLOGY_REFRESH_MS = 1000;

export function isClusterUrl(url: string): boolean {
  return CLUSTER_SCHEMES.test(url);
}

export interface ClusterSeeds {
  /** Each seed as a `redis://host:port` (or `rediss://`) URL, without credentials. */
  rootNodes: string[];
  username?: string;
  password?: string;
}

/** Parses a `redis-cluster://` URL; throws with a message fit for a startup error. */
export function parseClusterUrl(url: string): ClusterSeeds {
  const match = CLUSTER_SCHEMES.exec(url);
  if (!match) throw new Error('not a redis-cluster:// URL');
  const scheme = match[1];
  let rest = url.slice(match[0].length).replace(/\/$/, '');
  let username: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const credentials = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = credentials.indexOf(':');
    username = decodeURIComponent(colon >= 0 ? credentials.slice(0, colon) : credentials) || undefined;
    password = colon >= 0 ? decodeURIComponent(credentials.slice(colon + 1)) : undefined;
  }
  const seeds = rest.split(',').map((seed) => seed.trim());
  if (seeds.length === 0 || seeds.some((seed) => !/^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:.]+\]:\d{1,5}$/.test(seed)))
    throw new Error('a redis-cluster:// URL lists its seed nodes as host:port,host:port');
  return { rootNodes: seeds.map((seed) => `${scheme}://${seed}`), ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

/** What the store and the adapter set on every connection, to one server or to each cluster node. */
export type ConnectionOptions = Pick<RedisClientOptions, 'disableOfflineQueue' | 'commandOptions' | 'socket'>;

/**
 * A client for REDIS_URL. For a cluster it is node-redis's cluster client, typed as the single
 * client: node-redis builds both from one command list, so every command the store sends has
 * the same signature; where they differ (pub/sub reply counts, connection events) the callers
 * check `isClusterUrl`.
 */
export function createRedisConnection(url: string, options: ConnectionOptions = {}): RedisClientType {
  if (!isClusterUrl(url)) return createClient({ url, ...options }) as RedisClientType;
  const { rootNodes, username, password } = parseClusterUrl(url);
  const { commandOptions, ...nodeOptions } = options;
  return createCluster({
    rootNodes: rootNodes.map((node) => ({ url: node })),
    defaults: {
      ...nodeOptions,
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      ...(rootNodes[0]?.startsWith('rediss:') ? { socket: { ...nodeOptions.socket, tls: true } } : {}),
    },
    ...(commandOptions ? { commandOptions } : {}),
    // What makes a master's failover heal by itself: while a node's connection keeps failing,
    // re-read the slot map (CLUSTER SLOTS from a live node) at its reconnection attempts, from this
    // long after the first, so the promoted replica is found and the dead node dropped
    // (test/server/faults/cluster-failover.test.ts). node-redis's default, 5 s between refreshes,
    // can leave webhooks refused for 5 s after the promotion; with 1 s a refresh follows every
    // reconnection attempt (at most 2 s apart for the store). One CLUSTER SLOTS each, only while a node is away.
    topologyRefreshOnReconnectionAttemptStrategy: TOPOLOGY_REFRESH_MS,
  }) as unknown as RedisClientType;
}

/**
 * Closes a connection: QUIT (replies in flight arrive first) within `ms`, else drops it. A cluster
 * client with a node away waits on that node's reconnection for ever, and a stopping server
 * must not.
 */
export async function closeRedisConnection(client: Pick<RedisClientType, 'isOpen' | 'quit' | 'destroy'>, ms = 2000): Promise<void> {
  if (!client.isOpen) return;
  let timer: NodeJS.Timeout | undefined;
  const quit = client.quit().then(
    () => true,
    () => false,
  );
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const quitted = await Promise.race([quit, timeout]);
  clearTimeout(timer);
  if (!quitted && client.isOpen) client.destroy();
}
