/** The admin API calls the admin page makes: with the admin token (session storage) or the sign-in session's cookie and CSRF token. */
import type { AuditEntry, HistoryImportResult, TokenRecord } from '../../shared/admin.js';
import type { ReadScope } from '../../shared/constants.js';
import type { Survey, SurveyEvent, SurveyEventWithEffect, TextAnswer } from '../../shared/schemas.js';

export type { ReadScope };

/** The token is wrong, or the session ended: the page asks to sign in again. */
export class Unauthorized extends Error {}

/** A refused request: the problem's detail, and its field errors (`path` as the schema names it). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly errors: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export type Auth = { kind: 'token'; token: string } | { kind: 'session'; csrf: string; email: string };

export type { AuditEntry, TokenRecord };

export interface HandOutResult {
  applied: boolean;
  distributed: { before: number; after: number };
  changed: { line: number; areaId: string; name: string; before: number; after: number; created: boolean }[];
  unchanged: string[];
}

/** A download the page saves: the file's name and its bytes. */
export interface Download {
  name: string;
  blob: Blob;
}

export interface UnmatchedResponse {
  data: { responseId: string; surveyId: string; areaId?: string };
  receivedAt: string;
}

export type AdminText = TextAnswer & { status: 'pending' | 'approved' | 'shown'; areaId: string };

/** Where the session of the organisation's sign-in is, when there is one. */
export async function currentSession(root: string): Promise<Auth | undefined> {
  const res = await fetch(new URL('api/v1/session', root), { credentials: 'same-origin', cache: 'no-store' });
  if (!res.ok) return undefined;
  const { csrf, email } = (await res.json()) as { csrf: string; email: string };
  return { kind: 'session', csrf, email };
}

export class AdminApi {
  constructor(
    private readonly root: string,
    readonly auth: Auth,
  ) {}

