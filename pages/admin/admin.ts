/**
 * The admin page (/admin): everything a survey lead does, in Swedish (default) or English
 * (`?lang=en`). Sign-in with the organisation's account (OpenID Connect, when set up) or the
 * admin token (kept in the tab's session storage, never in a URL). Per survey: settings (areas
 * as an editable table; errors next to their field, from the API's own schema), the hand-out
 * list with a preview before it applies, the campaign (reminder rounds with their effect, an
 * earlier campaign's history imported, the CSV exports and the printable report), free text
 * (moderation, take-down, erasure), read tokens and embed snippets (area-scoped too), and the
 * audit log. Rendered with Lit's render().
 */
import { html, nothing, render, type TemplateResult } from 'lit';
import { AUDIT_ACTIONS, type HistoryImportResult } from '../../shared/admin.js';
import type { EventKind, Survey, SurveyEventWithEffect } from '../../shared/schemas.js';
import { serverRoot } from '../shared/read-token.js';
import {
  AdminApi,
  type AdminText,
  ApiError,
  type AuditEntry,
  type Auth,
  currentSession,
  type HandOutResult,
  type ReadScope,
  type TokenRecord,
  Unauthorized,
  type UnmatchedResponse,
} from './admin-api.js';
import { chosenFile, type LineError, lineErrorList } from './csv-upload.js';
import {
  boardUrl,
  type ElementChoice,
  type EmbedChoice,
  elementAttributes,
  elementTag,
  embedUrl,
  IFRAME_HEIGHTS,
  iframeSnippet,
  reportUrl,
  scriptSnippet,
} from './snippets.js';
import { type Lang, type WordKey, wordsFor } from './words.js';

const STORAGE_KEY = 'survey-live:admin-token';
const PENDING_EVERY_MS = 10_000;
const ROOT = serverRoot(import.meta.url);
const LANG: Lang = document.documentElement.lang === 'en' ? 'en' : 'sv';
const t = wordsFor(LANG);
const OIDC = document.body.dataset.oidc === '1';

const ELEMENTS: [ElementChoice, WordKey][] = [
  ['counter', 'elCounter'],
  ['areas', 'elAreas'],
  ['timeline', 'elTimeline'],
  ['timeline-day', 'elTimelineDay'],
  ['feed', 'elFeed'],
  ['pace', 'elPace'],
  ['call-list', 'elCallList'],
  ['index', 'elIndex'],
  ['index-areas', 'elIndexAreas'],
  ['channels', 'elChannels'],
];
const EXPIRIES: [string, string, string][] = [
  ['1d', '1 dag', '1 day'],
  ['7d', '7 dagar', '7 days'],
  ['30d', '30 dagar', '30 days'],
  ['90d', '90 dagar', '90 days'],
  ['1y', '1 år', '1 year'],
];

type Tab = 'settings' | 'handout' | 'campaign' | 'texts' | 'embed' | 'audit';
const TABS: [Tab, WordKey][] = [
  ['settings', 'tabSettings'],
  ['handout', 'tabHandOut'],
  ['campaign', 'tabCampaign'],
  ['texts', 'tabTexts'],
  ['embed', 'tabEmbed'],
  ['audit', 'tabAudit'],
];

/** The reminder rounds' kinds in the page's words, in the order the form offers them. */
const KINDS = {
  door: 'kindDoor',
  phone: 'kindPhone',
  letter: 'kindLetter',
  sms: 'kindSms',
  email: 'kindEmail',
  other: 'kindOther',
} as const satisfies Record<EventKind, WordKey>;

/** Line and column of a CSV's errors, in the page's words. */
const LINE_WORDS = { line: t('line'), column: t('column') };

/** Where the campaign tab's last result is told (each section has its own status region). */
type CampaignSection = 'rounds' | 'history' | 'downloads' | 'report';

interface Builder {
  element: ElementChoice;
  area: string;
  lang: Lang;
  theme: 'light' | 'dark' | 'auto';
  text: boolean;
  expiresIn: string;
  label: string;
  areaIds: string[];
}

interface Minted {
  surveyId: string;
  token: string;
  expiresAt: string;
  key: string;
}

interface AreaRow {
  id: string;
  name: string;
  distributed: string;
  /** The area's own target in percent; empty: the survey's. */
  target: string;
}

/** The survey form's fields as typed: strings until saved. */
interface Draft {
  isNew: boolean;
  id: string;
  name: string;
  target: string;
  opensAt: string;
  closesAt: string;
  areas: AreaRow[];
  textQuestions: string;
  channels: string;
  indexes: string;
  sources: string;
  /** The earlier campaign's survey id; empty for none. */
  compareTo: string;
}

const dateTime = new Intl.DateTimeFormat(LANG === 'en' ? 'en-GB' : 'sv-SE', { dateStyle: 'medium', timeStyle: 'short' });
const when = (iso: string) => dateTime.format(new Date(iso));
const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
/** datetime-local ⇄ ISO, in the browser's time zone. */
const toLocalInput = (iso: string | undefined) => {
  if (!iso) return '';
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : undefined);

function draftOf(survey: Survey | undefined): Draft {
  return {
    isNew: !survey,
    id: survey?.id ?? '',
    name: survey?.name ?? '',
    target: survey ? String(Math.round(survey.target * 1000) / 10) : '60',
    opensAt: toLocalInput(survey?.opensAt),
    closesAt: toLocalInput(survey?.closesAt),
    areas: (survey?.areas ?? []).map((area) => ({
      id: area.id,
      name: area.name,
      distributed: String(area.distributed),
      target: area.target === undefined ? '' : String(Math.round(area.target * 1000) / 10),
    })),
    textQuestions: (survey?.textQuestions ?? []).join(', '),
    channels: (survey?.channels ?? []).join(', '),
    indexes: JSON.stringify(survey?.indexes ?? [], null, 2),
    sources: JSON.stringify(survey?.sources ?? [], null, 2),
    compareTo: survey?.compareTo ?? '',
  };
}

class AdminPage {
  #api: AdminApi | undefined;
  #signInError = '';
  #surveys: Survey[] | undefined;
  #selected: string | undefined;
  #view: 'survey' | 'new' | 'unmatched' = 'survey';
  #tab: Tab = 'settings';
  #error = '';
  #notice = '';
  #draft: Draft = draftOf(undefined);
  #fieldErrors = new Map<string, string>();
  #builder: Builder = { element: 'counter', area: '', lang: LANG, theme: 'light', text: false, expiresIn: '30d', label: '', areaIds: [] };
  #minted: Minted | undefined;
  #busy = false;
  #pending: { id: string; text: string; areaId?: string; receivedAt: string }[] = [];
  #texts: AdminText[] = [];
  #tokens: TokenRecord[] = [];
  #audit: AuditEntry[] = [];
  #auditAction = '';
  #handOut: { csv: string; mode: 'set' | 'add'; result?: HandOutResult; errors: { path: string; message: string }[] } = { csv: '', mode: 'set', errors: [] };
  #unmatched: UnmatchedResponse[] = [];
  #rounds: SurveyEventWithEffect[] = [];
  #roundErrors = new Map<string, string>();
  /** The earlier campaign's file, and the survey it goes into ('' until chosen: the compared survey, else this one). */
  #history: { target: string; csv: string; result?: HistoryImportResult; errors: LineError[] } = { target: '', csv: '', errors: [] };
  #reportLinks: { surveyId: string; token: string; expiresAt: string } | undefined;
  #status: { section: CampaignSection; text: string } | undefined;
  #copied = '';
  #preview: { key: string; element: HTMLElement } | undefined;

