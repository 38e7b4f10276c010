/**
 * Formbricks (https://formbricks.com) webhooks: Standard Webhooks signatures (verified with
 * WEBHOOK_SECRETS), a body `{ webhookId, event, data }` where `data` is the Formbricks response
 * (id, surveyId, finished, data by question id, variables, meta, createdAt, updatedAt), and the
 * events responseCreated, responseUpdated and responseFinished; `{ event: "testEndpoint" }` is
 * the ping Formbricks sends when a webhook is saved. Hidden fields are in `data`, by their id.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { InvalidSignatureError, invalidInput } from '../errors.js';
import type { SignatureVerifier } from '../signature.js';
import { parseJsonBody } from '../webhook-handler.js';
import { addField, addNestedFields, answerFrom, MAX_ANSWERS, normalizeTime } from './fields.js';
import type { Delivery, PlatformAdapter, SourceLookup } from './platform.js';

const RESPONSE_EVENTS = new Set(['responseCreated', 'responseUpdated', 'responseFinished']);

const envelopeSchema = z.object({ event: z.string().min(1).max(100) });

const responseSchema = z.object({
  id: z.string().min(1).max(200),
  surveyId: z.string().min(1).max(200),
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  finished: z.boolean().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
  variables: z.record(z.string(), z.unknown()).nullish(),
  meta: z.record(z.string(), z.unknown()).nullish(),
});
const responseEventSchema = z.object({ event: z.string(), data: responseSchema });

export class FormbricksAdapter implements PlatformAdapter {
  readonly platform = 'formbricks' as const;

  constructor(private readonly verifier: SignatureVerifier) {}

  async receive(body: Buffer, headers: IncomingHttpHeaders, findSource: SourceLookup): Promise<Delivery> {
    const signatureProblem = this.verifier.verify(body, headers);
    if (signatureProblem) throw new InvalidSignatureError(signatureProblem);
    const json = parseJsonBody(body);
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success) throw invalidInput(envelope.error);
    if (envelope.data.event === 'testEndpoint') return { kind: 'ping' };
    if (!RESPONSE_EVENTS.has(envelope.data.event)) return { kind: 'ignored' };

    const parsed = responseEventSchema.safeParse(json);
    if (!parsed.success) throw invalidInput(parsed.error);
    const { event, data: response } = parsed.data;

    // Hidden fields (in data), then variables, then metadata as meta.<key>: where areaFrom and channelFrom look.
    // Field names are the sender's: a null-prototype object keeps `constructor` or `__proto__` plain data.
    const fields: Record<string, string> = Object.create(null);
    for (const [name, value] of Object.entries(response.data ?? {})) addField(fields, name, value);
    for (const [name, value] of Object.entries(response.variables ?? {})) addField(fields, name, value);
    addNestedFields(fields, 'meta', response.meta);

    const answers = Object.entries(response.data ?? {})
      .map(([questionId, value]) => answerFrom(questionId, value))
      .filter((answer) => answer !== undefined)
      .slice(0, MAX_ANSWERS);

    return {
      kind: 'response',
      externalId: response.surveyId,
      match: await findSource(response.surveyId),
      responseId: response.id,
      // updatedAt is when this event happened: for responseFinished, when the respondent finished.
      submittedAt: normalizeTime(response.updatedAt ?? response.createdAt),
      answers,
      fields,
      complete: event === 'responseFinished' || response.finished === true,
    };
  }
}
