/** Health, readiness and metrics for load balancers and Prometheus. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Router } from 'express';
import type { Metrics } from '../observability/metrics.js';
import { ROOT } from '../paths.js';
import type { ResponseStore } from '../store/response-store.js';

/** The built files browsers run: a page that loaded other ones needs a reload. */
const CLIENT_ENTRY_DIRS = ['dist/widget', 'dist/pages'];

let version: string | undefined;

/**
 * The package version and a short hash of the built widget and page entries (which name their
 * content-hashed chunks): equal on every instance running the same build, different after a
 * deploy that changes what browsers run. Office boards poll it to reload themselves.
 */
export function serverVersion(): string {
  if (version) return version;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const hash = createHash('sha256');
  for (const dir of CLIENT_ENTRY_DIRS) {
    let names: string[];
    try {
      names = readdirSync(join(ROOT, dir)).filter((name) => /\.(js|css)$/.test(name));
    } catch {
      continue; // not built (yet): the version says so by its hash
    }
    for (const name of names.sort()) hash.update(`${dir}/${name}\0`).update(readFileSync(join(ROOT, dir, name)));
  }
  version = `${pkg.version}+${hash.digest('hex').slice(0, 12)}`;
  return version;
}

export function opsRoutes(store: ResponseStore, metrics: Metrics, isShuttingDown: () => boolean): Router {
  const router = Router();
  const current = serverVersion();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok', version: current });
  });
  router.get('/readyz', async (_req, res) => {
    if (isShuttingDown()) {
      res.status(503).json({ status: 'shutting-down', store: store.kind });
      return;
    }
    try {
      await store.ping();
      res.json({ status: 'ready', store: store.kind });
    } catch {
      res.status(503).json({ status: 'store-unreachable', store: store.kind });
    }
  });
  router.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
