/**
 * Constants server and widget both need, in a module without zod so the widget bundle can
 * import them instead of keeping copies. shared/schemas.ts re-exports them.
 */

/** Responses with a missing or unknown area are counted here. */
export const UNASSIGNED_AREA_ID = 'unassigned';
/** What that area is called on screens and in exports, by language. */
export const UNASSIGNED_AREA_NAME: Readonly<Record<'sv' | 'en', string>> = { sv: 'Okänt område', en: 'Unknown area' };

/** What a read token may grant: counts and rates, and free text. */
export const READ_SCOPES = ['stats', 'text'] as const;
export type ReadScope = (typeof READ_SCOPES)[number];

// Plain literals: the widget build inlines them where they are used (vite.config.ts), so the
// lazily loaded chart chunk shares no module with the entry.
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
