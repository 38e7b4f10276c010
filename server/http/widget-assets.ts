/**
 * Serves the built widget (dist/widget, made by `npm run build`) at /widget/.
 * - The entry, survey-live.js, keeps its name across deploys: `no-cache` with an ETag, so every
 *   page load revalidates it (a 304 when unchanged) and a deploy reaches pages at once.
 * - Chunks (chunks/<name>-<hash>.js) change name when they change: cached for a year, immutable.
 * - A module script and its chunks on a page of another origin are fetched in CORS mode, so
 *   ALLOWED_ORIGINS (and the server's own origin) get Access-Control-Allow-Origin.
 */
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import express, { type Request, Router } from 'express';
import { DIST_DIR } from '../paths.js';
import { HttpProblem } from './problem.js';

export const WIDGET_PATH = '/widget';
/** Where vite.config.ts writes the build. */
export const WIDGET_DIR = join(DIST_DIR, 'widget', sep);
/** vite.config.ts names chunks `chunks/[name]-[hash].js`: everything in here is content-hashed. */
const HASHED_DIR = `chunks${sep}`;

export interface WidgetAssetsOptions {
  /** Whether a page of this origin may load the widget: ALLOWED_ORIGINS and the server's own (app.ts). */
  isOriginAllowed: (origin: string, req: Request) => boolean;
  /** The built widget; dist/widget by default. */
  dir?: string;
}

export function widgetAssets({ isOriginAllowed, dir = WIDGET_DIR }: WidgetAssetsOptions): Router {
  const files = express.static(dir, {
    index: false,
    cacheControl: false,
    setHeaders(res, path) {
      res.setHeader('Cache-Control', relative(dir, path).startsWith(HASHED_DIR) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  const router = Router();
  router.use(WIDGET_PATH, (req, res, next) => {
    // The answer depends on Origin: caches must not hand one origin's answer to another.
    res.vary('Origin');
    const origin = req.headers.origin;
    if (origin && isOriginAllowed(origin, req)) res.setHeader('Access-Control-Allow-Origin', origin);
    if (!existsSync(dir)) {
      next(new HttpProblem(404, 'not-found', 'The widget has not been built: run `npm run build` on the server'));
      return;
    }
    files(req, res, next);
  });
  return router;
}
