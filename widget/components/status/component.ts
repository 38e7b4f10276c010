import { LitElement } from 'lit';
import { connectionFor, type LiveConnection } from '../../connection/registry.js';
import { langOf, statusBadge, type Theme } from '../base/live-element.js';
import { cardStyles, themeStyles } from '../base/styles.js';

/**
 * The state of the page's connection to a survey-live server: live, degraded (connected, but
 * the server cannot reach its store: figures may lag behind), reconnecting or offline,
 * with the time data last arrived while not live. Every other element shows the same badge in
 * its header; this one is for a page that wants a single indicator (say, in a TV's corner).
 *
 * @element survey-live-status
 *
 * @attr server - Base URL of the survey-live server; defaults to where the script was loaded from.
 * @attr lang - `sv` or `en`; defaults to the page's language, then Swedish.
 * @attr theme - `light` (default), `dark` or `auto` (follows the viewer's system setting).
 *
 * @csspart status - The badge (carries `data-status`: connecting, live, degraded, reconnecting, offline).
 *
 * @cssproperty --survey-live-text - Text colour of the badge's surroundings. Light #1b1f24, dark #f2f4f7.
 * @cssproperty --survey-live-muted - Badge text colour. Light #52606d, dark #a7b1bc.
 * @cssproperty --survey-live-font - Font family. Defaults to the system UI font.
 */
export class SurveyLiveStatus extends LitElement {
  static override styles = [themeStyles, cardStyles];
  static override properties = { server: {}, lang: {}, theme: { reflect: true } };

  declare server: string;
  declare theme: Theme;

  #connection: LiveConnection | undefined;
  #unwatch: (() => void) | undefined;
  #watching: string | undefined;
  #clock: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.server = '';
    this.theme = 'light';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved in the DOM: watch the connection again (willUpdate does).
    this.requestUpdate();
    this.#clock = setInterval(() => this.requestUpdate(), 30_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#clock);
    this.#unwatch?.();
    this.#unwatch = undefined;
    this.#watching = undefined;
  }

  protected override willUpdate(): void {
    if (this.#watching === this.server && this.#unwatch) return;
    this.#unwatch?.();
    this.#watching = this.server;
    this.#connection = connectionFor(this.server);
    this.#unwatch = this.#connection.watch(() => this.requestUpdate());
  }

  override render() {
    return statusBadge(this.#connection?.status ?? 'connecting', this.#connection?.lastDataAt ?? 0, langOf(this));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'survey-live-status': SurveyLiveStatus;
  }
}