  constructor(private readonly container: HTMLElement) {
    setInterval(() => void this.#loadPending(), PENDING_EVERY_MS);
    this.#render();
    void this.#start();
  }

  async #start(): Promise<void> {
    const session = OIDC ? await currentSession(ROOT).catch(() => undefined) : undefined;
    const stored = sessionStorage.getItem(STORAGE_KEY);
    if (session) await this.#signIn(session);
    else if (stored) await this.#signIn({ kind: 'token', token: stored });
  }

  // ---- state changes -------------------------------------------------------

  async #signIn(auth: Auth): Promise<void> {
    this.#api = new AdminApi(ROOT, auth);
    try {
      this.#surveys = await this.#api.surveys();
    } catch (error) {
      this.#api = undefined;
      this.#signInError = error instanceof Unauthorized ? t('wrongToken') : String((error as Error).message);
      this.#render();
      return;
    }
    if (auth.kind === 'token') sessionStorage.setItem(STORAGE_KEY, auth.token);
    this.#signInError = '';
    this.#select(this.#surveys[0]?.id);
  }

  async #signOut(): Promise<void> {
    await this.#api?.signOut().catch(() => {});
    sessionStorage.removeItem(STORAGE_KEY);
    this.#api = undefined;
    this.#surveys = undefined;
    this.#minted = undefined;
    this.#pending = [];
    this.#render();
  }

  /** Runs an API call; a 401 means the sign-in ended: back to the sign-in form. */
  async #do<T>(work: (api: AdminApi) => Promise<T>): Promise<T | undefined> {
    if (!this.#api) return undefined;
    this.#busy = true;
    this.#error = '';
    this.#render();
    try {
      return await work(this.#api);
    } catch (error) {
      if (error instanceof Unauthorized) {
        await this.#signOut();
        this.#signInError = t('refused');
      } else this.#error = error instanceof Error ? error.message : String(error);
      if (error instanceof ApiError) this.#lastErrors = error.errors;
      return undefined;
    } finally {
      this.#busy = false;
      this.#render();
    }
  }

  #lastErrors: { path: string; message: string }[] = [];

  #select(surveyId: string | undefined, tab: Tab = 'settings'): void {
    this.#selected = surveyId;
    this.#view = 'survey';
    this.#tab = tab;
    this.#minted = undefined;
    this.#error = '';
    this.#notice = '';
    this.#fieldErrors.clear();
    this.#draft = draftOf(this.#surveys?.find((survey) => survey.id === surveyId));
    this.#builder = { ...this.#builder, area: '', areaIds: [] };
    this.#handOut = { csv: '', mode: 'set', errors: [] };
    this.#history = { target: '', csv: '', errors: [] };
    this.#rounds = [];
    this.#roundErrors.clear();
    this.#reportLinks = undefined;
    this.#status = undefined;
    this.container.querySelector<HTMLFormElement>('form.round-form')?.reset();
    this.#render();
    void this.#loadTab();
  }

  #openTab(tab: Tab): void {
    this.#tab = tab;
    this.#error = '';
    this.#notice = '';
    this.#status = undefined;
    this.#render();
    void this.#loadTab();
  }

  async #loadTab(): Promise<void> {
    const surveyId = this.#selected;
    if (!surveyId) return;
    await this.#loadPending();
    if (this.#tab === 'texts') this.#texts = (await this.#do((api) => api.recentTexts(surveyId))) ?? [];
    if (this.#tab === 'campaign') this.#rounds = (await this.#do((api) => api.events(surveyId))) ?? [];
    if (this.#tab === 'embed') this.#tokens = (await this.#do((api) => api.tokens(surveyId))) ?? [];
    if (this.#tab === 'audit') this.#audit = (await this.#do((api) => api.audit({ surveyId, action: this.#auditAction }))) ?? [];
    this.#render();
  }

  async #loadPending(): Promise<void> {
    const surveyId = this.#selected;
    if (!this.#api || !surveyId || this.#view !== 'survey') return;
    try {
      const pending = await this.#api.pending(surveyId);
      if (surveyId === this.#selected) this.#pending = pending;
    } catch {
      // Shown at the next action.
    }
    this.#render();
  }

  async #reloadSurveys(select?: string): Promise<void> {
    const surveys = await this.#do((api) => api.surveys());
    if (surveys) this.#surveys = surveys;
    if (select !== undefined) this.#select(select);
  }

  async #saveSurvey(): Promise<void> {
    const d = this.#draft;
    this.#fieldErrors.clear();
    const json = (field: 'indexes' | 'sources') => {
      try {
        return JSON.parse(d[field] || '[]') as unknown;
      } catch {
        this.#fieldErrors.set(field, t('notJson'));
        return undefined;
      }
    };
    const indexes = json('indexes');
    const sources = json('sources');
    if (this.#fieldErrors.size > 0) {
      this.#error = t('fixErrors');
      this.#render();
      return;
    }
    const id = d.id.trim();
    const body = {
      id,
      name: d.name.trim(),
      target: d.target.trim() === '' ? Number.NaN : Number(d.target.replace(',', '.')) / 100,
      areas: d.areas.map((area) => ({
        id: area.id.trim(),
        name: area.name.trim(),
        distributed: Number(area.distributed),
        // An area's own target, kept through every edit; empty uses the survey's.
        ...(area.target.trim() === '' ? {} : { target: Number(area.target.replace(',', '.')) / 100 }),
      })),
      ...(fromLocalInput(d.opensAt) ? { opensAt: fromLocalInput(d.opensAt) } : {}),
      ...(fromLocalInput(d.closesAt) ? { closesAt: fromLocalInput(d.closesAt) } : {}),
      textQuestions: list(d.textQuestions),
      ...(list(d.channels).length > 0 ? { channels: list(d.channels) } : {}),
      indexes,
      sources,
      // Kept through every edit: the snapshot's comparison and last campaign's curve depend on it.
      ...(d.compareTo ? { compareTo: d.compareTo } : {}),
    };
    this.#lastErrors = [];
    const saved = await this.#do((api) => api.putSurvey(body, id || '-'));
    if (!saved) {
      for (const error of this.#lastErrors) this.#fieldErrors.set(error.path, error.message);
      if (this.#fieldErrors.size > 0) this.#error = t('fixErrors');
      this.#render();
      return;
    }
    await this.#reloadSurveys(saved.id);
    this.#notice = t('saved');
    this.#render();
  }

  async #deleteSurvey(survey: Survey): Promise<void> {
    if (!confirm(t('confirmDelete'))) return;
    if ((await this.#do((api) => api.deleteSurvey(survey.id))) === undefined && this.#error) return;
    await this.#reloadSurveys();
    this.#select(this.#surveys?.[0]?.id);
  }

  async #handOuts(dryRun: boolean): Promise<void> {
    const surveyId = this.#selected;
    if (!surveyId) return;
    const { csv, mode } = this.#handOut;
    this.#lastErrors = [];
    const result = await this.#do((api) => api.handOuts(surveyId, csv, mode, dryRun));
    this.#handOut = { ...this.#handOut, errors: result ? [] : this.#lastErrors, ...(result ? { result } : {}) };
    if (result && !dryRun) {
      this.#notice = t('applied');
      await this.#reloadSurveys();
    }
    this.#render();
  }

  async #decide(id: string, decision: 'approve' | 'reject'): Promise<void> {
    await this.#do((api) => api.decide(id, decision));
    await this.#loadTab();
  }

  async #takeDown(id: string): Promise<void> {
    await this.#do((api) => api.takeDown(id));
    await this.#loadTab();
  }

  async #erase(responseId: string): Promise<void> {
    const surveyId = this.#selected;
    if (!surveyId || !responseId) return;
    const erased = await this.#do((api) => api.erase(surveyId, responseId));
    await this.#loadTab();
    if (erased) this.#notice = t('erased', { n: erased.removedTexts });
    this.#render();
  }

  // ---- campaign: reminder rounds, an earlier campaign, downloads ----------------

  #tell(section: CampaignSection, text: string): void {
    this.#status = { section, text };
  }

  async #reloadRounds(surveyId: string): Promise<void> {
    const rounds = await this.#do((api) => api.events(surveyId));
    if (rounds && surveyId === this.#selected) this.#rounds = rounds;
  }

  async #addRound(form: HTMLFormElement): Promise<void> {
    const surveyId = this.#selected;
    if (!surveyId) return;
    const data = new FormData(form);
    const areaIds = data.getAll('areaIds').map(String);
    const label = String(data.get('label') ?? '');
    // Checked by the server's schema; its errors are shown next to their fields.
    const round = { at: fromLocalInput(String(data.get('at') ?? '')), kind: String(data.get('kind') ?? ''), label, ...(areaIds.length > 0 ? { areaIds } : {}) };
    this.#roundErrors.clear();
    this.#status = undefined;
    this.#lastErrors = [];
    const added = await this.#do((api) => api.addEvent(surveyId, round));
    if (!added) {
      for (const error of this.#lastErrors) this.#roundErrors.set(error.path.split('.')[0] ?? error.path, error.message);
      if (this.#roundErrors.size > 0) this.#error = t('fixErrors');
      this.#render();
      return;
    }
    form.reset();
    await this.#reloadRounds(surveyId);
    this.#tell('rounds', t('roundAdded', { label: added.label }));
    this.#render();
  }

  async #deleteRound(round: SurveyEventWithEffect): Promise<void> {
    const surveyId = this.#selected;
    if (!surveyId || !confirm(t('confirmDeleteRound', { label: round.label }))) return;
    this.#status = undefined;
    await this.#do((api) => api.deleteEvent(surveyId, round.id));
    if (this.#error) return;
    await this.#reloadRounds(surveyId);
    this.#tell('rounds', t('roundDeleted', { label: round.label }));
    this.#render();
    // Its button is gone: focus goes back to the section, not to the top of the page.
    this.container.querySelector<HTMLElement>('#rounds-title')?.focus();
  }

  /** The survey an earlier campaign's file goes into: the chosen one, else the one this survey compares with, else this one. */
  #historyTarget(survey: Survey): string {
    const ids = new Set((this.#surveys ?? []).map((candidate) => candidate.id));
    if (this.#history.target && ids.has(this.#history.target)) return this.#history.target;
    return survey.compareTo && ids.has(survey.compareTo) ? survey.compareTo : survey.id;
  }

  async #importHistory(survey: Survey): Promise<void> {
    const target = this.#historyTarget(survey);
    const { csv } = this.#history;
    this.#status = undefined;
    this.#lastErrors = [];
    const result = await this.#do((api) => api.importHistory(target, csv));
    this.#history = { ...this.#history, target, errors: result ? [] : this.#lastErrors };
    delete this.#history.result;
    if (result) {
      this.#history.result = result;
      const name = this.#surveys?.find((candidate) => candidate.id === target)?.name ?? target;
      this.#tell(
        'history',
        t('historyImported', {
          survey: name,
          rows: result.rows,
          days: result.days.length,
          first: result.days[0] ?? '',
          last: result.days.at(-1) ?? '',
          responses: result.responses,
        }),
      );
      if (target === survey.id) await this.#reloadRounds(survey.id);
    }
    this.#render();
  }

  async #download(by: 'area' | 'day', locale: Lang): Promise<void> {
    const surveyId = this.#selected;
    if (!surveyId) return;
    this.#status = undefined;
    const file = await this.#do((api) => api.exportCsv(surveyId, by, locale));
    if (!file) return;
    const url = URL.createObjectURL(file.blob);
    const link = Object.assign(document.createElement('a'), { href: url, download: file.name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    this.#tell('downloads', t('downloaded', { name: file.name }));
    this.#render();
  }

  async #makeReportLinks(surveyId: string): Promise<void> {
    this.#status = undefined;
    // The report reads the REST API with a token in its address: a stats token, listed and revocable like any other.
    const minted = await this.#do((api) => api.mint(surveyId, ['stats'], '30d', t('reportTokenLabel')));
    if (!minted || surveyId !== this.#selected) return;
    this.#reportLinks = { surveyId, token: minted.token, expiresAt: minted.expiresAt };
    this.#tell('report', t('reportReady', { until: when(minted.expiresAt) }));
    this.#render();
  }

  /** To the settings tab's "compare with" select. */
  #chooseCompareTo(): void {
    this.#openTab('settings');
    this.container.querySelector<HTMLSelectElement>('#f-compareTo')?.focus();
  }

  #change(form: HTMLFormElement): void {
    const data = new FormData(form);
    const element = data.get('element') as ElementChoice;
    const builder: Builder = {
      element,
      area: String(data.get('area') ?? ''),
      lang: data.get('lang') === 'en' ? 'en' : 'sv',
      theme: (data.get('theme') as Builder['theme']) ?? 'light',
      // The feed shows free text only: its token needs the text scope. The box is read directly:
      // disabled (while the feed is chosen) it is missing from FormData, yet still checked.
      text: element === 'feed' || (form.elements.namedItem('text') as HTMLInputElement | null)?.checked === true,
      expiresIn: String(data.get('expiresIn') ?? '30d'),
      label: String(data.get('label') ?? ''),
      areaIds: data.getAll('areaIds').map(String),
    };
    this.#builder = builder;
    // What the element looks like changes the snippets only; what the token grants needs a new token.
    if (this.#minted && this.#minted.key !== grantKey(builder)) this.#minted = undefined;
    this.#render();
  }

  async #mint(): Promise<void> {
    const surveyId = this.#selected;
    if (!surveyId) return;
    const b = this.#builder;
    const key = grantKey(b);
    const scopes: ReadScope[] = b.text ? ['stats', 'text'] : ['stats'];
    const minted = await this.#do((api) => api.mint(surveyId, scopes, b.expiresIn, b.label, b.areaIds));
    // The form may have changed while the token was on its way: never pair snippets with a token that no longer fits them.
    if (minted && this.#selected === surveyId && grantKey(this.#builder) === key)
      this.#minted = { surveyId, token: minted.token, expiresAt: minted.expiresAt, key };
    this.#tokens = (await this.#do((api) => api.tokens(surveyId))) ?? this.#tokens;
    this.#render();
  }

  async #revoke(id: string): Promise<void> {
    await this.#do((api) => api.revoke(id));
    await this.#loadTab();
  }

  async #openUnmatched(): Promise<void> {
    this.#view = 'unmatched';
    this.#notice = '';
    this.#unmatched = (await this.#do((api) => api.unmatched())) ?? [];
    this.#render();
  }

  async #replay(): Promise<void> {
    const result = await this.#do((api) => api.replay());
    this.#unmatched = (await this.#do((api) => api.unmatched())) ?? [];
    if (result) this.#notice = t('replayed', result);
    this.#render();
  }

  async #copy(what: string, text: string, field: HTMLTextAreaElement | HTMLInputElement | null): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Plain-http intranets are no secure context: no Clipboard API there.
      field?.select();
      document.execCommand('copy');
    }
    this.#copied = what;
    this.#render();
    setTimeout(() => {
      if (this.#copied === what) this.#copied = '';
      this.#render();
    }, 2000);
  }

  // ---- views ---------------------------------------------------------------

  #render(): void {
    const other = LANG === 'en' ? 'sv' : 'en';
    render(
      html`<header class="admin-top">
          <p class="admin-brand">survey-live <span>${t('admin')}</span></p>
          <div class="admin-top-actions">
            <a class="link" href=${`?lang=${other}`} lang=${other}>${t('language')}</a>
            ${this.#api?.auth.kind === 'session' ? html`<span>${t('signedInAs')} ${this.#api.auth.email}</span>` : nothing}
            ${this.#api && this.#surveys ? html`<button type="button" class="link sign-out" @click=${() => void this.#signOut()}>${t('signOut')}</button>` : nothing}
          </div>
        </header>
        ${this.#api && this.#surveys ? this.#main(this.#surveys) : this.#signInForm()}`,
      this.container,
    );
  }

  #signInForm(): TemplateResult {
    const submit = (event: SubmitEvent) => {
      event.preventDefault();
      const input = (event.target as HTMLFormElement).elements.namedItem('admin-token') as HTMLInputElement;
      void this.#signIn({ kind: 'token', token: input.value.trim() });
    };
    return html`<main class="admin-signin">
      <div class="admin-card">
        <h1>${t('signInTitle')}</h1>
        ${OIDC ? html`<p><a class="button" href="auth/login">${t('signInWithOrg')}</a></p><p>${t('orToken')}</p>` : html`<p>${t('tokenHelp')}</p>`}
        <form method="post" @submit=${submit}>
          <label>${t('adminToken')} <input type="password" name="admin-token" autocomplete="off" required minlength="16" /></label>
          ${this.#signInError ? html`<p class="error" role="alert">${this.#signInError}</p>` : nothing}
          <button type="submit">${t('signInTitle')}</button>
        </form>
      </div>
    </main>`;
  }

  #main(surveys: Survey[]): TemplateResult {
    const survey = surveys.find((candidate) => candidate.id === this.#selected);
    const percent = new Intl.NumberFormat(LANG, { style: 'percent', maximumFractionDigits: 1 });
    const newSurvey = () => {
      this.#view = 'new';
      this.#selected = undefined;
      this.#draft = draftOf(undefined);
      this.#fieldErrors.clear();
      this.#error = '';
      this.#notice = '';
      this.#render();
    };
    return html`<main class="admin-main">
      <nav class="admin-surveys" aria-label=${t('surveys')}>
        <h2>${t('surveys')}</h2>
        ${surveys.length === 0 ? html`<p class="muted">${t('noSurveys')}</p>` : nothing}
        <ul>
          ${surveys.map(
            (candidate) =>
              html`<li>
                <button type="button" aria-pressed=${candidate.id === this.#selected && this.#view === 'survey' ? 'true' : 'false'} @click=${() => this.#select(candidate.id)}>
                  <span class="name">${candidate.name}</span>
                  <span class="muted">${candidate.id} · ${candidate.areas.length} ${t('areasCount')} · ${t('target')} ${percent.format(candidate.target)}</span>
                </button>
              </li>`,
          )}
        </ul>
        <p><button type="button" class="secondary new-survey" @click=${newSurvey}>${t('newSurvey')}</button></p>
        <p><button type="button" class="secondary open-unmatched" @click=${() => void this.#openUnmatched()}>${t('unmatched')}</button></p>
      </nav>
      ${this.#view === 'new' ? this.#newSurvey() : this.#view === 'unmatched' ? this.#unmatchedView() : survey ? this.#survey(survey) : nothing}
    </main>`;
  }

  #messages(): TemplateResult {
    return html`${this.#error ? html`<p class="error" role="alert">${this.#error}</p>` : nothing}
    ${this.#notice ? html`<p class="notice" role="status">${this.#notice}</p>` : nothing}`;
  }

  #newSurvey(): TemplateResult {
    return html`<section class="admin-survey" aria-labelledby="survey-title">
      <h1 id="survey-title">${t('newSurvey')}</h1>
      ${this.#messages()} ${this.#surveyForm()}
    </section>`;
  }

  #survey(survey: Survey): TemplateResult {
    const handedOut = survey.areas.reduce((sum, area) => sum + area.distributed, 0);
    return html`<section class="admin-survey" aria-labelledby="survey-title">
      <h1 id="survey-title">${survey.name}</h1>
      <p class="muted">${survey.id} · ${survey.areas.length} ${t('areasCount')} · ${handedOut.toLocaleString(LANG)} ${t('handedOut')}</p>
      <nav class="admin-tabs" aria-label=${t('sections')}>
        ${TABS.map(
          ([tab, word]) =>
            html`<button type="button" data-tab=${tab} aria-current=${this.#tab === tab ? 'page' : 'false'} @click=${() => this.#openTab(tab)}>
              ${t(word)}${tab === 'texts' && this.#pending.length > 0 ? html` <span class="count">${this.#pending.length}</span>` : nothing}
            </button>`,
        )}
      </nav>
      ${this.#messages()}
      ${
        this.#tab === 'settings'
          ? html`${this.#surveyForm()}
              <p><button type="button" class="danger delete-survey" @click=${() => void this.#deleteSurvey(survey)}>${t('deleteSurvey')}</button></p>`
          : this.#tab === 'handout'
            ? this.#handOutView(survey)
            : this.#tab === 'campaign'
              ? this.#campaignView(survey)
              : this.#tab === 'texts'
                ? this.#textsView(survey)
                : this.#tab === 'embed'
                  ? html`${this.#builderCard(survey)} ${this.#tokensCard()}`
                  : this.#auditView()
      }
    </section>`;
  }

  #field(name: string, label: string, control: TemplateResult): TemplateResult {
    const error = this.#fieldErrors.get(name);
    return html`<div class="field ${error ? 'invalid' : ''}" data-field=${name}>
      <label for=${`f-${name}`}>${label}</label>
      ${control} ${error ? html`<p class="field-error" id=${`e-${name}`}>${error}</p>` : nothing}
    </div>`;
  }

  /** The earlier campaign to compare with: any other survey, or none (a stored id not listed stays selectable). */
  #compareToSelect(): TemplateResult {
    const d = this.#draft;
    const others = (this.#surveys ?? []).filter((survey) => survey.id !== d.id.trim());
    const listed = others.some((survey) => survey.id === d.compareTo);
    return html`<select
      id="f-compareTo"
      name="compareTo"
      @change=${(event: Event) => {
        d.compareTo = (event.target as HTMLSelectElement).value;
      }}
      aria-invalid=${this.#fieldErrors.has('compareTo') ? 'true' : 'false'}
      aria-describedby=${this.#fieldErrors.has('compareTo') ? 'e-compareTo' : nothing}
    >
      <option value="" ?selected=${d.compareTo === ''}>${t('compareNone')}</option>
      ${others.map((survey) => html`<option value=${survey.id} ?selected=${survey.id === d.compareTo}>${survey.name} (${survey.id})</option>`)}
      ${d.compareTo && !listed ? html`<option value=${d.compareTo} selected>${d.compareTo}</option>` : nothing}
    </select>`;
  }

  #surveyForm(): TemplateResult {
    const d = this.#draft;
    const set = (field: keyof Draft) => (event: Event) => {
      (d as unknown as Record<string, string>)[field] = (event.target as HTMLInputElement).value;
    };
    const input = (name: keyof Draft & string, type = 'text', extra: Record<string, string> = {}) =>
      html`<input
        id=${`f-${name}`}
        name=${name}
        type=${type}
        .value=${String(d[name])}
        @input=${set(name)}
        aria-invalid=${this.#fieldErrors.has(name) ? 'true' : 'false'}
        aria-describedby=${this.#fieldErrors.has(name) ? `e-${name}` : nothing}
        ?readonly=${name === 'id' && !d.isNew}
        step=${extra.step ?? nothing}
      />`;
    const areaError = (i: number, key: string) => this.#fieldErrors.get(`areas.${i}.${key}`);
    const areaCell = (row: AreaRow, i: number, key: keyof AreaRow, label: string, type = 'text') =>
      html`<td>
        <input
          name=${`areas.${i}.${key}`}
          type=${type}
          aria-label=${`${label} ${i + 1}`}
          .value=${row[key]}
          @input=${(event: Event) => {
            row[key] = (event.target as HTMLInputElement).value;
          }}
          aria-invalid=${areaError(i, key) ? 'true' : 'false'}
        />
        ${areaError(i, key) ? html`<p class="field-error">${areaError(i, key)}</p>` : nothing}
      </td>`;
    const submit = (event: SubmitEvent) => {
      event.preventDefault();
      void this.#saveSurvey();
    };
    return html`<form class="admin-card survey-form" novalidate @submit=${submit}>
      <div class="grid">
        ${this.#field('id', t('id'), input('id'))} ${this.#field('name', t('name'), input('name'))}
        ${this.#field('target', t('targetPercent'), input('target', 'number', { step: '0.1' }))}
        ${this.#field('opensAt', t('opensAt'), input('opensAt', 'datetime-local'))} ${this.#field('closesAt', t('closesAt'), input('closesAt', 'datetime-local'))}
        ${this.#field('compareTo', t('compareTo'), this.#compareToSelect())}
      </div>
      <fieldset class="areas" data-field="areas">
        <legend>${t('areas')}</legend>
        ${this.#fieldErrors.get('areas') ? html`<p class="field-error">${this.#fieldErrors.get('areas')}</p>` : nothing}
        <table>
          <thead>
            <tr>
              <th scope="col">${t('areaId')}</th>
              <th scope="col">${t('areaName')}</th>
              <th scope="col">${t('distributed')}</th>
              <th scope="col">${t('areaTargetPercent')}</th>
              <th scope="col"><span class="visually-hidden">${t('removeArea')}</span></th>
            </tr>
          </thead>
          <tbody>
            ${d.areas.map(
              (row, i) => html`<tr>
                ${areaCell(row, i, 'id', t('areaId'))} ${areaCell(row, i, 'name', t('areaName'))} ${areaCell(row, i, 'distributed', t('distributed'), 'number')}
                ${areaCell(row, i, 'target', t('areaTargetPercent'), 'number')}
                <td>
                  <button
                    type="button"
                    class="secondary"
                    @click=${() => {
                      d.areas.splice(i, 1);
                      this.#render();
                    }}
                  >
                    ${t('removeArea')}
                  </button>
                </td>
              </tr>`,
            )}
          </tbody>
        </table>
        <button
          type="button"
          class="secondary add-area"
          @click=${() => {
            d.areas.push({ id: '', name: '', distributed: '0', target: '' });
            this.#render();
          }}
        >
          ${t('addArea')}
        </button>
      </fieldset>
      <div class="grid">
        ${this.#field('textQuestions', t('textQuestions'), input('textQuestions'))} ${this.#field('channels', t('channels'), input('channels'))}
      </div>
      <div class="grid">
        ${this.#field(
          'indexes',
          t('indexes'),
          html`<textarea id="f-indexes" name="indexes" rows="5" .value=${d.indexes} @input=${set('indexes')} aria-invalid=${this.#fieldErrors.has('indexes') ? 'true' : 'false'}></textarea>`,
        )}
        ${this.#field(
          'sources',
          t('sources'),
          html`<textarea id="f-sources" name="sources" rows="5" .value=${d.sources} @input=${set('sources')} aria-invalid=${this.#fieldErrors.has('sources') ? 'true' : 'false'}></textarea>`,
        )}
      </div>
      <button type="submit" ?disabled=${this.#busy}>${t('save')}</button>
    </form>`;
  }

  #handOutView(survey: Survey): TemplateResult {
    const h = this.#handOut;
    const file = async (event: Event) => {
      this.#handOut = { ...h, csv: (await chosenFile(event)).text, errors: [] };
      delete this.#handOut.result;
      this.#render();
    };
    const result = h.result;
    return html`<section class="admin-card handout" aria-labelledby="handout-title">
      <h2 id="handout-title">${t('tabHandOut')}</h2>
      <p class="muted">${t('handOutHelp')}</p>
      <label>${t('csvFile')} <input type="file" name="csv" accept=".csv,text/csv" @change=${(event: Event) => void file(event)} /></label>
      <fieldset class="mode">
        <legend class="visually-hidden">${t('tabHandOut')}</legend>
        <label class="check"
          ><input type="radio" name="mode" value="set" .checked=${h.mode === 'set'} @change=${() => (this.#handOut = { ...h, mode: 'set' })} /> ${t('modeSet')}</label
        >
        <label class="check"
          ><input type="radio" name="mode" value="add" .checked=${h.mode === 'add'} @change=${() => (this.#handOut = { ...h, mode: 'add' })} /> ${t('modeAdd')}</label
        >
      </fieldset>
      <button type="button" class="preview-handout" ?disabled=${!h.csv || this.#busy} @click=${() => void this.#handOuts(true)}>${t('preview')}</button>
      ${lineErrorList(h.errors, LINE_WORDS)}
      ${
        result
          ? html`<table class="handout-preview">
                <caption>
                  ${t('total')}: ${result.distributed.before} → ${result.distributed.after}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t('line')}</th>
                    <th scope="col">${t('area')}</th>
                    <th scope="col">${t('before')}</th>
                    <th scope="col">${t('after')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${result.changed.map(
                    (change) => html`<tr>
                      <td>${change.line}</td>
                      <td>${change.name}${change.created ? html` <em>(${t('newArea')})</em>` : nothing}</td>
                      <td>${change.created ? '–' : change.before}</td>
                      <td>${change.after}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
              ${result.changed.length === 0 ? html`<p>${t('noChanges')}</p>` : nothing}
              ${result.applied ? nothing : html`<button type="button" class="apply-handout" ?disabled=${this.#busy} @click=${() => void this.#handOuts(false)}>${t('apply')}</button>`}`
          : nothing
      }
      <p class="muted">${survey.areas.map((area) => `${area.name}: ${area.distributed}`).join(' · ')}</p>
    </section>`;
  }

  /** A status region of the campaign tab: always there (so screen readers announce what it comes to say), filled for its own section. */
  #statusOf(section: CampaignSection): TemplateResult {
    return html`<p class="notice campaign-status" role="status" data-status=${section}>${this.#status?.section === section ? this.#status.text : ''}</p>`;
  }

  #campaignView(survey: Survey): TemplateResult {
    return html`${this.#roundsCard(survey)} ${this.#historyCard(survey)} ${this.#downloadsCard(survey)}`;
  }

  #roundsCard(survey: Survey): TemplateResult {
    const errors = this.#roundErrors;
    const areaNames = new Map(survey.areas.map((area) => [area.id, area.name]));
    const submit = (event: SubmitEvent) => {
      event.preventDefault();
      void this.#addRound(event.target as HTMLFormElement);
    };
    const invalid = (name: string) => (errors.has(name) ? 'true' : 'false');
    const describedBy = (name: string) => (errors.has(name) ? `e-round-${name}` : nothing);
    const fieldError = (name: string) => (errors.has(name) ? html`<p class="field-error" id=${`e-round-${name}`}>${errors.get(name)}</p>` : nothing);
    return html`<section class="admin-card campaign-rounds" aria-labelledby="rounds-title">
      <h2 id="rounds-title" tabindex="-1">${t('roundsTitle')}</h2>
      <p class="muted">${t('roundsHelp')}</p>
      <form class="round-form" novalidate @submit=${submit}>
        <div class="grid">
          <div class="field ${errors.has('at') ? 'invalid' : ''}" data-field="at">
            <label for="round-at">${t('roundAt')}</label>
            <input id="round-at" name="at" type="datetime-local" required aria-invalid=${invalid('at')} aria-describedby=${describedBy('at')} />
            ${fieldError('at')}
          </div>
          <div class="field ${errors.has('kind') ? 'invalid' : ''}" data-field="kind">
            <label for="round-kind">${t('roundKind')}</label>
            <select id="round-kind" name="kind" aria-invalid=${invalid('kind')} aria-describedby=${describedBy('kind')}>
              ${(Object.keys(KINDS) as EventKind[]).map((kind) => html`<option value=${kind}>${t(KINDS[kind])}</option>`)}
            </select>
            ${fieldError('kind')}
          </div>
          <div class="field ${errors.has('label') ? 'invalid' : ''}" data-field="label">
            <label for="round-label">${t('roundLabel')}</label>
            <input id="round-label" name="label" required maxlength="120" autocomplete="off" aria-invalid=${invalid('label')} aria-describedby=${describedBy('label')} />
            ${fieldError('label')}
          </div>
        </div>
        <fieldset class="round-areas" data-field="areaIds" aria-describedby=${describedBy('areaIds')}>
          <legend>${t('roundAreas')}</legend>
          ${survey.areas.map((area) => html`<label class="check"><input type="checkbox" name="areaIds" value=${area.id} /> ${area.name}</label>`)}
          ${fieldError('areaIds')}
        </fieldset>
        <p><button type="submit" ?disabled=${this.#busy}>${t('addRound')}</button></p>
      </form>
      ${this.#statusOf('rounds')}
      ${
        this.#rounds.length === 0
          ? html`<p class="muted no-rounds">${t('noRounds')}</p>`
          : html`<table class="rounds">
                <thead>
                  <tr>
                    <th scope="col">${t('at')}</th>
                    <th scope="col">${t('roundKind')}</th>
                    <th scope="col">${t('name')}</th>
                    <th scope="col">${t('areas')}</th>
                    <th scope="col">${t('effect')}</th>
                    <th scope="col"><span class="visually-hidden">${t('deleteRound')}</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${this.#rounds.map(
                    (round) => html`<tr class="round-row" data-id=${round.id}>
                      <td>${when(round.at)}</td>
                      <td>${t(KINDS[round.kind])}</td>
                      <td>${round.label}</td>
                      <td>${round.areaIds ? round.areaIds.map((id) => areaNames.get(id) ?? id).join(', ') : t('allAreas')}</td>
                      <td class="effect">${round.effect.before} → ${round.effect.after}</td>
                      <td>
                        <button type="button" class="danger delete-round" aria-label=${`${t('deleteRound')}: ${round.label}`} @click=${() => void this.#deleteRound(round)}>
                          ${t('deleteRound')}
                        </button>
                      </td>
                    </tr>`,
                  )}
                </tbody>
              </table>
              <p class="muted">${t('effectNote')}</p>`
      }
    </section>`;
  }

  #historyCard(survey: Survey): TemplateResult {
    const h = this.#history;
    const surveys = this.#surveys ?? [];
    const target = this.#historyTarget(survey);
    const compared = survey.compareTo ? surveys.find((candidate) => candidate.id === survey.compareTo) : undefined;
    const file = async (event: Event) => {
      this.#history = { ...this.#history, csv: (await chosenFile(event)).text, errors: [] };
      delete this.#history.result;
      this.#render();
    };
    return html`<section class="admin-card campaign-history" aria-labelledby="history-title">
      <h2 id="history-title">${t('historyTitle')}</h2>
      <p class="compares-with">
        ${survey.compareTo ? t('comparesWith', { name: compared ? `${compared.name} (${compared.id})` : survey.compareTo }) : t('comparesWithNone')}
        <button type="button" class="link choose-compare" @click=${() => this.#chooseCompareTo()}>${t('chooseCompare')}</button>
      </p>
      <p class="muted">${t('historyHelp')}</p>
      <div class="grid">
        <label
          >${t('historyInto')}
          <select
            name="history-survey"
            @change=${(event: Event) => {
              this.#history = { ...this.#history, target: (event.target as HTMLSelectElement).value, errors: [] };
              delete this.#history.result;
              this.#render();
            }}
          >
            ${surveys.map((candidate) => html`<option value=${candidate.id} ?selected=${candidate.id === target}>${candidate.name} (${candidate.id})</option>`)}
          </select></label
        >
        <label>${t('csvFile')} <input type="file" name="history-csv" accept=".csv,text/csv" @change=${(event: Event) => void file(event)} /></label>
      </div>
      <p><button type="button" class="import-history" ?disabled=${!h.csv || this.#busy} @click=${() => void this.#importHistory(survey)}>${t('importHistory')}</button></p>
      ${lineErrorList(h.errors, LINE_WORDS)} ${this.#statusOf('history')}
    </section>`;
  }

  #downloadsCard(survey: Survey): TemplateResult {
    const links = this.#reportLinks?.surveyId === survey.id ? this.#reportLinks : undefined;
    const group = (by: 'area' | 'day', word: WordKey) =>
      html`<div class="download-group" role="group" aria-labelledby=${`download-${by}`}>
        <h3 id=${`download-${by}`}>${t(word)}</h3>
        <button type="button" class="secondary" data-download=${`${by}-sv`} ?disabled=${this.#busy} @click=${() => void this.#download(by, 'sv')}>${t('csvSv')}</button>
        <button type="button" class="secondary" data-download=${`${by}-en`} ?disabled=${this.#busy} @click=${() => void this.#download(by, 'en')}>${t('csvEn')}</button>
      </div>`;
    const report = (lang: Lang, word: WordKey) =>
      html`<a class="button report-link" data-lang=${lang} href=${reportUrl({ server: ROOT, survey: survey.id, token: links!.token, lang })} target="_blank" rel="noopener"
        >${t(word)}</a
      >`;
    return html`<section class="admin-card campaign-downloads" aria-labelledby="downloads-title">
      <h2 id="downloads-title">${t('downloadsTitle')}</h2>
      <p class="muted">${t('downloadsHelp')}</p>
      <div class="downloads">${group('area', 'byArea')} ${group('day', 'byDay')}</div>
      ${this.#statusOf('downloads')}
      <h3>${t('reportTitle')}</h3>
      <p class="muted">${t('reportHelp')}</p>
      ${
        links
          ? html`<p class="report-links">${report('sv', 'reportSv')} ${report('en', 'reportEn')}</p>`
          : html`<p><button type="button" class="make-report-links" ?disabled=${this.#busy} @click=${() => void this.#makeReportLinks(survey.id)}>${t('makeReportLinks')}</button></p>`
      }
      ${this.#statusOf('report')}
    </section>`;
  }

  #textsView(survey: Survey): TemplateResult {
    const areaName = (id: string | undefined) => survey.areas.find((area) => area.id === id)?.name;
    const erase = (event: SubmitEvent) => {
      event.preventDefault();
      const input = (event.target as HTMLFormElement).elements.namedItem('responseId') as HTMLInputElement;
      void this.#erase(input.value.trim());
    };
    return html`${
      this.#pending.length > 0
        ? html`<section class="admin-card moderation" aria-labelledby="moderation-title">
            <h2 id="moderation-title">${t('waiting')} <span class="count">${this.#pending.length}</span></h2>
            <ul class="pending">
              ${this.#pending.map(
                (text) => html`<li class="pending-text" data-id=${text.id}>
                  <p class="text">${text.text}</p>
                  <p class="muted">${[areaName(text.areaId), when(text.receivedAt)].filter(Boolean).join(' · ')}</p>
                  <div class="actions">
                    <button type="button" class="approve" @click=${() => void this.#decide(text.id, 'approve')}>${t('approve')}</button>
                    <button type="button" class="reject secondary" @click=${() => void this.#decide(text.id, 'reject')}>${t('reject')}</button>
                  </div>
                </li>`,
              )}
            </ul>
          </section>`
        : nothing
    }
      <section class="admin-card kept-texts" aria-labelledby="kept-title">
        <h2 id="kept-title">${t('shownTexts')}</h2>
        ${
          this.#texts.length === 0
            ? html`<p class="muted">${t('noTexts')}</p>`
            : html`<ul class="pending">
                ${this.#texts.map(
                  (text) => html`<li class="kept-text" data-id=${text.id}>
                    <p class="text">${text.text}</p>
                    <p class="muted">
                      ${[areaName(text.areaId), when(text.receivedAt), text.status === 'pending' ? t('statusPending') : t('statusShown')].filter(Boolean).join(' · ')}
                    </p>
                    <button type="button" class="take-down secondary" @click=${() => void this.#takeDown(text.id)}>${t('takeDown')}</button>
                  </li>`,
                )}
              </ul>`
        }
      </section>
      <section class="admin-card" aria-labelledby="erase-title">
        <h2 id="erase-title">${t('erase')}</h2>
        <form class="erase" @submit=${erase}>
          <label>${t('responseId')} <input name="responseId" required maxlength="200" autocomplete="off" /></label>
          <button type="submit" class="danger" ?disabled=${this.#busy}>${t('eraseButton')}</button>
        </form>
      </section>`;
  }

  #builderCard(survey: Survey): TemplateResult {
    const b = this.#builder;
    const option = (value: string, label: string, selected: string) => html`<option value=${value} ?selected=${value === selected}>${label}</option>`;
    const submit = (event: SubmitEvent) => {
      event.preventDefault();
      void this.#mint();
    };
    return html`<section class="admin-card" aria-labelledby="builder-title">
      <h2 id="builder-title">${t('builder')}</h2>
      <form class="builder" method="post" @change=${(event: Event) => this.#change(event.currentTarget as HTMLFormElement)} @submit=${submit}>
        <fieldset>
          <legend>${t('whatToShow')}</legend>
          <label
            >${t('element')}
            <select name="element">
              ${ELEMENTS.filter(([value]) => survey.indexes.length > 0 || !value.startsWith('index')).map(([value, word]) => option(value, t(word), b.element))}
            </select></label
          >
          <label
            >${t('area')}
            <select name="area">
              ${option('', t('wholeSurvey'), b.area)} ${survey.areas.map((area) => option(area.id, area.name, b.area))}
            </select></label
          >
          <label>${t('widgetLang')} <select name="lang">${option('sv', t('langSv'), b.lang)} ${option('en', t('langEn'), b.lang)}</select></label>
          <label
            >${t('theme')}
            <select name="theme">
              ${option('light', t('themeLight'), b.theme)} ${option('dark', t('themeDark'), b.theme)} ${option('auto', t('themeAuto'), b.theme)}
            </select></label
          >
        </fieldset>
        <fieldset>
          <legend>${t('readToken')}</legend>
          <label class="check"><input type="checkbox" checked disabled /> ${t('counts')}</label>
          <label class="check"><input type="checkbox" name="text" .checked=${b.text} ?disabled=${b.element === 'feed'} /> ${t('freeText')}</label>
          <label>${t('validFor')} <select name="expiresIn">${EXPIRIES.map(([value, sv, en]) => option(value, LANG === 'en' ? en : sv, b.expiresIn))}</select></label>
          <label>${t('label')} <input name="label" maxlength="200" .value=${b.label} /></label>
          <fieldset class="token-areas">
            <legend>${t('onlyAreas')}</legend>
            ${survey.areas.map(
              (area) =>
                html`<label class="check"><input type="checkbox" name="areaIds" value=${area.id} .checked=${b.areaIds.includes(area.id)} /> ${area.name}</label>`,
            )}
          </fieldset>
          <button type="submit" ?disabled=${this.#busy}>${t('create')}</button>
        </fieldset>
      </form>
      ${this.#minted?.surveyId === survey.id ? this.#snippets(survey, this.#minted) : html`<p class="muted">${t('snippetsLater')}</p>`}
    </section>`;
  }

  #tokensCard(): TemplateResult {
    return html`<section class="admin-card tokens" aria-labelledby="tokens-title">
      <h2 id="tokens-title">${t('tokens')}</h2>
      ${
        this.#tokens.length === 0
          ? html`<p class="muted">${t('noTokens')}</p>`
          : html`<table>
              <thead>
                <tr>
                  <th scope="col">${t('label')}</th>
                  <th scope="col">${t('scopes')}</th>
                  <th scope="col">${t('created')}</th>
                  <th scope="col">${t('expires')}</th>
                  <th scope="col"><span class="visually-hidden">${t('revoke')}</span></th>
                </tr>
              </thead>
              <tbody>
                ${this.#tokens.map(
                  (token) => html`<tr class="token-row" data-id=${token.id}>
                    <td>${token.label || '–'}</td>
                    <td>${token.scopes.join(', ')} · ${token.areaIds ? token.areaIds.join(', ') : t('allAreas')}</td>
                    <td>${when(token.createdAt)}</td>
                    <td>${when(token.expiresAt)}</td>
                    <td>
                      ${
                        token.revokedAt
                          ? html`<span class="revoked">${t('revoked')}</span>`
                          : html`<button type="button" class="danger revoke" aria-label=${`${t('revoke')}: ${token.label || token.id}`} @click=${() => void this.#revoke(token.id)}>
                              ${t('revoke')}
                            </button>`
                      }
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>`;
  }

  #auditView(): TemplateResult {
    const filter = (event: Event) => {
      this.#auditAction = (event.target as HTMLSelectElement).value;
      void this.#loadTab();
    };
    return html`<section class="admin-card audit" aria-labelledby="audit-title">
      <h2 id="audit-title">${t('tabAudit')}</h2>
      <label
        >${t('action')}
        <select name="action" @change=${filter}>
          <option value="" ?selected=${this.#auditAction === ''}>${t('anyAction')}</option>
          ${AUDIT_ACTIONS.map((action) => html`<option value=${action} ?selected=${this.#auditAction === action}>${action}</option>`)}
        </select></label
      >
      ${
        this.#audit.length === 0
          ? html`<p class="muted">${t('noEntries')}</p>`
          : html`<table>
              <thead>
                <tr>
                  <th scope="col">${t('at')}</th>
                  <th scope="col">${t('actor')}</th>
                  <th scope="col">${t('action')}</th>
                  <th scope="col">${t('targetCol')}</th>
                </tr>
              </thead>
              <tbody>
                ${this.#audit.map(
                  (entry) => html`<tr class="audit-row">
                    <td>${when(entry.at)}</td>
                    <td>${entry.actor}</td>
                    <td>${entry.action}</td>
                    <td>${entry.target ?? ''}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>`;
  }

  #unmatchedView(): TemplateResult {
    return html`<section class="admin-survey" aria-labelledby="survey-title">
      <h1 id="survey-title">${t('unmatched')}</h1>
      <p class="muted">${t('unmatchedHelp')}</p>
      ${this.#messages()}
      ${
        this.#unmatched.length === 0
          ? html`<p class="muted">${t('none')}</p>`
          : html`<table class="unmatched">
              <thead>
                <tr>
                  <th scope="col">${t('survey')}</th>
                  <th scope="col">${t('area')}</th>
                  <th scope="col">${t('received')}</th>
                </tr>
              </thead>
              <tbody>
                ${this.#unmatched.map(
                  (kept) => html`<tr>
                    <td>${kept.data.surveyId}</td>
                    <td>${kept.data.areaId ?? ''}</td>
                    <td>${when(kept.receivedAt)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
      }
      <p><button type="button" class="replay" ?disabled=${this.#busy} @click=${() => void this.#replay()}>${t('replay')}</button></p>
    </section>`;
  }

  #snippets(survey: Survey, minted: Minted): TemplateResult {
    const b = this.#builder;
    const choice: EmbedChoice = {
      server: ROOT,
      survey: survey.id,
      element: b.element,
      area: b.area,
      lang: b.lang,
      theme: b.theme,
      token: minted.token,
      ...(survey.indexes[0] ? { index: survey.indexes[0].id } : {}),
    };
    const title = `${survey.name}: ${t(ELEMENTS.find(([value]) => value === b.element)![1])}`;
    const script = scriptSnippet(choice);
    const iframe = iframeSnippet(choice, title);
    const board = boardUrl(choice);
    const report = reportUrl(choice);
    const copyButton = (what: string, text: string) =>
      html`<button type="button" class="secondary" @click=${(event: Event) => void this.#copy(what, text, (event.currentTarget as HTMLElement).parentElement!.querySelector('textarea, input'))}>
        ${this.#copied === what ? t('copied') : t('copy')}
      </button>`;
    const what = [b.text ? t('freeText') : t('counts'), b.areaIds.length > 0 ? b.areaIds.join(', ') : t('allAreas')].join('; ');
    return html`<div class="snippets">
      <p class="token-note">${t('tokenNote', { survey: survey.name, what, until: when(minted.expiresAt) })}</p>
      <div class="snippet" data-snippet="script">
        <h3>${t('scriptTag')}</h3>
        <textarea readonly rows="5" aria-label=${t('scriptTag')} .value=${script}></textarea>
        ${copyButton('script', script)}
      </div>
      <div class="snippet" data-snippet="iframe">
        <h3>${t('iframe')}</h3>
        <textarea readonly rows="4" aria-label=${t('iframe')} .value=${iframe}></textarea>
        ${copyButton('iframe', iframe)}
      </div>
      <div class="snippet" data-snippet="board">
        <h3>${t('board')}</h3>
        <input readonly aria-label=${t('board')} .value=${board} />
        ${copyButton('board', board)} <a href=${board} target="_blank" rel="noopener">${t('open')}</a>
      </div>
      <div class="snippet" data-snippet="report">
        <h3>${t('report')}</h3>
        <input readonly aria-label=${t('report')} .value=${report} />
        ${copyButton('report', report)} <a href=${report} target="_blank" rel="noopener">${t('open')}</a>
      </div>
      <h3>${t('livePreview')}</h3>
      <div class="previews">
        <figure>
          <figcaption>${t('scriptTag')}</figcaption>
          <div class="preview">${this.#previewElement(choice)}</div>
        </figure>
        <figure>
          <figcaption>${t('iframe')}</figcaption>
          <iframe class="preview" src=${embedUrl(choice)} title=${title} height=${IFRAME_HEIGHTS[b.element]}></iframe>
        </figure>
      </div>
    </div>`;
  }

  /** The element as the script-tag snippet makes it; kept while nothing changes, so it keeps its connection. */
  #previewElement(choice: EmbedChoice): HTMLElement {
    const attributes = elementAttributes(choice);
    const key = JSON.stringify([elementTag(choice), attributes]);
    if (this.#preview?.key !== key) {
      const element = document.createElement(elementTag(choice));
      for (const [name, value] of attributes) element.setAttribute(name, value);
      this.#preview = { key, element };
    }
    return this.#preview.element;
  }
}

/** What a token grants: snippets are only paired with a token minted for the same. */
const grantKey = (b: Builder) => JSON.stringify([b.text, b.expiresIn, b.label, [...b.areaIds].sort()]);

new AdminPage(document.getElementById('admin-app')!);
