/**
 * Where the installation's files are, the same whether this runs from source (server/*.ts under
 * tsx) or built (dist/server/*.js under node): the root is the nearest directory above this file
 * that holds package.json.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`survey-live: no package.json above ${from}`);
  }
}

export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
/** What vite builds for browsers (scripts/build.ts). */
export const DIST_DIR = join(ROOT, 'dist');
