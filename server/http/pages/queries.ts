/**
 * What the pages accept in their query strings: a whitelist. Only values that pass these schemas
 * reach a page, and unknown parameters (a CMS's tracking, say) are dropped.
 */
import { z } from 'zod';
import { idSchema } from '../../../shared/schemas.js';

/** A read token as minted by POST /api/v1/tokens: a JWT, three base64url parts. */
const tokenSchema = z
  .string()
  .max(4096)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/, 'must be a read token as POST /api/v1/tokens mints it');

const flag = z
  .enum(['1', '0', 'true', 'false'], { message: 'must be 1 or 0' })
  .optional()
  .transform((value) => value === '1' || value === 'true');

const shared = {
  survey: idSchema,
  area: idSchema.optional(),
  token: tokenSchema.optional(),
  lang: z.enum(['sv', 'en'], { message: 'must be sv or en' }).default('sv'),
  theme: z.enum(['light', 'dark', 'auto'], { message: 'must be light, dark or auto' }).default('light'),
  /** No card background or border: the element sits on the embedding page's own background. */
  transparent: flag,
};

export const EMBED_ELEMENTS = ['counter', 'chart', 'feed', 'pace', 'call-list', 'index'] as const;
export type EmbedElement = (typeof EMBED_ELEMENTS)[number];

export const embedQuerySchemas = {
  counter: z.object(shared),
  chart: z.object({
    ...shared,
    kind: z.enum(['timeline', 'areas', 'channels'], { message: 'must be timeline, areas or channels' }).default('timeline'),
    range: z.enum(['hour', 'day'], { message: 'must be hour or day (or left out)' }).optional(),
  }),
  feed: z.object({ ...shared, 'max-items': z.coerce.number().int().min(1).max(100).optional() }),
  pace: z.object(shared),
  'call-list': z.object({ ...shared, limit: z.coerce.number().int().min(1).max(100).optional() }),
  index: z.object({ ...shared, index: idSchema, by: z.enum(['area'], { message: 'must be area (or left out)' }).optional() }),
} satisfies Record<EmbedElement, z.ZodType>;

export type EmbedQuery = z.infer<(typeof embedQuerySchemas)[EmbedElement]>;

/** The board's panels, in their default order. */
export const BOARD_PANELS = ['counter', 'pace', 'calls', 'areas', 'timeline', 'feed'] as const;
export type BoardPanel = (typeof BOARD_PANELS)[number];

export const boardQuerySchema = z.object({
  surveyId: idSchema,
  token: tokenSchema.optional(),
  lang: shared.lang,
  theme: shared.theme.unwrap().default('dark'),
  /** Seconds each area stays on the big counter; left out, the counter shows the whole survey. */
  rotate: z.coerce.number().int().min(5).max(3600).optional(),
  /** Which panels, in order, comma-separated; the feed shows only to a token with the text scope. */
  panels: z
    .string()
    .max(200)
    .default(BOARD_PANELS.join(','))
    .transform((value, ctx) => {
      const panels = [...new Set(value.split(',').map((panel) => panel.trim()))];
      const unknown = panels.filter((panel) => !(BOARD_PANELS as readonly string[]).includes(panel));
      if (unknown.length > 0 || panels.length === 0) {
        ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of ${BOARD_PANELS.join(', ')}` });
        return z.NEVER;
      }
      return panels as BoardPanel[];
    }),
});

export type BoardQuery = z.infer<typeof boardQuerySchema>;

/** /report/:surveyId: the print-ready report; `lang` left out follows the browser's Accept-Language. */
export const reportQuerySchema = z.object({
  surveyId: idSchema,
  token: tokenSchema.optional(),
  lang: shared.lang.unwrap().optional(),
});

export type ReportQuery = z.infer<typeof reportQuerySchema>;

/** /demo: `lang` left out follows the browser's Accept-Language, as the report does. */
export const demoQuerySchema = z.object({
  lang: shared.lang.unwrap().optional(),
});
