/**
 * The one description of survey-live's data, shared by server and widget.
 * Zod schemas validate what crosses a trust boundary (webhooks, admin input);
 * types are inferred from them so the two can never drift apart.
 */
import { z } from 'zod';
import { DAY_MS, HOUR_MS, MINUTE_MS, READ_SCOPES, type ReadScope, UNASSIGNED_AREA_ID } from './constants.js';

/** Ids appear in URLs, Redis keys and room names: a safe alphabet without ':' (the key separator). */
export const idSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must start with a letter or digit and use only letters, digits, ".", "_" and "-"');

const isoDateTime = z.iso.datetime({ offset: true });

export const areaSchema = z.object({
  id: idSchema,
  name: z.string().min(1).max(200),
  /** Surveys handed out in this area: the denominator of its response rate. */
  distributed: z.number().int().min(0).max(10_000_000),
  /** This area's response-rate goal, 0..1; the survey's `target` when left out. */
  target: z.number().min(0).max(1).optional(),
});

export const indexSchema = z
  .object({
    id: idSchema,
    name: z.string().min(1).max(200),
    questions: z.array(idSchema).min(1).max(100),
    /** The answer scale, e.g. [1, 5]; answers are mapped from it to 0–100. */
    scale: z.tuple([z.number().min(-1e6).max(1e6), z.number().min(-1e6).max(1e6)]),
  })
  .refine((index) => index.scale[0] < index.scale[1], { message: 'scale must be [min, max] with min < max', path: ['scale'] });

/** Survey platforms whose webhooks survey-live understands (server/ingest/platforms/). */
export const SOURCE_PLATFORMS = ['formbricks', 'typeform'] as const;
export type SourcePlatform = (typeof SOURCE_PLATFORMS)[number];

/** Where a platform's field is read from: a hidden field, a variable, or `meta.<key>`. */
const fieldNameSchema = z.string().min(1).max(100);

/** One platform survey (or form) whose responses count for this survey. */
export const sourceSchema = z
  .object({
    platform: z.enum(SOURCE_PLATFORMS),
    /** The platform's id of the survey or form: Formbricks' survey id, Typeform's form id. */
    externalId: z
      .string()
      .min(1)
      .max(80)
      .regex(/^[A-Za-z0-9_-]+$/, 'must be the platform\'s survey or form id (letters, digits, "_" and "-")'),
    /** The hidden field (or variable) that carries the area; default "area". */
    areaFrom: fieldNameSchema.optional(),
    /** The hidden field (or variable) that carries the channel; default "channel". */
    channelFrom: fieldNameSchema.optional(),
    /** When a response counts: when the platform creates it, or only once it is finished (the default). */
    countWhen: z.enum(['created', 'finished']).optional(),
    /** Typeform's webhook secret for this form; TYPEFORM_SECRET when left out. Formbricks uses WEBHOOK_SECRETS. */
    secret: z.string().min(16, 'must be at least 16 characters').max(500).optional(),
  })
  .strict()
  .superRefine((source, ctx) => {
    if (source.secret !== undefined && source.platform === 'formbricks') {
      ctx.addIssue({ code: 'custom', message: 'Formbricks requests are verified with WEBHOOK_SECRETS, not a per-source secret', path: ['secret'] });
    }
  });

export const surveySchema = z
  .object({
    id: idSchema,
    name: z.string().min(1).max(200),
    /** Response-rate goal, 0..1. */
    target: z.number().min(0).max(1),
    areas: z.array(areaSchema).max(1000).default([]),
    opensAt: isoDateTime.optional(),
    closesAt: isoDateTime.optional(),
    /** Question ids whose answers are free text. */
    textQuestions: z.array(idSchema).max(100).default([]),
    indexes: z.array(indexSchema).max(50).default([]),
    /**
     * The channels counted by name; any other counts as "other". Channels reach every widget,
     * and a platform's channel comes from a URL a respondent can edit: no free-form values.
     */
    channels: z
      .array(z.string().regex(/^[a-z0-9_-]{1,40}$/, 'must be lower-case letters, digits, "_" or "-"'))
      .max(30)
      .optional(),
    /** Platform surveys whose webhooks count here; one platform id belongs to one survey. */
    sources: z.array(sourceSchema).max(20).default([]),
    /** An earlier campaign in the store (usually closed) that snapshots compare with; areas match by id. */
    compareTo: idSchema.optional(),
  })
  .superRefine((survey, ctx) => {
    const seen = new Set<string>();
    survey.areas.forEach((area, i) => {
      if (area.id === UNASSIGNED_AREA_ID) {
        ctx.addIssue({ code: 'custom', message: `area id "${UNASSIGNED_AREA_ID}" is reserved`, path: ['areas', i, 'id'] });
      }
      if (seen.has(area.id)) ctx.addIssue({ code: 'custom', message: `duplicate area id "${area.id}"`, path: ['areas', i, 'id'] });
      seen.add(area.id);
    });
    const indexIds = new Set<string>();
    survey.indexes.forEach((index, i) => {
      if (indexIds.has(index.id)) ctx.addIssue({ code: 'custom', message: `duplicate index id "${index.id}"`, path: ['indexes', i, 'id'] });
      indexIds.add(index.id);
    });
    const sourceKeys = new Set<string>();
    survey.sources.forEach((source, i) => {
      const key = `${source.platform}:${source.externalId}`;
      if (sourceKeys.has(key)) ctx.addIssue({ code: 'custom', message: `duplicate source ${source.platform} "${source.externalId}"`, path: ['sources', i] });
      sourceKeys.add(key);
    });
    if (survey.compareTo === survey.id) ctx.addIssue({ code: 'custom', message: 'a survey cannot compare with itself', path: ['compareTo'] });
    if (survey.opensAt && survey.closesAt && Date.parse(survey.opensAt) > Date.parse(survey.closesAt)) {
      ctx.addIssue({ code: 'custom', message: 'closesAt must not be before opensAt', path: ['closesAt'] });
    }
  });

