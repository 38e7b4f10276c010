/// <reference types="mocha" />
/** Browser-side helpers: the test server's commands, mounting elements, waiting, reading shadow DOM. */
import { executeServerCommand } from '@web/test-runner-commands';
import type { CreatedSurvey, SendResponse } from './live-test-server.js';

async function command<T>(name: string, payload?: unknown): Promise<T> {
  return (await executeServerCommand(name, payload)) as T;
}

export const liveServer = {
  url: async () => (await command<{ url: string }>('survey-live:server')).url,
  createSurvey: (
    options: {
      id?: string;
      areas?: { id: string; name: string; distributed: number; target?: number }[];
      target?: number;
      extra?: Record<string, unknown>;
    } = {},
  ) => command<CreatedSurvey>('survey-live:create-survey', options),
  send: (response: SendResponse) => command<number[]>('survey-live:send-response', response),
  mintToken: (surveyId: string, scopes: ('stats' | 'text')[], seconds?: number) => command<string>('survey-live:mint-token', { surveyId, scopes, seconds }),
  removeText: (surveyId: string, id: string) => command<boolean>('survey-live:remove-text', { surveyId, id }),
  /** Makes the server's store fail (or work again), as an unreachable Redis would. */
  storeDown: (down: boolean) => command<boolean>('survey-live:store-down', { down }),
  /** Restarts the server with MIN_GROUP_SIZE (1 turns small-group protection off). */
  minGroupSize: (minGroupSize: number) => command<boolean>('survey-live:min-group-size', { minGroupSize }),
  /** Pushes a snapshot one response behind and a second older, as a second instance's late one would be. */
  emitStaleStats: (surveyId: string) => command<boolean>('survey-live:emit-stale-stats', { surveyId }),
  /** Calls the admin API (`path` under /api/v1); a CSV goes as text with its contentType. */
  admin: (method: string, path: string, body?: unknown, contentType?: string) =>
    command<{ status: number; body: unknown }>('survey-live:admin', { method, path, body, contentType }),
  stop: () => command<boolean>('survey-live:stop-server'),
  start: () => command<{ url: string }>('survey-live:start-server'),
  subscribers: (surveyIds: string[]) => command<{ rooms: Record<string, string[]>; sockets: number }>('survey-live:subscribers', { surveyIds }),
};

const mounted: HTMLElement[] = [];

/** Puts markup on the page; removed again after each test. */
export function mount<T extends HTMLElement>(markup: string): T {
  const box = document.createElement('div');
  box.innerHTML = markup;
  document.body.append(box);
  mounted.push(box);
  return box.firstElementChild as T;
}

export function unmountAll(): void {
  for (const box of mounted.splice(0)) box.remove();
}

/** Waits until `check` returns something truthy; fails naming `what`. */
export async function until<T>(check: () => T | Promise<T>, what: string, timeoutMs = 5000): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  while (performance.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Text with no-break and narrow no-break spaces (Intl's thousands and percent spaces) as plain spaces. */
export const plain = (text: string | null | undefined) => (text ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();

/** Visible text of a part (or the whole shadow root), with no-break and narrow spaces as plain spaces. */
export function textOf(element: Element, selector?: string): string {
  const root = element.shadowRoot!;
  const node = selector ? root.querySelector(selector) : root;
  return plain(node?.textContent);
}

export const part = <T extends Element = HTMLElement>(element: Element, name: string) => element.shadowRoot!.querySelector<T>(`[part~="${name}"]`);

/** WCAG 2 contrast ratio of two computed colours: `rgb()`, `rgba()` or `color(srgb …)` (what color-mix() computes to). */
export function contrast(foreground: string, background: string): number {
  const luminance = (color: string) => {
    const scale = color.startsWith('color(srgb') ? 1 : 255;
    const [r, g, b] = (color.replace('color(srgb', '').match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / scale;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
  return (light! + 0.05) / (dark! + 0.05);
}
