/**
 * What every survey-live element has in common: the common attributes, the live controller,
 * language and number formats, the status badge, and the words shown instead of a blank box
 * while loading or when the server refuses.
 */
import { html, LitElement, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { UNASSIGNED_AREA_ID, UNASSIGNED_AREA_NAME } from '../../../shared/constants.js';
import type { LiveError } from '../../../shared/events.js';
import type { AreaStats } from '../../../shared/schemas.js';
import { LiveController, type LiveControllerOptions } from '../../connection/live-controller.js';
import type { ConnectionStatus } from '../../connection/registry.js';
import { type Formatters, formattersFor } from '../../format.js';
import { errorText, type Lang, type Messages, messagesFor, resolveLang } from '../../i18n.js';

export type Theme = 'light' | 'dark' | 'auto';

/** Relative times ("2 min ago") and the status badge are refreshed this often. */
const CLOCK_MS = 30_000;

/** The element's own `lang`, else the nearest ancestor's (the page's), else Swedish. */
export const langOf = (element: HTMLElement): Lang => resolveLang(element.lang || element.parentElement?.closest('[lang]')?.getAttribute('lang'));

/** Live / reconnecting / offline, with when data last came while not live. */
export function statusBadge(status: ConnectionStatus, lastDataAt: number, lang: Lang): TemplateResult {
  const t = messagesFor(lang);
  const since = status !== 'live' && lastDataAt ? ` · ${t.updated(formattersFor(lang).relative(lastDataAt))}` : '';
  return html`<span class="status" part="status" data-status=${status} role="status"
    ><span class="dot" aria-hidden="true"></span>${t.status[status]}${since}</span
  >`;
}

export abstract class LiveElement extends LitElement {
  static override properties: PropertyDeclarations = {
    server: {},
    survey: {},
    area: {},
    token: {},
    lang: {},
    theme: { reflect: true },
  };

  /** Base URL of the survey-live server; defaults to where the script was loaded from. */
  declare server: string;
  /** Id of the survey to show. */
  declare survey: string;
  /** Id of one area to show instead of the whole survey. */
  declare area: string;
  /** A read token for the survey (the `text` scope for free-text answers). */
  declare token: string;
  /** `light`, `dark` or `auto` (follows the viewer's system setting). */
  declare theme: Theme;

  protected readonly live: LiveController;
  /** Elements that show relative times re-render on the clock even while live. */
  protected showsRelativeTimes = false;
  #clock: ReturnType<typeof setInterval> | undefined;
  #shownSnapshot: unknown;
  #shownError: LiveError | undefined;

  constructor(options?: LiveControllerOptions) {
    super();
    this.server = '';
    this.survey = '';
    this.area = '';
    this.token = '';
    this.theme = 'light';
    this.live = new LiveController(this, options);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#clock = setInterval(() => {
      if (this.showsRelativeTimes || this.live.status !== 'live') this.requestUpdate();
    }, CLOCK_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#clock);
  }

  protected get langCode(): Lang {
    return langOf(this);
  }

  protected get t(): Messages {
    return messagesFor(this.langCode);
  }

  protected get format(): Formatters {
    return formattersFor(this.langCode);
  }

  protected areaName(area: Pick<AreaStats, 'id' | 'name'> | undefined): string {
    // The unassigned area's name comes in English from the server: translate it.
    return !area || area.id === UNASSIGNED_AREA_ID ? UNASSIGNED_AREA_NAME[this.langCode] : area.name;
  }

  protected renderStatus(): TemplateResult {
    return statusBadge(this.live.status, this.live.lastDataAt, this.langCode);
  }

  /** Words instead of content while there is nothing to show; undefined when there is. */
  protected renderProblem(): TemplateResult | undefined {
    const { error, snapshot } = this.live.state;
    if (!this.survey) return this.renderError(this.t.missingSurvey);
    if (error) return this.renderError(errorText(this.t, error.code, this.survey));
    if (!snapshot) return html`<p class="message" part="message">${this.t.loading}</p>`;
    return undefined;
  }

  protected renderError(text: string): TemplateResult {
    return html`<p class="message error" part="error" role="alert">${text}</p>`;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const { snapshot, error } = this.live.state;
    if (snapshot && snapshot !== this.#shownSnapshot) this.#emit('survey-live-update', { snapshot });
    if (error && error !== this.#shownError) this.#emit('survey-live-error', { ...error });
    this.#shownSnapshot = snapshot;
    this.#shownError = error;
  }

  #emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}
