/**
 * A Lit reactive controller that gives an element the live state of one survey over the page's
 * shared connection: it subscribes when the element is connected, follows changes of its
 * `server`, `survey` and `token`, and releases the subscription when the element is removed.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { type Change, type ConnectionStatus, connectionFor, type LiveConnection, type SubscriptionState } from './registry.js';

export interface LiveHost extends ReactiveControllerHost {
  server: string;
  survey: string;
  token: string;
}

export interface LiveControllerOptions {
  /** Also stream free-text answers (needs a token with the `text` scope). */
  texts?: boolean;
  /** Which changes need a render; 'state' (acks, errors, connection status) always does. */
  renderOn?: Change[];
}

const NOTHING: SubscriptionState = { snapshot: undefined, texts: [], error: undefined };

export class LiveController implements ReactiveController {
  #connection: LiveConnection | undefined;
  #subscription: { state: SubscriptionState; release: () => void } | undefined;
  #subscribedTo = '';
  readonly #renderOn: Set<Change>;

  readonly #host: LiveHost;
  readonly #texts: boolean;

  constructor(host: LiveHost, options: LiveControllerOptions = {}) {
    this.#host = host;
    this.#texts = Boolean(options.texts);
    this.#renderOn = new Set(['state', ...(options.renderOn ?? ['stats', 'texts'])]);
    host.addController(this);
  }

  get state(): SubscriptionState {
    return this.#subscription?.state ?? NOTHING;
  }

  get status(): ConnectionStatus {
    return this.#connection?.status ?? 'connecting';
  }

  /** When data last arrived over the connection (epoch ms), 0 before any. */
  get lastDataAt(): number {
    return this.#connection?.lastDataAt ?? 0;
  }

  hostConnected(): void {
    this.#follow();
  }

  hostUpdate(): void {
    // Attributes may have changed since the last render: follow them before rendering.
    this.#follow();
  }

  hostDisconnected(): void {
    this.#release();
  }

  readonly #onChange = (change: Change) => {
    if (this.#renderOn.has(change)) this.#host.requestUpdate();
  };

  #follow(): void {
    const { server, survey, token } = this.#host;
    const wanted = survey ? JSON.stringify([server, survey, token]) : '';
    if (wanted === this.#subscribedTo) return;
    this.#release();
    this.#subscribedTo = wanted;
    if (!wanted) return;
    this.#connection = connectionFor(server);
    this.#subscription = this.#connection.subscribe({ surveyId: survey, ...(token ? { token } : {}), texts: this.#texts }, this.#onChange);
    this.#host.requestUpdate();
  }

  #release(): void {
    this.#subscription?.release();
    this.#subscription = undefined;
    this.#subscribedTo = '';
  }
}
