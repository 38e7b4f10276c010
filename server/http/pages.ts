/**
 * The pages people open rather than embed: `/embed/{counter,chart,feed}` (one element
 * full-bleed, for iframes such as SharePoint's Embed web part), `/board/:surveyId` (the office
 * TV), `/report/:surveyId` (the print-ready campaign report), `/admin` (embed builder and
 * moderation queue) and, when the demo runs, `/demo`.
 *
 * - Query strings pass a whitelist (pages/queries.ts); anything else is a 400 page.
 * - Every page has its own strict CSP: scripts and styles from this server only, no inline code.
 * - Embeds and the board may be framed by FRAME_ANCESTORS (and this server); admin and demo only
 *   by this server. X-Frame-Options, which cannot name other origins, is dropped where it would
 *   contradict FRAME_ANCESTORS.
 * - Page scripts and styles are built by vite.pages.config.ts into dist/pages, served at /pages/.
 */
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import express, { type Request, type Response, Router } from 'express';
import type { z } from 'zod';
import type { ReadTokens } from '../auth/read-tokens.js';
import type { Config } from '../config.js';
import { DEMO_SURVEY_ID } from '../demo/demo-survey.js';
import { DIST_DIR } from '../paths.js';
import { serverVersion } from './ops-routes.js';
import { boardQuerySchema, demoQuerySchema, EMBED_ELEMENTS, type EmbedElement, embedQuerySchemas, reportQuerySchema } from './pages/queries.js';
import { adminBody, boardBody, demoBody, embedBody, errorBody, reportBody, type Shell, shell } from './pages/views.js';
import { HttpProblem } from './problem.js';

export const PAGES_PATH = '/pages';
/** Where vite.pages.config.ts writes the build. */
export const PAGES_DIR = join(DIST_DIR, 'pages', sep);
const HASHED_DIR = `chunks${sep}`;
/** How long the demo page's read token lives: longer than anyone keeps the tab open. */
const DEMO_TOKEN_SECONDS = 24 * 3600;

export interface PageRoutesOptions {
  config: Pick<Config, 'frameAncestors' | 'demo'> & Partial<Pick<Config, 'oidc'>>;
  /** Mints the demo page's read token. */
  tokens: ReadTokens;
  /** The built page scripts and styles; dist/pages by default. */
  dir?: string;
}

