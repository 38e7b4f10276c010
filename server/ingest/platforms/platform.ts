/**
 * What a survey platform's adapter is: one small file that verifies a delivery and says what it
 * is. Everything after that (source mapping, pending partial responses, deduplication, ingest,
 * the answer) is shared, in platform-route.ts.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Answer, Source, SourcePlatform, Survey } from '../../../shared/schemas.js';

/** The survey whose `sources` name a platform id, and that source. */
export interface SourceMatch {
  survey: Survey;
  source: Source;
}

export type SourceLookup = (externalId: string) => Promise<SourceMatch | undefined>;

/** A platform's response, translated but not yet mapped to a survey's areas and channels. */
export interface PlatformResponse {
  /** The platform's survey or form id, as sources name it. */
  externalId: string;
  /** The survey that names externalId, when one does (else the response is kept unmatched). */
  match: SourceMatch | undefined;
  /** The platform's id of the response: one response is counted once, whatever arrives. */
  responseId: string;
  /** When the respondent submitted (ISO 8601), for the timeline. */
  submittedAt: string | undefined;
  /** Answers by the platform's question ids. */
  answers: Answer[];
  /** Hidden fields, variables and metadata by name: where `areaFrom` and `channelFrom` look. */
  fields: Record<string, string>;
  /** The platform says the response is complete (Formbricks: finished; Typeform: always). */
  complete: boolean;
  /** A key naming this delivery, when the platform redelivers with one (Typeform's event_id). */
  deliveryKey?: string;
}

/** What one delivery is. */
export type Delivery =
  /** The platform checking the URL: answered 200 { status: "ok" }. */
  | { kind: 'ping' }
  /** An event survey-live has no use for: answered 200 { status: "ignored" }. */
  | { kind: 'ignored' }
  | ({ kind: 'response' } & PlatformResponse);

export interface PlatformAdapter {
  readonly platform: SourcePlatform;
  /**
   * Verifies one delivery and says what it is. Throws InvalidSignatureError when the signature is
   * missing or wrong, MalformedJsonError or InvalidInputError for a body that is not what the platform documents.
   */
  receive(body: Buffer, headers: IncomingHttpHeaders, findSource: SourceLookup): Promise<Delivery>;
}

/** Where a platform delivers: POST /api/v1/webhooks/<platform>. */
export const platformPath = (platform: SourcePlatform) => `/api/v1/webhooks/${platform}`;
