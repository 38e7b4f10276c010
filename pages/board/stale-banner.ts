/**
 * The board's promise not to freeze silently: when the page's live connection is not live (or
 * the server stops answering /healthz), a banner says so and when the figures were last known
 * to be current, and the figures are dimmed. Checked every second, so it shows within 5 s.
 */
import type { LiveConnection } from '../../widget/connection/registry.js';

/** Connecting this long after the page loaded, without ever being live, is a problem worth saying. */
const FIRST_CONNECT_GRACE_MS = 5_000;

const WORDS = {
  sv: {
    lost: (time: string) => `Anslutningen till servern bröts – senast uppdaterad ${time}. Försöker återansluta…`,
    never: 'Får ingen kontakt med servern. Försöker ansluta…',
  },
  en: {
    lost: (time: string) => `Connection lost – last updated ${time}. Reconnecting…`,
    never: 'Cannot reach the server. Trying to connect…',
  },
};

export interface StaleBannerOptions {
  banner: HTMLElement;
  lang: 'sv' | 'en';
  /** The page's connections (the widget's openConnections). */
  connections: () => ReadonlyMap<string, LiveConnection>;
}

export class StaleBanner {
  #reachable = true;
  #final = false;
  #lastCurrentAt = 0;
  readonly #startedAt = Date.now();
  readonly #clock: Intl.DateTimeFormat;

  constructor(private readonly options: StaleBannerOptions) {
    this.#clock = new Intl.DateTimeFormat(options.lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    setInterval(() => this.check(), 1000);
  }

  /** The survey is closed: its figures are final, and the board shows them without a warning. */
  set final(final: boolean) {
    if (this.#final === final) return;
    this.#final = final;
    this.check();
  }

  /** From the /healthz poll. */
  set reachable(reachable: boolean) {
    this.#reachable = reachable;
    this.check();
  }

  check(): void {
    const connections = [...this.options.connections().values()];
    const live =
      connections.length > 0 && connections.every((connection) => connection.status === 'live' || connection.status === 'degraded') && this.#reachable;
    const now = Date.now();
    // Data that arrived between two checks counts too: the page may lose the server within a second of loading.
    if (live) this.#lastCurrentAt = now;
    else this.#lastCurrentAt = Math.max(this.#lastCurrentAt, ...connections.map((connection) => connection.lastDataAt));
    const stale = !live && !this.#final && (this.#lastCurrentAt > 0 || now - this.#startedAt > FIRST_CONNECT_GRACE_MS);
    const { banner, lang } = this.options;
    if (stale) {
      const words = WORDS[lang];
      const text = this.#lastCurrentAt ? words.lost(this.#clock.format(this.#lastCurrentAt)) : words.never;
      if (banner.textContent !== text) banner.textContent = text;
    }
    banner.hidden = !stale;
    // When the banner last decided: lets a test wait for a decision rather than for time to pass.
    banner.dataset.checkedAt = String(now);
    document.documentElement.classList.toggle('stale', stale);
  }
}