export type Area = z.infer<typeof areaSchema>;
export type SurveyIndex = z.infer<typeof indexSchema>;
export type Survey = z.infer<typeof surveySchema>;
export type Source = z.infer<typeof sourceSchema>;
/** What an admin sends: defaults (areas, textQuestions, indexes, sources) may be left out. */
export type SurveyInput = z.input<typeof surveySchema>;

/** Channels counted by name when a survey lists none of its own (English and Swedish). */
export const DEFAULT_CHANNELS = [
  'door',
  'phone',
  'mail',
  'web',
  'paper',
  'email',
  'sms',
  'link',
  'kiosk',
  'dorr',
  'telefon',
  'post',
  'brev',
  'webb',
  'papper',
  'epost',
];

// Constants the widget needs too live in a zod-free module; re-exported for server code.
export { DAY_MS, HOUR_MS, MINUTE_MS, READ_SCOPES, type ReadScope, UNASSIGNED_AREA_ID };

export const MAX_TEXT_LENGTH = 5000;

/**
 * Replaces lone UTF-16 surrogates (half an emoji, from a sender that cut a string) with U+FFFD:
 * JavaScript keeps them, but Redis's JSON decoder refuses them, and one such string would make
 * every later edit of its survey's texts fail.
 */
function wellFormed(text: string): string {
  return text.toWellFormed();
}

export const answerSchema = z
  .object({
    questionId: idSchema,
    value: z.number().finite().optional(),
    text: z.string().max(MAX_TEXT_LENGTH).transform(wellFormed).optional(),
  })
  .strict();

export const responseDataSchema = z.object({
  responseId: z.string().min(1).max(200).transform(wellFormed),
  surveyId: idSchema,
  areaId: idSchema.optional(),
  /** How the response was collected: door, phone, mail, web, paper, … */
  channel: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[a-z0-9_-]+$/, 'must be lower-case letters, digits, "_" or "-" (e.g. door, phone, mail, web, paper)')
    .optional(),
  submittedAt: isoDateTime.optional(),
  answers: z.array(answerSchema).max(500),
});

export const responseWebhookSchema = z.object({
  type: z.literal('response.created'),
  timestamp: isoDateTime,
  data: responseDataSchema,
});

export type Answer = z.infer<typeof answerSchema>;
export type ResponseData = z.infer<typeof responseDataSchema>;
export type ResponseWebhook = z.infer<typeof responseWebhookSchema>;

/** Outcome of one ingested response, as the webhook answers it. */
/** `late`: received after the survey's closesAt; kept and counted in `late`, not in `responses`. */
export type IngestStatus = 'accepted' | 'duplicate' | 'unmatched' | 'late';

// ---- Campaign history: reminder rounds and earlier campaigns ----------------

