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

export const EMBED_ELEMENTS = ['counter', 'chart', 'feed'] as const;
export type EmbedElement = (typeof EMBED_ELEMENTS)[number];

export const embedQuerySchemas = {
  counter: z.object(shared),
  chart: z.object({
    ...shared,
    kind: z.enum(['timeline', 'areas'], { message: 'must be timeline or areas' }).default('timeline'),
    range: z.enum(['hour'], { message: 'must be hour (or left out)' }).optional(),
  }),
  feed: z.object({ ...shared, 'max-items': z.coerce.number().int().min(1).max(100).optional() }),
} satisfies Record<EmbedElement, z.ZodType>;

export type EmbedQuery = z.infer<(typeof embedQuerySchemas)[EmbedElement]>;

export const boardQuerySchema = z.object({
  surveyId: idSchema,
  token: tokenSchema.optional(),
  lang: shared.lang,
  theme: shared.theme.unwrap().default('dark'),
  /** Seconds each area stays on the big counter; left out, the counter shows the whole survey. */
  rotate: z.coerce.number().int().min(5).max(3600).optional(),
});

export type BoardQuery = z.infer<typeof boardQuerySchema>;
