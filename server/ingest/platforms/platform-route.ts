/**
 * The route every platform adapter shares: verify and translate (the adapter), map the
 * platform's fields to the survey's area and channel, keep a response that does not count yet,
 * count one that does through ResponseIngest (the native webhook's path), answer.
 */
import { type ResponseData, responseDataSchema } from '../../../shared/schemas.js';
import { redactAnswers } from '../../privacy/redact.js';
import { mergePending, type ResponseStore } from '../../store/response-store.js';
import { withoutOutOfScaleValues } from '../count-response.js';
import { InvalidInputError, invalidInput } from '../errors.js';
import type { ResponseIngest } from '../response-ingest.js';
import type { ReceiveStatus, WebhookReceiver } from '../webhook-handler.js';
import { normalizeChannel, resolveAreaId } from './fields.js';
import type { PlatformAdapter, PlatformResponse } from './platform.js';
import { findSource, unmatchedSurveyId } from './sources.js';

/** A response that never finishes is forgotten a week after its last event. */
export const PENDING_TTL_MS = 7 * 24 * 3_600_000;
/** Typeform retries for up to 10 hours: a delivery is remembered for a day. */
export const DELIVERY_TTL_MS = 24 * 3_600_000;

export type PlatformStatus = ReceiveStatus;

export interface PlatformRouteDeps {
  store: ResponseStore;
  ingest: ResponseIngest;
}

/** The receiver of one platform's deliveries (the HTTP edge serves it at platformPath(platform)). */
export function createPlatformRoute(adapter: PlatformAdapter, deps: PlatformRouteDeps): WebhookReceiver {
  const { store, ingest } = deps;
  const { platform } = adapter;
  return async (body, headers) => {
    const receivedAt = Date.now();
    const delivery = await adapter.receive(body, headers, (externalId) => findSource(store, platform, externalId));
    if (delivery.kind === 'ping') return 'ok';
    if (delivery.kind === 'ignored') return 'ignored';
    if (delivery.deliveryKey && (await store.hasDelivery(delivery.deliveryKey))) return 'duplicate';

    // Redacted before it is kept anywhere, remembered partial responses included; with the
    // survey's text questions and area names when a survey names it (an area may bear a name).
    const data = redactAnswers(toResponseData(delivery, platform), delivery.match?.survey);
    const counts = delivery.complete || delivery.match?.source.countWhen === 'created';
    let status: PlatformStatus;
    if (!counts) {
      // Not counted yet, but remembered: its answers are there when the response counts.
      status = (await store.keepPending(data, PENDING_TTL_MS)) === 'counted' ? 'duplicate' : 'ignored';
    } else {
      const pending = await store.getPending(data.surveyId, data.responseId);
      status = await ingest.ingest(pending ? mergePending(pending, data) : data, receivedAt);
      if (pending) await store.removePending(data.surveyId, data.responseId);
    }
    // Only after the response is stored: a redelivery after a failure must be counted, not skipped.
    if (delivery.deliveryKey) await store.rememberDelivery(delivery.deliveryKey, DELIVERY_TTL_MS);
    return status;
  };
}

/** Maps a platform response to the survey it belongs to (or keeps it under its platform id) and checks the result. */
function toResponseData(response: PlatformResponse, platform: PlatformAdapter['platform']): ResponseData {
  const { match, fields } = response;
  if (!match && !/^[A-Za-z0-9_-]{1,80}$/.test(response.externalId)) {
    throw new InvalidInputError(`"${response.externalId.slice(0, 100)}" is not a ${platform} survey id`);
  }
  const areaId = resolveAreaId(fields[match?.source.areaFrom ?? 'area'], match?.survey.areas ?? []);
  const channel = normalizeChannel(fields[match?.source.channelFrom ?? 'channel']);
  const data: ResponseData = {
    responseId: response.responseId,
    surveyId: match?.survey.id ?? unmatchedSurveyId(platform, response.externalId),
    ...(areaId === undefined ? {} : { areaId }),
    ...(channel === undefined ? {} : { channel }),
    ...(response.submittedAt === undefined ? {} : { submittedAt: response.submittedAt }),
    answers: response.answers,
  };
  const checked = responseDataSchema.safeParse(data);
  if (!checked.success) throw invalidInput(checked.error);
  return match ? withoutOutOfScaleValues(match.survey, checked.data) : checked.data;
}