const policy = (frameAncestors: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');

/** From the page's URL back to the server's root, so asset URLs survive a reverse proxy's path prefix. */
const baseOf = (req: Request) => '../'.repeat(Math.max(0, req.path.split('/').length - 2)) || './';

export function pageRoutes({ config, tokens, dir = PAGES_DIR }: PageRoutesOptions): Router {
  const version = serverVersion();
  const framedPolicy = policy(["'self'", ...config.frameAncestors].join(' '));
  const ownPolicy = policy("'self'");

  const send = (req: Request, res: Response, status: number, page: Omit<Shell, 'base' | 'version'> & { frameable?: boolean }) => {
    const { frameable = false, ...rest } = page;
    res.status(status).set({
      'Content-Type': 'text/html; charset=utf-8',
      // Pages carry read tokens from their URL: no cache may keep them.
      'Cache-Control': 'no-store',
      'Content-Security-Policy': frameable ? framedPolicy : ownPolicy,
    });
    if (frameable && config.frameAncestors.length > 0) res.removeHeader('X-Frame-Options');
    res.send(shell({ ...rest, base: baseOf(req), version }));
  };

  const parse = <T extends z.ZodType>(schema: T, input: unknown, req: Request, res: Response, frameable: boolean): z.infer<T> | undefined => {
    const parsed = schema.safeParse(input);
    if (parsed.success) return parsed.data;
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`);
    send(req, res, 400, {
      lang: 'en',
      title: 'survey-live: wrong settings',
      page: 'error-page',
      frameable,
      body: errorBody('These settings are wrong', problems),
    });
    return undefined;
  };

  const router = Router();
  const assets = express.static(dir, {
    index: false,
    cacheControl: false,
    setHeaders(res, path) {
      // Entries keep their names across deploys (revalidated); chunks are content-hashed.
      res.setHeader('Cache-Control', relative(dir, path).startsWith(HASHED_DIR) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  router.use(PAGES_PATH, (req, res, next) => {
    if (!existsSync(dir)) {
      next(new HttpProblem(404, 'not-found', 'The pages have not been built: run `npm run build` on the server'));
      return;
    }
    assets(req, res, next);
  });

  router.get('/', (_req, res) => res.redirect(config.demo ? 'demo' : 'admin'));

  router.get('/embed/:element', (req, res, next) => {
    const element = req.params.element as EmbedElement;
    if (!EMBED_ELEMENTS.includes(element)) {
      next();
      return;
    }
    const query = parse(embedQuerySchemas[element], req.query, req, res, true);
    if (!query) return;
    send(req, res, 200, {
      lang: query.lang,
      title: `survey-live ${element}`,
      page: `embed embed-${element}${query.transparent ? ' transparent' : ''}`,
      frameable: true,
      body: embedBody(element, query),
    });
  });

  router.get('/board/:surveyId', (req, res) => {
    const query = parse(boardQuerySchema, { ...req.query, surveyId: req.params.surveyId }, req, res, true);
    if (!query) return;
    send(req, res, 200, {
      lang: query.lang,
      title: `survey-live board: ${query.surveyId}`,
      page: `board theme-${query.theme}`,
      scripts: ['board.js'],
      data: { rotate: query.rotate },
      frameable: true,
      body: boardBody(query),
    });
  });

  router.get('/report/:surveyId', (req, res) => {
    const query = parse(reportQuerySchema, { ...req.query, surveyId: req.params.surveyId }, req, res, false);
    if (!query) return;
    // Without ?lang=, the browser's language: English when it prefers English, else Swedish.
    const lang = query.lang ?? (req.acceptsLanguages('sv', 'en') === 'en' ? 'en' : 'sv');
    send(req, res, 200, {
      lang,
      title: `survey-live: ${query.surveyId}`,
      page: 'report',
      scripts: ['report.js'],
      data: { survey: query.surveyId, token: query.token },
      body: reportBody({ surveyId: query.surveyId, token: query.token, lang }),
    });
  });

  router.get('/admin', (req, res) => {
    const lang = req.query.lang === 'en' ? 'en' : 'sv';
    send(req, res, 200, {
      lang,
      title: 'survey-live admin',
      page: 'admin',
      scripts: ['admin.js'],
      // The page offers the organisation's sign-in when OIDC is set up (http/oidc-routes.ts).
      data: { oidc: config.oidc ? 1 : undefined },
      body: adminBody(),
    });
  });

  router.get('/demo', async (req, res, next) => {
    if (!config.demo) {
      next();
      return;
    }
    const query = parse(demoQuerySchema, req.query, req, res, false);
    if (!query) return;
    const lang = query.lang ?? (req.acceptsLanguages('sv', 'en') === 'en' ? 'en' : 'sv');
    const { token } = await tokens.mint(DEMO_SURVEY_ID, ['stats', 'text'], DEMO_TOKEN_SECONDS);
    const boardUrl = `board/${DEMO_SURVEY_ID}?${new URLSearchParams({ token, lang })}`;
    const reportUrl = `report/${DEMO_SURVEY_ID}?${new URLSearchParams({ token, lang })}`;
    const adminUrl = lang === 'en' ? 'admin?lang=en' : 'admin';
    send(req, res, 200, {
      lang,
      title: 'survey-live demo',
      page: 'demo',
      body: demoBody({ surveyId: DEMO_SURVEY_ID, token, lang, boardUrl, reportUrl, adminUrl }),
    });
  });

  return router;
}
