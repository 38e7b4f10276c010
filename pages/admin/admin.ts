/**
 * The admin page (/admin): the admin token is asked for once and kept in session storage (never
 * in the URL); then the surveys, an embed builder that mints read tokens and hands out snippets
 * with a live preview, and the moderation queue when free text waits for review.
 * Rendered with Lit's render() into the page itself: no components needed for one page.
 */
import { html, nothing, render, type TemplateResult } from 'lit';
import type { Survey, TextAnswer } from '../../shared/schemas.js';
import { serverRoot } from '../shared/read-token.js';
import { AdminApi, type ReadScope, Unauthorized } from './admin-api.js';
import {
  boardUrl,
  type ElementChoice,
  type EmbedChoice,
  elementAttributes,
  elementTag,
  embedUrl,
  IFRAME_HEIGHTS,
  iframeSnippet,
  scriptSnippet,
} from './snippets.js';

const STORAGE_KEY = 'survey-live:admin-token';
const PENDING_EVERY_MS = 10_000;
const ROOT = serverRoot(import.meta.url);

const ELEMENTS: [ElementChoice, string][] = [
  ['counter', 'Counter: responses and response rate'],
  ['areas', 'Chart: response rate per area (leaderboard)'],
  ['timeline', 'Chart: responses over time'],
  ['feed', 'Feed: free-text answers'],
  ['pace', 'Pace: days left, forecast at closing, answers a day needed'],
  ['call-list', 'Call list: areas behind pace, most behind first'],
  ['index', 'Index: value 0–100 with n (the survey’s first index)'],
  ['index-areas', 'Index per area: a table, small areas hidden'],
  ['channels', 'Chart: responses by channel'],
];
const EXPIRIES: [string, string][] = [
  ['1d', '1 day'],
  ['7d', '7 days'],
  ['30d', '30 days'],
  ['90d', '90 days'],
  ['1y', '1 year'],
];

interface Builder {
  element: ElementChoice;
  area: string;
  lang: 'sv' | 'en';
  theme: 'light' | 'dark' | 'auto';
  text: boolean;
  expiresIn: string;
}

interface Minted {
  surveyId: string;
  token: string;
  expiresAt: string;
  text: boolean;
  expiresIn: string;
}

class AdminPage {
  #api: AdminApi | undefined;
  #signInError = '';
  #surveys: Survey[] | undefined;
  #loadError = '';
  #selected: string | undefined;
  #builder: Builder = { element: 'counter', area: '', lang: 'sv', theme: 'light', text: false, expiresIn: '30d' };
  #minted: Minted | undefined;
  #mintError = '';
  #minting = false;
  #pending: TextAnswer[] = [];
  #copied = '';
  #preview: { key: string; element: HTMLElement } | undefined;

  constructor(private readonly container: HTMLElement) {
    const stored = sessionStorage.getItem(STORAGE_KEY);
    if (stored) void this.#signIn(stored);
    setInterval(() => void this.#loadPending(), PENDING_EVERY_MS);
    this.#render();
  }

  // ---- state changes -------------------------------------------------------

  async #signIn(adminToken: string): Promise<void> {
    this.#api = new AdminApi(ROOT, adminToken);
    try {
      this.#surveys = await this.#api.surveys();
    } catch (error) {
      const message = this.#fail(error);
      this.#api = undefined;
      this.#signInError = error instanceof Unauthorized ? 'That admin token is wrong.' : message;
      this.#render();
      return;
    }
    sessionStorage.setItem(STORAGE_KEY, adminToken);
    this.#signInError = '';
    this.#select(this.#surveys[0]?.id);
  }

