/**
 * Typeform webhooks (https://www.typeform.com/developers/webhooks/): the `form_response` event,
 * signed with `Typeform-Signature: sha256=<base64 HMAC-SHA256 of the raw body>` under the
 * source's secret, else TYPEFORM_SECRET. Answers name their field by id and sometimes ref; a
 * field without a ref is looked up in `definition.fields`. Typeform redelivers for up to 10 hours
 * with the same event_id and the same response token.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { idSchema } from '../../../shared/schemas.js';
import { InvalidSignatureError, invalidInput, MalformedJsonError } from '../errors.js';
import { addField, answerFrom, MAX_ANSWERS, normalizeTime } from './fields.js';
import type { Delivery, PlatformAdapter, SourceLookup } from './platform.js';

const fieldRefSchema = z.object({ id: z.string().min(1), ref: z.string().nullish(), type: z.string().nullish() });

const answerSchema = z.looseObject({ type: z.string(), field: fieldRefSchema });
type TypeformAnswer = z.infer<typeof answerSchema>;

const formResponseEventSchema = z.object({
  event_id: z.string().min(1).max(200),
  event_type: z.literal('form_response'),
  form_response: z.object({
    form_id: z.string().min(1).max(200),
    token: z.string().min(1).max(200),
    submitted_at: z.string().nullish(),
    hidden: z.record(z.string(), z.unknown()).nullish(),
    variables: z.array(z.looseObject({ key: z.string(), type: z.string() })).nullish(),
    calculated: z.looseObject({ score: z.number().nullish() }).nullish(),
    definition: z.looseObject({ fields: z.array(z.looseObject(fieldRefSchema.shape)).nullish() }).nullish(),
    // Typeform sends null for a response without answers.
    answers: z.array(answerSchema).nullish(),
  }),
});

/** Whether `header` is `sha256=<base64 HMAC-SHA256 of body under secret>`, compared in constant time. */
export function typeformSignatureMatches(body: Buffer, header: string, secret: string): boolean {
  const match = /^sha256=([A-Za-z0-9+/]+={0,2})$/.exec(header.trim());
  if (!match) return false;
  const given = Buffer.from(match[1] as string, 'base64');
  const expected = createHmac('sha256', secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The value of one answer, by its documented type; payment keeps only the amount (never name or card digits). */
function answerValue(answer: TypeformAnswer): unknown {
  switch (answer.type) {
    case 'choice': {
      const choice = answer.choice as { label?: string; other?: string } | undefined;
      return choice?.other ?? choice?.label;
    }
    case 'choices': {
      const choices = answer.choices as { labels?: string[]; other?: string } | undefined;
      return [...(choices?.labels ?? []), ...(choices?.other ? [choices.other] : [])];
    }
    case 'payment':
      return (answer.payment as { amount?: string } | undefined)?.amount;
    default:
      // text, email, url, file_url, phone_number and date carry a string; number a number; boolean a boolean.
      return answer[answer.type];
  }
}

export class TypeformAdapter implements PlatformAdapter {
  readonly platform = 'typeform' as const;

  constructor(private readonly defaultSecret: string | undefined) {}

  async receive(body: Buffer, headers: IncomingHttpHeaders, findSource: SourceLookup): Promise<Delivery> {
    const header = headers['typeform-signature'];
    if (typeof header !== 'string' || header === '') throw new InvalidSignatureError('Missing header: Typeform-Signature');

    // The secret depends on the form, so the form id is read before the signature is checked;
    // nothing else of an unverified body is used, and a parse error is reported only once it is verified.
    let json: unknown;
    let parseError: Error | undefined;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch (error) {
      parseError = error as Error;
    }
    const formId = (json as { form_response?: { form_id?: unknown } } | undefined)?.form_response?.form_id;
    const match = typeof formId === 'string' && formId !== '' ? await findSource(formId) : undefined;
    const secret = match?.source.secret ?? this.defaultSecret;
    if (!secret) {
      throw new InvalidSignatureError(`No secret verifies Typeform form "${String(formId ?? '')}": give its source a secret, or set TYPEFORM_SECRET`);
    }
    if (!typeformSignatureMatches(body, header, secret)) {
      throw new InvalidSignatureError(`Typeform-Signature does not match the body under the ${match?.source.secret ? "source's secret" : 'TYPEFORM_SECRET'}`);
    }
    if (parseError) throw new MalformedJsonError(`The body is not valid JSON: ${parseError.message}`);

    if ((json as { event_type?: unknown })?.event_type !== 'form_response') return { kind: 'ignored' };
    const parsed = formResponseEventSchema.safeParse(json);
    if (!parsed.success) throw invalidInput(parsed.error);
    const { event_id: eventId, form_response: response } = parsed.data;

    const refsById = new Map((response.definition?.fields ?? []).map((field) => [field.id, field.ref ?? undefined]));
    const answers = (response.answers ?? [])
      .map((answer) => answerFrom(questionIdOf(answer, refsById), answerValue(answer)))
      .filter((answer) => answer !== undefined)
      .slice(0, MAX_ANSWERS);

    // Hidden fields first, then variables (and the calculated score): where areaFrom and channelFrom look.
    // Field names are the sender's: a null-prototype object keeps `constructor` or `__proto__` plain data.
    const fields: Record<string, string> = Object.create(null);
    for (const [name, value] of Object.entries(response.hidden ?? {})) addField(fields, name, value);
    for (const variable of response.variables ?? []) addField(fields, variable.key, variable[variable.type]);
    addField(fields, 'score', response.calculated?.score);

    return {
      kind: 'response',
      externalId: response.form_id,
      match,
      responseId: response.token,
      submittedAt: normalizeTime(response.submitted_at),
      answers,
      fields,
      complete: true,
      deliveryKey: `typeform:${eventId}`,
    };
  }
}

/** A question id: the field's ref (its own, else from definition.fields), else its id. */
function questionIdOf(answer: TypeformAnswer, refsById: Map<string, string | undefined>): string {
  const ref = answer.field.ref ?? refsById.get(answer.field.id);
  return ref && idSchema.safeParse(ref).success ? ref : answer.field.id;
}
