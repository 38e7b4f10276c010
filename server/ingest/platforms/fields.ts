/**
 * Turning a platform's values into survey-live's: answers, area ids and channels. A correctly
 * signed response is never refused for a value it carries: what cannot be used is left out.
 */
import { type Answer, type Area, idSchema, MAX_TEXT_LENGTH, UNASSIGNED_AREA_ID } from '../../../shared/schemas.js';

/** ResponseData takes at most this many answers (responseDataSchema). */
export const MAX_ANSWERS = 500;

// A number written as text, e.g. a choice labelled "4"; short, so that a phone number or an ID
// number written in digits never becomes a value, where redaction (which reads texts) would miss it.
const NUMBER_TEXT = /^-?\d{1,6}(?:[.,]\d{1,6})?$/;

const isId = (value: string) => idSchema.safeParse(value).success;

/**
 * One answer from a platform's value: numbers as `value`, words as `text` (a number written as
 * text is both, so a choice labelled "4" can feed an index), lists and records as one text.
 * Undefined for an empty value or a question id survey-live cannot name.
 */
export function answerFrom(questionId: string, raw: unknown): Answer | undefined {
  if (!isId(questionId)) return undefined;
  if (typeof raw === 'number') return Number.isFinite(raw) ? { questionId, value: raw } : undefined;
  if (typeof raw === 'boolean') return { questionId, value: raw ? 1 : 0 };
  const text = textOf(raw);
  if (text === undefined) return undefined;
  const answer: Answer = { questionId, text };
  if (NUMBER_TEXT.test(text)) answer.value = Number(text.replace(',', '.'));
  return answer;
}

function textOf(raw: unknown): string | undefined {
  let text: string | undefined;
  if (typeof raw === 'string') text = raw;
  else if (Array.isArray(raw)) text = raw.filter((item) => typeof item === 'string' || typeof item === 'number').join(', ');
  else if (raw && typeof raw === 'object') {
    text = Object.entries(raw)
      .filter(([, value]) => typeof value === 'string' || typeof value === 'number')
      .map(([key, value]) => `${key}: ${value}`)
      .join('; ');
  }
  const trimmed = text?.trim();
  // Cutting may split a surrogate pair: keep the string well-formed (see shared/schemas.ts).
  return trimmed ? trimmed.slice(0, MAX_TEXT_LENGTH).toWellFormed() : undefined;
}

/** Adds a hidden field, variable or metadata value under `name`, unless an earlier source already gave one. */
export function addField(fields: Record<string, string>, name: string, raw: unknown): void {
  if (Object.hasOwn(fields, name)) return;
  if (typeof raw === 'string' && raw.trim() !== '') fields[name] = raw.trim();
  else if (typeof raw === 'number' && Number.isFinite(raw)) fields[name] = String(raw);
}

/** Adds an object's values as `prefix.key` (one level of nesting, e.g. meta.userAgent.device). */
export function addNestedFields(fields: Record<string, string>, prefix: string, raw: unknown): void {
  if (!raw || typeof raw !== 'object') return;
  for (const [key, value] of Object.entries(raw)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, innerValue] of Object.entries(value)) addField(fields, `${prefix}.${key}.${inner}`, innerValue);
    } else addField(fields, `${prefix}.${key}`, value);
  }
}

const foldName = (name: string) => name.normalize('NFC').trim().toLocaleLowerCase('sv');

/**
 * An area id made from an area's name: "Södra området" -> "sodra-omradet". Hand-out lists that
 * create areas and platforms that send names both use it, so the two meet on the same id.
 */
export function areaIdFromName(name: string): string | undefined {
  const id = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|[-]+$/g, '')
    .slice(0, 100);
  return id && id !== UNASSIGNED_AREA_ID && isId(id) ? id : undefined;
}

/** The survey area a platform's value names, by id or by name (any case); else the value as an id of its own. */
export function resolveAreaId(raw: string | undefined, areas: readonly Area[]): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  const exact = areas.find((area) => area.id === value);
  if (exact) return exact.id;
  const folded = foldName(value);
  const named = areas.find((area) => foldName(area.name) === folded) ?? areas.find((area) => area.id.toLowerCase() === folded);
  if (named) return named.id;
  // Not (yet) an area of the survey: kept, so a response kept unmatched counts there if its survey defines it by replay.
  return isId(value) && value !== UNASSIGNED_AREA_ID ? value : areaIdFromName(value);
}

/** A channel as survey-live spells them (lower-case letters, digits, "_" and "-"), or undefined. */
export function normalizeChannel(raw: string | undefined): string | undefined {
  const channel = raw
    ?.normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/[^a-z0-9_-]/g, '')
    .slice(0, 40);
  return channel || undefined;
}

/** A platform's timestamp as ISO 8601, or undefined when it is not one: timestamps are data, never a reason to refuse. */
export function normalizeTime(raw: unknown): string | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const ms = typeof raw === 'number' ? raw : Date.parse(raw);
  // Past ±8.64e15 ms a Date is invalid and toISOString throws.
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : undefined;
}
