/**
 * Configuration from the environment, validated once at startup into one typed object.
 * Every wrong value is reported by name, so a misconfigured deployment says what to fix.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import { isTimeZone } from './store/daily.js';
import { isClusterUrl, parseClusterUrl } from './store/redis-connection.js';

const list = (separators: RegExp) =>
  z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(separators)
        .map((item) => item.trim())
        .filter(Boolean),
    );

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const origin = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'must be origins like https://intranet.example.com (scheme, host, optional port; no path or trailing slash)');

/** Why a redis-cluster:// URL cannot be used, or undefined. */
function clusterUrlProblem(url: string): string | undefined {
  try {
    parseClusterUrl(url);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Shortest key a WEBHOOK_SECRETS entry may decode to (bytes). */
export const MIN_WEBHOOK_KEY_BYTES = 24;

const envSchema = z.object({
  /**
   * What this process serves: `all` (webhooks and widgets), `ingest` (webhooks, no sockets) or
   * `live` (sockets, no webhooks). Split roles share counts and broadcasts through Redis, so a
   * webhook's ack never waits behind a fan-out to thousands of widgets (docs/operations.md).
   */
  ROLE: z.enum(['all', 'ingest', 'live'], { message: 'must be all, ingest or live' }).default('all'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Unset: the embedded in-memory store. redis-cluster://host:port,host:port: a Redis Cluster. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?(-cluster)?:\/\//, 'must be a redis:// or rediss:// URL, or redis-cluster://host:port,host:port for a Redis Cluster')
    .refine((url) => !isClusterUrl(url) || clusterUrlProblem(url) === undefined, 'a redis-cluster:// URL lists its seed nodes as host:port,host:port')
    .optional(),
  /** The same as REDIS_URL=redis-cluster://<these>: a Redis Cluster's seed nodes, host:port,host:port. */
  REDIS_CLUSTER_NODES: z
    .string()
    .refine((nodes) => clusterUrlProblem(`redis-cluster://${nodes}`) === undefined, 'must list seed nodes as host:port,host:port')
    .optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]*$/, 'may use letters, digits, ":", "_", "." and "-"')
    .default('survey-live:'),
  SURVEYS_FILE: z.string().min(1).optional(),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  WEBHOOK_SECRETS: list(/[\s,]+/).pipe(
    z.array(
      z
        .string()
        .regex(/^whsec_[A-Za-z0-9+/=]+$/, 'each secret must look like whsec_<base64>')
        // HMAC-SHA256 with a short key is guessable offline from one signed request.
        .refine(
          // A secret that is not whsec_<base64> at all is reported once, by the regex.
          (secret) => !/^whsec_[A-Za-z0-9+/=]+$/.test(secret) || Buffer.from(secret.slice('whsec_'.length), 'base64').length >= MIN_WEBHOOK_KEY_BYTES,
          `each secret's key must decode to at least ${MIN_WEBHOOK_KEY_BYTES} bytes (e.g. whsec_ and the base64 of 24 random bytes: openssl rand -base64 24)`,
        ),
    ),
  ),
  TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Typeform's webhook secret, for forms whose source names none of its own. */
  TYPEFORM_SECRET: z.string().min(16, 'must be at least 16 characters').max(500).optional(),
  PUBLIC_STATS: booleanFlag.default(false),
  ALLOWED_ORIGINS: list(/[\s,]+/).pipe(z.array(origin)),
  /** Pages of these origins may show the /embed/* pages and the board in an iframe; the server's own always may. */
  FRAME_ANCESTORS: list(/[\s,]+/).pipe(z.array(origin)),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(64 * 1024),
  STATS_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  TEXT_LIMIT: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Free text reaches widgets between this delay and twice it after arrival; 0 turns delay off. */
  TEXT_DELAY_S: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .optional(),
  /** Areas with fewer responses show counts but no index values, and their texts name no area. */
  MIN_GROUP_SIZE: z.coerce.number().int().min(1).max(1000).default(5),
  TEXT_MODERATION: z.enum(['off', 'hold'], { message: 'must be off or hold' }).default('off'),
  TEXT_RETENTION_DAYS: z.coerce.number().min(1).max(3650).default(90),
  /** Responses kept for surveys not defined yet: at most this many (oldest dropped), each for UNMATCHED_TTL_DAYS. */
  UNMATCHED_LIMIT: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  UNMATCHED_TTL_DAYS: z.coerce.number().min(1).max(3650).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO: booleanFlag.optional(),
  /** Insults and slurs in free text: masked ("m***"), held for moderation, or let through. */
  TEXT_FILTER: z.enum(['off', 'mask', 'hold'], { message: 'must be off, mask or hold' }).default('mask'),
  /** Admin actions are kept this long in the audit log. */
  AUDIT_RETENTION_DAYS: z.coerce.number().min(1).max(3650).default(365),
  /** Sign-in to the admin page with the organisation's accounts (OpenID Connect): all three, or none. */
  OIDC_ISSUER: z.url({ message: 'must be the issuer URL, like https://login.microsoftonline.com/<tenant-id>/v2.0' }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
  /** E-mail addresses and/or group ids allowed into the admin page. */
  OIDC_ADMINS: list(/[\s,;]+/),
  /** How long a sign-in lasts: "8h", "30m", "90s". */
  OIDC_SESSION_TTL: z
    .string()
    .regex(/^\d+\s*[smh]$/, 'must be a duration like "8h", "30m" or "90s"')
    .transform((value) => Number.parseInt(value, 10) * ({ s: 1, m: 60, h: 3600 } as Record<string, number>)[value.trim().slice(-1)]! * 1000)
    .default(8 * 3_600_000),
  /** The IANA time zone whose calendar days the daily series and comparisons count in. */
  TIMEZONE: z.string().refine(isTimeZone, 'must be an IANA time zone like Europe/Stockholm, Europe/Oslo or UTC').default('Europe/Stockholm'),
  /** Proxies whose X-Forwarded-For is believed: a hop count, or named ranges, IPs and CIDRs. Unset: none. */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const parsed = parseTrustProxy(value ?? '');
      if (typeof parsed === 'object' && 'error' in parsed) {
        ctx.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      return parsed;
    }),
});

const TRUST_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * Express's forms of `trust proxy`, without `true` (trusting every peer lets any client pick
 * its own address, and with it a fresh rate-limit bucket): a hop count, or a list of
 * `loopback`, `linklocal`, `uniquelocal`, IPs and CIDRs.
 */
