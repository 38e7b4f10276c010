/**
 * The real survey-live server the browser tests talk to: createApp with a MemoryStore on a real
 * port, started by web-test-runner.config.mjs on the node side. Tests drive it through
 * `executeServerCommand('survey-live:…')`; every command goes through the server's public
 * surface (signed webhooks, the admin API, real sockets), except minting tokens (also for surveys
 * that do not exist) and the store fault switch.
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { type App, createApp } from '../../../server/app.js';
import type { ReadScope } from '../../../server/auth/read-tokens.js';
import { loadConfig } from '../../../server/config.js';
import { signWebhook } from '../../../server/ingest/signature.js';
import { statsRoom } from '../../../server/live/live-server.js';
import { MemoryStore } from '../../../server/store/memory-store.js';
import { StoreUnavailableError } from '../../../server/store/response-store.js';
import { LIVE_NAMESPACE } from '../../../shared/events.js';
import type { SurveyInput } from '../../../shared/schemas.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ADMIN_TOKEN = 'widget-test-admin-token-0123456789';

export interface CreatedSurvey {
  surveyId: string;
  statsToken: string;
  textToken: string;
}

export interface SendResponse {
  surveyId: string;
  areaId?: string;
  text?: string;
  /** ISO time the respondent answered; the timeline buckets by it. */
  submittedAt?: string;
  /** How many identical responses (each its own id). */
  count?: number;
  /** How it was collected; web by default. */
  channel?: string;
}

/** What the browser sends with a command; each command reads its own fields. */
type CommandPayload = SendResponse & {
  /** Lifetime of a minted token; an hour unless a test needs one that expires. */
  seconds?: number;
  minGroupSize?: number;
  id: string;
  scopes: ReadScope[];
  surveyIds: string[];
  down: boolean;
  areas?: SurveyInput['areas'];
  target?: number;
  /** Further survey fields (opensAt, closesAt, indexes). */
  extra?: Partial<SurveyInput>;
  /** survey-live:admin: a call of the admin API. */
  method: string;
  path: string;
  body?: unknown;
  /** survey-live:admin: sent as text with this type (a CSV) instead of JSON. */
  contentType?: string;
};

export class WidgetTestServer {
  readonly store = new MemoryStore();
  private app: App | undefined;
  private port = 0;
  /** While true, reading surveys fails as an unreachable Redis would. */
  private storeDown = false;
  /** MIN_GROUP_SIZE of the running server; 1 (off) unless a test restarts it with another. */
  private minGroupSize = 1;

