/**
 * Every Socket.IO event of the `/live` namespace, declared once for server and widget.
 * Event names are `entity:verb`; acks are `{ ok: true, … } | { ok: false, error }`.
 */
import type { SurveySnapshot, TextAnswer } from './schemas.js';

export const LIVE_NAMESPACE = '/live';

/** Why a subscription was refused; widgets translate the code into words. */
export type LiveErrorCode = 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'unavailable';

export interface LiveError {
  code: LiveErrorCode;
  /** English, for logs and developers; widgets show their own translated words. */
  message: string;
}

export interface SubscribeRequest {
  surveyId: string;
  /** A read token for this survey; falls back to the handshake's `auth.token`. */
  token?: string;
  /** Also stream free-text answers (needs the token's `text` scope). */
  texts?: boolean;
}

export type SubscribeAck = { ok: true; snapshot: SurveySnapshot; texts?: TextAnswer[] } | { ok: false; error: LiveError };

export interface ServerToClientEvents {
  /** The survey's full snapshot, coalesced to at most one every STATS_INTERVAL_MS. */
  'survey:stats': (snapshot: SurveySnapshot) => void;
  /** One new free-text answer (only to subscribers with the `text` scope who asked for texts). */
  'text:created': (text: TextAnswer) => void;
  /** A free-text answer that was shown and is now deleted: remove it from every feed. */
  'text:removed': (removed: { id: string; surveyId: string }) => void;
  /**
   * A token this socket subscribed to the survey with has expired: the socket was taken out of
   * the survey's rooms. Subscribe again with each token; the valid ones get back in.
   */
  'survey:expired': (expired: { surveyId: string }) => void;
  /**
   * The server's own health, on connect when it is not `ok` and at every change: with the store
   * `unavailable` the server is up but counts nothing new (webhooks get 503 and are retried by
   * their senders), so widgets say the figures may be behind.
   */
  'server:status': (status: ServerStatus) => void;
}

export interface ServerStatus {
  store: 'ok' | 'unavailable';
}

export interface ClientToServerEvents {
  'survey:subscribe': (request: SubscribeRequest, ack: (result: SubscribeAck) => void) => void;
  'survey:unsubscribe': (request: { surveyId: string }) => void;
}

/** Socket.IO handshake `auth`. */
export interface LiveHandshakeAuth {
  token?: string;
}