function parseTrustProxy(value: string): number | string[] | { error: string } {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const items = trimmed.split(/[\s,]+/).filter(Boolean);
  for (const item of items) {
    const [address = '', prefix, ...rest] = item.split('/');
    const family = isIP(address);
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
    if (TRUST_NAMES.includes(item) || (family !== 0 && prefixOk && rest.length === 0)) continue;
    return { error: `"${item.slice(0, 60)}" is not a hop count, ${TRUST_NAMES.join(', ')}, an IP or a CIDR (e.g. TRUST_PROXY=loopback or 10.0.0.0/8)` };
  }
  return items;
}

export type Env = z.input<typeof envSchema>;

/** What one process serves (ROLE). */
export type Role = 'all' | 'ingest' | 'live';

export interface Config {
  role: Role;
  port: number;
  host: string;
  redisUrl: string | undefined;
  redisPrefix: string;
  surveysFile: string | undefined;
  adminToken: string;
  /** True when ADMIN_TOKEN was not set and one was generated for this run. */
  adminTokenGenerated: boolean;
  webhookSecrets: string[];
  /** Verifies Typeform webhooks of sources without a secret of their own. */
  typeformSecret: string | undefined;
  tokenSecret: string;
  publicStats: boolean;
  allowedOrigins: string[];
  /** Origins allowed to frame the embed pages and the board (CSP frame-ancestors), besides the server's own. */
  frameAncestors: string[];
  maxBodyBytes: number;
  statsIntervalMs: number;
  textLimit: number;
  /** Seconds free text is held back from widgets (see server/privacy/text-release.ts). */
  textDelayS: number;
  minGroupSize: number;
  /** True with TEXT_MODERATION=hold: free text waits for an admin's approval. */
  textModeration: boolean;
  textRetentionDays: number;
  /** At most this many unmatched responses are kept (UNMATCHED_LIMIT); the oldest are dropped. */
  unmatchedLimit: number;
  /** How long an unmatched response is kept after it arrived (UNMATCHED_TTL_DAYS). */
  unmatchedTtlDays: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Whether the demo survey and its sender run. */
  demo: boolean;
  /** TEXT_FILTER: what happens to free text with insults or slurs (see server/privacy/text-filter.ts). */
  textFilter: 'off' | 'mask' | 'hold';
  /** TRUST_PROXY: hops or addresses whose X-Forwarded-For is believed; `[]` believes none. */
  trustProxy: number | string[];
  auditRetentionDays: number;
  /** TIMEZONE: calendar days of the daily series and of comparisons with an earlier campaign. */
  timeZone: string;
  /** Set when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are. */
  oidc: OidcConfig | undefined;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Lower-case e-mail addresses and group ids allowed in. */
  admins: string[];
  sessionTtlMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const generatedSecret = () => randomBytes(24).toString('base64url');

/** Reads and validates the environment; throws ConfigError naming every wrong variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty variables count as unset, as in most deployment tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const index = issue.path.length > 1 ? ` (item ${Number(issue.path[1]) + 1})` : '';
        return `${name}${index}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  const oidcSet = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].filter((value) => value !== undefined).length;
  if (oidcSet > 0 && oidcSet < 3) throw new ConfigError(['OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: set all three for sign-in, or none']);
  if (oidcSet === 3 && e.OIDC_ADMINS.length === 0) throw new ConfigError(['OIDC_ADMINS: name the e-mail addresses or group ids allowed into the admin page']);
  if (e.REDIS_URL && e.REDIS_CLUSTER_NODES) throw new ConfigError(['REDIS_CLUSTER_NODES: set it or REDIS_URL, not both']);
  const redisUrl = e.REDIS_URL ?? (e.REDIS_CLUSTER_NODES ? `redis-cluster://${e.REDIS_CLUSTER_NODES.replace(/\s+/g, '')}` : undefined);
  if (e.ROLE !== 'all' && !redisUrl) {
    throw new ConfigError([
      `ROLE: ${e.ROLE} needs REDIS_URL or REDIS_CLUSTER_NODES (the ingest and live processes share counts and broadcasts through Redis); unset ROLE for one process`,
    ]);
  }
  const demo = e.DEMO ?? (!e.SURVEYS_FILE && !redisUrl);
  return {
    role: e.ROLE,
    port: e.PORT,
    host: e.HOST,
    redisUrl,
    redisPrefix: e.REDIS_PREFIX,
    surveysFile: e.SURVEYS_FILE,
    adminToken: e.ADMIN_TOKEN ?? generatedSecret(),
    adminTokenGenerated: !e.ADMIN_TOKEN,
    webhookSecrets: e.WEBHOOK_SECRETS,
    typeformSecret: e.TYPEFORM_SECRET,
    // A generated secret invalidates read tokens at restart, which is right for a first run
    // and wrong for several instances: main.ts warns when Redis is used without one.
    tokenSecret: e.TOKEN_SECRET ?? generatedSecret() + generatedSecret(),
    publicStats: e.PUBLIC_STATS,
    allowedOrigins: e.ALLOWED_ORIGINS,
    frameAncestors: e.FRAME_ANCESTORS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    statsIntervalMs: e.STATS_INTERVAL_MS,
    textLimit: e.TEXT_LIMIT,
    // The demo's answers are made up: a short delay lets its feed fill while you watch.
    textDelayS: e.TEXT_DELAY_S ?? (demo ? 20 : 600),
    minGroupSize: e.MIN_GROUP_SIZE,
    textModeration: e.TEXT_MODERATION === 'hold',
    textRetentionDays: e.TEXT_RETENTION_DAYS,
    unmatchedLimit: e.UNMATCHED_LIMIT,
    unmatchedTtlDays: e.UNMATCHED_TTL_DAYS,
    logLevel: e.LOG_LEVEL,
    demo,
    textFilter: e.TEXT_FILTER,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    timeZone: e.TIMEZONE,
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
        ? {
            issuer: e.OIDC_ISSUER,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET,
            admins: e.OIDC_ADMINS.map((admin) => admin.toLowerCase()),
            sessionTtlMs: e.OIDC_SESSION_TTL,
          }
        : undefined,
    trustProxy: e.TRUST_PROXY,
  };
}