  constructor(private readonly allowedOrigins: string[]) {
    const getSurvey = this.store.getSurvey.bind(this.store);
    this.store.getSurvey = (surveyId) => (this.storeDown ? Promise.reject(new StoreUnavailableError()) : getSurvey(surveyId));
    // The server's store watch pings: it must see the outage too (server:status).
    const ping = this.store.ping.bind(this.store);
    this.store.ping = () => (this.storeDown ? Promise.reject(new StoreUnavailableError()) : ping());
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts (or restarts, on the same port and with the same data) the server. */
  async start(): Promise<void> {
    if (this.app) return;
    const config = loadConfig({
      ADMIN_TOKEN,
      WEBHOOK_SECRETS: SECRET,
      TOKEN_SECRET: 'widget-tests-'.padEnd(40, 'x'),
      ALLOWED_ORIGINS: this.allowedOrigins.join(','),
      LOG_LEVEL: 'silent',
      DEMO: 'false',
      // Privacy delays would hold texts back for minutes; the privacy tests cover them.
      TEXT_DELAY_S: '0',
      MIN_GROUP_SIZE: String(this.minGroupSize),
      STATS_INTERVAL_MS: '100',
    });
    const app = createApp({ config, store: this.store, logger: pino({ level: 'silent' }) });
    const address = await app.listen(this.port, '127.0.0.1');
    this.port = address.port;
    this.app = app;
  }

  async stop(): Promise<void> {
    const app = this.app;
    this.app = undefined;
    await app?.close();
  }

  async close(): Promise<void> {
    await this.stop();
    await this.store.close();
  }

  /** Handles `survey-live:*` commands from the browser; undefined for anyone else's. */
  async command(name: string, payload: CommandPayload): Promise<unknown> {
    switch (name) {
      case 'survey-live:server':
        return { url: this.url };
      case 'survey-live:create-survey':
        return this.createSurvey(payload ?? {});
      case 'survey-live:send-response':
        return this.sendResponse(payload);
      case 'survey-live:mint-token':
        return (await this.running().tokens.mint(payload.surveyId, payload.scopes, payload.seconds ?? 3600)).token;
      case 'survey-live:remove-text': {
        // What a moderator does: the server then tells every feed (text:removed).
        const res = await fetch(`${this.url}/api/v1/texts/${payload.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
        if (res.status !== 204) throw new Error(`DELETE text: ${res.status} ${await res.text()}`);
        return true;
      }
      case 'survey-live:stop-server':
        await this.stop();
        return true;
      case 'survey-live:start-server':
        await this.start();
        return { url: this.url };
      case 'survey-live:min-group-size':
        // Restarts the server (same port, same data) with small-group protection at this size.
        this.minGroupSize = payload.minGroupSize ?? 1;
        await this.stop();
        await this.start();
        return true;
      case 'survey-live:store-down':
        this.storeDown = Boolean(payload.down);
        return true;
      case 'survey-live:emit-stale-stats': {
        // What a second instance's late snapshot looks like: fewer responses, from before.
        const live = this.running().live;
        const current = await live.snapshots.get(payload.surveyId);
        if (!current) throw new Error(`no survey ${payload.surveyId}`);
        const stale = { ...current, responses: current.responses - 1, updatedAt: new Date(Date.parse(current.updatedAt) - 1000).toISOString() };
        live.io.of(LIVE_NAMESPACE).to(statsRoom(payload.surveyId)).emit('survey:stats', stale);
        return true;
      }
      case 'survey-live:admin': {
        // The admin API as an admin would call it (history imports, reminder rounds).
        const { method, path, body, contentType } = payload;
        const res = await fetch(`${this.url}/api/v1${path}`, {
          method,
          headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': contentType ?? 'application/json' },
          ...(body === undefined ? {} : { body: contentType ? String(body) : JSON.stringify(body) }),
        });
        const text = await res.text();
        return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
      }
      case 'survey-live:subscribers':
        return this.subscribers(payload.surveyIds);
      default:
        return undefined;
    }
  }

  private running(): App {
    if (!this.app) throw new Error('the survey-live test server is stopped');
    return this.app;
  }

  private async createSurvey({
    areas,
    target,
    id,
    extra,
  }: {
    areas?: SurveyInput['areas'];
    target?: number;
    id?: string;
    extra?: Partial<SurveyInput>;
  }): Promise<CreatedSurvey> {
    const surveyId = id ?? `widget-${randomUUID().slice(0, 8)}`;
    const survey: SurveyInput = {
      id: surveyId,
      name: 'Hyresgästenkät 2026',
      target: target ?? 0.6,
      areas: areas ?? [
        { id: 'norr', name: 'Norra området', distributed: 100 },
        { id: 'soder', name: 'Södra området', distributed: 50 },
      ],
      textQuestions: ['comment'],
      ...extra,
    };
    const res = await fetch(`${this.url}/api/v1/surveys/${surveyId}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(survey),
    });
    if (!res.ok) throw new Error(`PUT survey: ${res.status} ${await res.text()}`);
    const tokens = this.running().tokens;
    return {
      surveyId,
      statsToken: (await tokens.mint(surveyId, ['stats'], 3600)).token,
      textToken: (await tokens.mint(surveyId, ['stats', 'text'], 3600)).token,
    };
  }

  /** Posts signed webhooks, one after another; resolves once the server has counted them all. */
  private async sendResponse({ surveyId, areaId, text, submittedAt, count = 1, channel = 'web' }: SendResponse): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) {
      const body = JSON.stringify({
        type: 'response.created',
        timestamp: new Date().toISOString(),
        data: {
          responseId: randomUUID(),
          surveyId,
          ...(areaId ? { areaId } : {}),
          ...(submittedAt ? { submittedAt } : {}),
          channel,
          answers: [{ questionId: 'q1', value: 4 }, ...(text ? [{ questionId: 'comment', text }] : [])],
        },
      });
      const res = await fetch(`${this.url}/api/v1/webhooks/responses`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...signWebhook(SECRET, body) },
        body,
      });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    return statuses;
  }

  /** Which sockets the server has in each survey's stats room, and how many it has in all. */
  private async subscribers(surveyIds: string[]): Promise<{ rooms: Record<string, string[]>; sockets: number }> {
    const live = this.running().live.io.of(LIVE_NAMESPACE);
    const rooms: Record<string, string[]> = {};
    for (const surveyId of surveyIds) rooms[surveyId] = [...(live.adapter.rooms.get(statsRoom(surveyId)) ?? [])];
    return { rooms, sockets: live.sockets.size };
  }
}