/** What a reminder round was: door-knocking, phone calls, letters, texts, e-mails. */
export const EVENT_KINDS = ['door', 'phone', 'letter', 'sms', 'email', 'other'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** POST /api/v1/surveys/:id/events: a reminder round, drawn as a marker on the timelines. */
export const surveyEventInputSchema = z
  .object({
    at: isoDateTime,
    kind: z.enum(EVENT_KINDS),
    label: z.string().trim().min(1).max(120).transform(wellFormed),
    /** The areas the round covered; all areas when left out. */
    areaIds: z.array(idSchema).min(1).max(1000).optional(),
  })
  .strict();
export type SurveyEventInput = z.infer<typeof surveyEventInputSchema>;

// ---- What widgets see ------------------------------------------------------

/** A reminder round as snapshots carry it (markers); GET …/events adds its effect. */
export interface SurveyEvent {
  id: string;
  at: string;
  kind: EventKind;
  label: string;
  areaIds?: string[];
}

/** A reminder round with the responses in the 48 hours before and after it, in the areas it named. */
export interface SurveyEventWithEffect extends SurveyEvent {
  effect: { before: number; after: number };
}

/** One calendar day (in TIMEZONE) of GET …/daily; quiet days are included with 0. */
export interface DailyPoint {
  /** YYYY-MM-DD in TIMEZONE. */
  date: string;
  responses: number;
  cumulative: number;
  /** cumulative / the hand-out count in force that day; null when nothing was handed out. */
  cumulativeRate: number | null;
  areas: Record<string, { responses: number; cumulative: number }>;
}

/** GET /api/v1/surveys/:id/daily. */
export interface DailySeries {
  surveyId: string;
  timezone: string;
  days: DailyPoint[];
  /** The compareTo survey's curve, by whole days since its own opensAt, for a second line. */
  previous?: { surveyId: string; name: string; days: { day: number; date: string; cumulativeRate: number | null }[] };
}

/** This campaign against the earlier one it names in compareTo. */
export interface Comparison {
  surveyId: string;
  name: string;
  /** Whole days since this survey's opensAt (elapsed / 24 h, rounded down). */
  day: number;
  /** The earlier survey at the same day since its own opensAt. */
  sameDay: { responses: number; responseRate: number | null };
  final: { responses: number; responseRate: number | null };
  areas: { id: string; sameDayRate: number | null; finalRate: number | null }[];
}

export interface IndexValue {
  /** Mean over responses, 0–100; null when no response answered the index. */
  value: number | null;
  /** Responses that answered at least one of the index's questions. */
  n: number;
}

export interface AreaStats {
  id: string;
  name: string;
  distributed: number;
  responses: number;
  /** responses / distributed; null when nothing was handed out there. */
  responseRate: number | null;
  indexes: Record<string, IndexValue>;
  /** The area's own target, else the survey's. */
  target: number;
  /** Responses received after closesAt, kept and not counted (yet). */
  late: number;
  /** Responses by channel, the same shape as the survey's `channels`. */
  channels: Record<string, number>;
  pace: Pace;
}

/** Before opensAt, between opensAt and closesAt, after closesAt; "open" without dates. */
export type SurveyState = 'scheduled' | 'open' | 'closed';

/**
 * Where the survey (or an area) is heading, from a straight line through the last three days
 * (server/store/pace.ts; the method and its limits are in the README).
 */
export interface Pace {
  /** Response-rate goal, 0..1. */
  target: number;
  /** ceil(target × distributed). */
  targetResponses: number;
  /** max(0, targetResponses − responses). */
  needed: number;
  /** Days until closesAt, fractional, ≥ 0; null without closesAt. */
  daysLeft: number | null;
  /** needed / daysLeft; 0 when nothing is needed; null without closesAt or once closed. */
  neededPerDay: number | null;
  /** Responses per day over the last 72 hours (or since opensAt, if shorter). */
  recentPerDay: number;
  /** responses + recentPerDay × daysLeft; responses when closed or without closesAt. */
  forecastResponses: number;
  /** forecastResponses / distributed, at most 1; null when nothing was handed out. */
  forecastRate: number | null;
  /** forecastResponses ≥ targetResponses. */
  onTrack: boolean;
}

export interface TimeBucket {
  /** Bucket start, ISO 8601. */
  t: string;
  responses: number;
}

/** Aggregates of one survey: the same shape over REST and the socket. */
export interface SurveySnapshot {
  surveyId: string;
  name: string;
  target: number;
  distributed: number;
  responses: number;
  responseRate: number | null;
  areas: AreaStats[];
  channels: Record<string, number>;
  /** Hourly buckets over the survey's life. */
  timeline: TimeBucket[];
  /** Minute buckets of the last 60 minutes. */
  recent: TimeBucket[];
  indexes: Record<string, IndexValue>;
  /** Areas with fewer responses than this hide their index values and are not named on free text. */
  minGroupSize: number;
  /** ISO time of the newest response counted, or of the snapshot when there are none. */
  updatedAt: string;
  state: SurveyState;
  opensAt?: string;
  closesAt?: string;
  /** Responses received after closesAt: kept, never in `responses` or a rate, until a later closesAt reopens the survey. */
  late: number;
  pace: Pace;
  /** Area ids, most behind their target first (see GET /api/v1/surveys/:id/call-list). */
  callList: string[];
  /** Index id -> its name, for widgets that show an index. */
  indexNames: Record<string, string>;
  /** Reminder rounds, oldest first (markers on the timelines). */
  events: SurveyEvent[];
  /** Set when the survey names compareTo and that survey is in the store. */
  comparison?: Comparison;
}

/** A free-text answer as widgets and read-token holders see it: nothing identifies the respondent. */
export interface TextAnswer {
  id: string;
  surveyId: string;
  /** Left out when the area has fewer than MIN_GROUP_SIZE responses: it could point at one household. */
  areaId?: string;
  questionId: string;
  text: string;
  receivedAt: string;
}

/** RFC 9457 problem details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: { path: string; message: string }[];
}