  #signOut(): void {
    sessionStorage.removeItem(STORAGE_KEY);
    this.#api = undefined;
    this.#surveys = undefined;
    this.#minted = undefined;
    this.#pending = [];
    this.#render();
  }

  /** A 401 anywhere means the token is no longer right: back to the sign-in form. */
  #fail(error: unknown): string {
    if (error instanceof Unauthorized) {
      this.#signOut();
      this.#signInError = 'The admin token was refused; sign in again.';
    }
    return error instanceof Error ? error.message : String(error);
  }

  #select(surveyId: string | undefined): void {
    this.#selected = surveyId;
    this.#minted = undefined;
    this.#mintError = '';
    this.#pending = [];
    this.#builder = { ...this.#builder, area: '' };
    this.#render();
    void this.#loadPending();
  }

  async #loadPending(): Promise<void> {
    const surveyId = this.#selected;
    if (!this.#api || !surveyId) return;
    try {
      const pending = await this.#api.pending(surveyId);
      if (surveyId === this.#selected) this.#pending = pending;
      this.#loadError = '';
    } catch (error) {
      this.#loadError = this.#fail(error);
    }
    this.#render();
  }

  async #decide(text: TextAnswer, decision: 'approve' | 'reject'): Promise<void> {
    try {
      await this.#api!.decide(text.id, decision);
      this.#pending = this.#pending.filter((pending) => pending.id !== text.id);
      this.#loadError = '';
    } catch (error) {
      this.#loadError = this.#fail(error);
    }
    this.#render();
    void this.#loadPending();
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
    };
    this.#builder = builder;
    // What the element looks like changes the snippets only; what the token grants needs a new token.
    if (this.#minted && (this.#minted.text !== builder.text || this.#minted.expiresIn !== builder.expiresIn)) this.#minted = undefined;
    this.#render();
  }

  async #mint(): Promise<void> {
    const surveyId = this.#selected;
    if (!this.#api || !surveyId) return;
    const { text, expiresIn } = this.#builder;
    const scopes: ReadScope[] = text ? ['stats', 'text'] : ['stats'];
    this.#minting = true;
    this.#render();
    try {
      const minted = await this.#api.mint(surveyId, scopes, expiresIn);
      // The form may have changed while the token was on its way: never pair snippets with a token that no longer fits them.
      const current = this.#builder;
      if (this.#selected === surveyId && current.text === text && current.expiresIn === expiresIn) this.#minted = { surveyId, ...minted, text, expiresIn };
      this.#mintError = '';
    } catch (error) {
      this.#mintError = this.#fail(error);
    }
    this.#minting = false;
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
    render(
      html`<header class="admin-top">
          <p class="admin-brand">survey-live <span>admin</span></p>
          ${this.#api && this.#surveys ? html`<button type="button" class="link" @click=${() => this.#signOut()}>Sign out</button>` : nothing}
        </header>
        ${this.#api && this.#surveys ? this.#main(this.#surveys) : this.#signInForm()}`,
      this.container,
    );
  }

  #signInForm(): TemplateResult {
    const submit = (event: SubmitEvent) => {
      event.preventDefault();
      const input = (event.target as HTMLFormElement).elements.namedItem('admin-token') as HTMLInputElement;
      void this.#signIn(input.value.trim());
    };
    return html`<main class="admin-signin">
      <form class="admin-card" method="post" @submit=${submit}>
        <h1>Sign in</h1>
        <p>Enter the admin token: <code>ADMIN_TOKEN</code>, or on a first run the one the server printed when it started. It is kept in this browser tab only.</p>
        <label>Admin token <input type="password" name="admin-token" autocomplete="off" required minlength="16" /></label>
        ${this.#signInError ? html`<p class="error" role="alert">${this.#signInError}</p>` : nothing}
        <button type="submit">Sign in</button>
      </form>
    </main>`;
  }

  #main(surveys: Survey[]): TemplateResult {
    const survey = surveys.find((candidate) => candidate.id === this.#selected);
    const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
    return html`<main class="admin-main">
      <nav class="admin-surveys" aria-label="Surveys">
        <h2>Surveys</h2>
        ${
          surveys.length === 0
            ? html`<p class="muted">No surveys yet. Define one with <code>PUT /api/v1/surveys/:id</code> or <code>SURVEYS_FILE</code>.</p>`
            : html`<ul>
              ${surveys.map(
                (candidate) =>
                  html`<li>
                    <button type="button" aria-pressed=${candidate.id === this.#selected ? 'true' : 'false'} @click=${() => this.#select(candidate.id)}>
                      <span class="name">${candidate.name}</span>
                      <span class="muted">${candidate.id} · ${candidate.areas.length} areas · target ${percent.format(candidate.target)}</span>
                    </button>
                  </li>`,
              )}
            </ul>`
        }
      </nav>
      ${survey ? this.#survey(survey) : nothing}
    </main>`;
  }

  #survey(survey: Survey): TemplateResult {
    const handedOut = survey.areas.reduce((sum, area) => sum + area.distributed, 0);
    return html`<section class="admin-survey" aria-labelledby="survey-title">
      <h1 id="survey-title">${survey.name}</h1>
      <p class="muted">${survey.id} · ${survey.areas.length} areas · ${handedOut.toLocaleString('en')} handed out</p>
      ${this.#loadError ? html`<p class="error" role="alert">${this.#loadError}</p>` : nothing}
      ${this.#pending.length > 0 ? this.#moderation(survey) : nothing} ${this.#builderCard(survey)}
    </section>`;
  }

  #moderation(survey: Survey): TemplateResult {
    const areaName = (id: string | undefined) => survey.areas.find((area) => area.id === id)?.name;
    const time = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
    return html`<section class="admin-card moderation" aria-labelledby="moderation-title">
      <h2 id="moderation-title">Waiting for review <span class="count">${this.#pending.length}</span></h2>
      <p class="muted">Free-text answers reach feeds only once approved (<code>TEXT_MODERATION=hold</code>), and still no earlier than their privacy delay.</p>
      <ul class="pending">
        ${this.#pending.map(
          (text) => html`<li class="pending-text" data-id=${text.id}>
            <p class="text">${text.text}</p>
            <p class="muted">${[areaName(text.areaId), time.format(new Date(text.receivedAt))].filter(Boolean).join(' · ')}</p>
            <div class="actions">
              <button type="button" class="approve" @click=${() => void this.#decide(text, 'approve')}>Approve</button>
              <button type="button" class="reject secondary" @click=${() => void this.#decide(text, 'reject')}>Reject</button>
            </div>
          </li>`,
        )}
      </ul>
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
      <h2 id="builder-title">Embed builder</h2>
      <form class="builder" method="post" @change=${(event: Event) => this.#change(event.currentTarget as HTMLFormElement)} @submit=${submit}>
        <fieldset>
          <legend>What to show</legend>
          <label>Element <select name="element">
              ${ELEMENTS.filter(([value]) => survey.indexes.length > 0 || !value.startsWith('index')).map(([value, label]) => option(value, label, b.element))}
            </select></label>
          <label
            >Area
            <select name="area">
              ${option('', 'The whole survey', b.area)} ${survey.areas.map((area) => option(area.id, area.name, b.area))}
            </select></label
          >
          <label>Language <select name="lang">${option('sv', 'Swedish', b.lang)} ${option('en', 'English', b.lang)}</select></label>
          <label
            >Theme <select name="theme">${option('light', 'Light', b.theme)} ${option('dark', 'Dark', b.theme)} ${option('auto', "Viewer's system setting", b.theme)}</select></label
          >
        </fieldset>
        <fieldset>
          <legend>Read token</legend>
          <label class="check"><input type="checkbox" checked disabled /> Counts and rates</label>
          <label class="check"
            ><input type="checkbox" name="text" .checked=${b.text} ?disabled=${b.element === 'feed'} /> Free-text answers (the feed, and the board's feed)</label
          >
          <label>Valid for <select name="expiresIn">${EXPIRIES.map(([value, label]) => option(value, label, b.expiresIn))}</select></label>
          <button type="submit" ?disabled=${this.#minting}>Create token and snippets</button>
          ${this.#mintError ? html`<p class="error" role="alert">${this.#mintError}</p>` : nothing}
        </fieldset>
      </form>
      ${this.#minted?.surveyId === survey.id ? this.#snippets(survey, this.#minted) : html`<p class="muted">The snippets appear here once a token is created.</p>`}
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
    const title = `${survey.name}: ${ELEMENTS.find(([value]) => value === b.element)![1]}`;
    const script = scriptSnippet(choice);
    const iframe = iframeSnippet(choice, title);
    const board = boardUrl(choice);
    const until = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short' }).format(new Date(minted.expiresAt));
    const copyButton = (what: string, text: string) =>
      html`<button type="button" class="secondary" @click=${(event: Event) => void this.#copy(what, text, (event.currentTarget as HTMLElement).parentElement!.querySelector('textarea, input'))}>
        ${this.#copied === what ? 'Copied' : 'Copy'}
      </button>`;
    return html`<div class="snippets">
      <p class="token-note">
        A read token for <strong>${survey.name}</strong> (${minted.text ? 'counts, rates and free text' : 'counts and rates'}), valid until ${until}. Anyone who can
        see the page's source can use it, to read this survey only.
      </p>
      <div class="snippet" data-snippet="script">
        <h3>Script tag</h3>
        <p class="muted">For pages that allow scripts. The page's origin must be in <code>ALLOWED_ORIGINS</code>.</p>
        <textarea readonly rows="5" .value=${script}></textarea>
        ${copyButton('script', script)}
      </div>
      <div class="snippet" data-snippet="iframe">
        <h3>Iframe</h3>
        <p class="muted">For SharePoint's Embed web part and pages without scripts. The page's origin must be in <code>FRAME_ANCESTORS</code>.</p>
        <textarea readonly rows="4" .value=${iframe}></textarea>
        ${copyButton('iframe', iframe)}
      </div>
      <div class="snippet" data-snippet="board">
        <h3>Office board</h3>
        <p class="muted">Open it full screen on the TV. It shows free text only when the token includes free-text answers.</p>
        <input readonly .value=${board} />
        ${copyButton('board', board)} <a href=${board} target="_blank" rel="noopener">Open</a>
      </div>
      <h3>Live preview</h3>
      <div class="previews">
        <figure>
          <figcaption>Script tag</figcaption>
          <div class="preview">${this.#previewElement(choice)}</div>
        </figure>
        <figure>
          <figcaption>Iframe</figcaption>
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

new AdminPage(document.getElementById('admin-app')!);