  /** A request with the page's sign-in; a refusal throws Unauthorized (401) or ApiError (the problem's detail). */
  async #fetch(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Response> {
    const headers: Record<string, string> = this.auth.kind === 'token' ? { Authorization: `Bearer ${this.auth.token}` } : { 'X-CSRF-Token': this.auth.csrf };
    if (body !== undefined) headers['Content-Type'] = contentType;
    const res = await fetch(new URL(`api/v1/${path}`, this.root), {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      cache: 'no-store',
    });
    if (res.status === 401) throw new Unauthorized('unauthorized');
    if (!res.ok) {
      const json = await res.json().catch(() => ({}));
      throw new ApiError(json.detail ?? json.title ?? `HTTP ${res.status}`, json.errors ?? []);
    }
    return res;
  }

  async #call<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const res = await this.#fetch(method, path, body, contentType);
    if (res.status === 204) return undefined as T;
    return (await res.json().catch(() => ({}))) as T;
  }

  async surveys(): Promise<Survey[]> {
    return (await this.#call<{ surveys: Survey[] }>('GET', 'surveys')).surveys;
  }

  putSurvey(survey: unknown, id: string): Promise<Survey> {
    return this.#call('PUT', `surveys/${encodeURIComponent(id)}`, survey);
  }

  deleteSurvey(id: string): Promise<void> {
    return this.#call('DELETE', `surveys/${encodeURIComponent(id)}`);
  }

  handOuts(surveyId: string, csv: string, mode: 'set' | 'add', dryRun: boolean): Promise<HandOutResult> {
    const query = new URLSearchParams({ mode, dryRun: String(dryRun), createAreas: 'true' });
    return this.#call('POST', `surveys/${encodeURIComponent(surveyId)}/distribution?${query}`, csv, 'text/csv; charset=utf-8');
  }

  async events(surveyId: string): Promise<SurveyEventWithEffect[]> {
    return (await this.#call<{ events: SurveyEventWithEffect[] }>('GET', `surveys/${encodeURIComponent(surveyId)}/events`)).events;
  }

  /** `event` as typed in the form: the server's schema (SurveyEventInput) checks it. */
  addEvent(surveyId: string, event: unknown): Promise<SurveyEvent> {
    return this.#call('POST', `surveys/${encodeURIComponent(surveyId)}/events`, event);
  }

  deleteEvent(surveyId: string, eventId: string): Promise<void> {
    return this.#call('DELETE', `surveys/${encodeURIComponent(surveyId)}/events/${encodeURIComponent(eventId)}`);
  }

  importHistory(surveyId: string, csv: string): Promise<HistoryImportResult> {
    return this.#call('POST', `surveys/${encodeURIComponent(surveyId)}/history`, csv, 'text/csv; charset=utf-8');
  }

  /** The survey's spreadsheet export (by area or by day, Swedish or English), named as the server names it. */
  async exportCsv(surveyId: string, by: 'area' | 'day', locale: 'sv' | 'en'): Promise<Download> {
    const res = await this.#fetch('GET', `surveys/${encodeURIComponent(surveyId)}/export.csv?${new URLSearchParams({ by, locale })}`);
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `${surveyId}.csv`;
    return { name, blob: await res.blob() };
  }

  mint(surveyId: string, scopes: ReadScope[], expiresIn: string, label: string, areaIds?: string[]): Promise<{ id: string; token: string; expiresAt: string }> {
    return this.#call('POST', 'tokens', { surveyId, scopes, expiresIn, label, ...(areaIds && areaIds.length > 0 ? { areaIds } : {}) });
  }

  async tokens(surveyId: string): Promise<TokenRecord[]> {
    return (await this.#call<{ tokens: TokenRecord[] }>('GET', `tokens?surveyId=${encodeURIComponent(surveyId)}`)).tokens;
  }

  revoke(id: string): Promise<void> {
    return this.#call('DELETE', `tokens/${encodeURIComponent(id)}`);
  }

  async pending(surveyId: string): Promise<TextAnswer[]> {
    return (await this.#call<{ texts: TextAnswer[] }>('GET', `surveys/${encodeURIComponent(surveyId)}/texts/pending`)).texts;
  }

  async recentTexts(surveyId: string): Promise<AdminText[]> {
    return (await this.#call<{ texts: AdminText[] }>('GET', `surveys/${encodeURIComponent(surveyId)}/texts/recent`)).texts;
  }

  async decide(textId: string, decision: 'approve' | 'reject'): Promise<void> {
    await this.#call('POST', `texts/${encodeURIComponent(textId)}/${decision}`);
  }

  takeDown(textId: string): Promise<void> {
    return this.#call('DELETE', `texts/${encodeURIComponent(textId)}`);
  }

  erase(surveyId: string, responseId: string): Promise<{ removedTexts: number; removedUnmatched: boolean }> {
    return this.#call('DELETE', `surveys/${encodeURIComponent(surveyId)}/responses/${encodeURIComponent(responseId)}`);
  }

  async unmatched(): Promise<UnmatchedResponse[]> {
    return (await this.#call<{ responses: UnmatchedResponse[] }>('GET', 'unmatched')).responses;
  }

  replay(): Promise<{ replayed: number; duplicate: number; late: number; stillUnmatched: number }> {
    return this.#call('POST', 'unmatched/replay');
  }

  async audit(filter: { surveyId?: string; action?: string }): Promise<AuditEntry[]> {
    const query = new URLSearchParams({ limit: '200' });
    if (filter.surveyId) query.set('surveyId', filter.surveyId);
    if (filter.action) query.set('action', filter.action);
    return (await this.#call<{ entries: AuditEntry[] }>('GET', `audit?${query}`)).entries;
  }

  async signOut(): Promise<void> {
    if (this.auth.kind !== 'session') return;
    await fetch(new URL('auth/logout', this.root), { method: 'POST', headers: { 'X-CSRF-Token': this.auth.csrf }, credentials: 'same-origin' });
  }
}
