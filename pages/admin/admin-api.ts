/** The admin API calls the admin page makes, with the admin token from session storage. */
import type { ReadScope } from '../../shared/constants.js';
import type { Survey, TextAnswer } from '../../shared/schemas.js';

export type { ReadScope };

/** The token is wrong (or was changed on the server): the page asks for it again. */
export class Unauthorized extends Error {}

export class AdminApi {
  constructor(
    private readonly root: string,
    private readonly adminToken: string,
  ) {}

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(new URL(`api/v1/${path}`, this.root), {
      method,
      headers: { Authorization: `Bearer ${this.adminToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: 'no-store',
    });
    if (res.status === 401) throw new Unauthorized('The admin token is wrong');
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(json.detail ?? json.title ?? `The server answered ${res.status}`);
    return json as T;
  }

  async surveys(): Promise<Survey[]> {
    return (await this.#call<{ surveys: Survey[] }>('GET', 'surveys')).surveys;
  }

  mint(surveyId: string, scopes: ReadScope[], expiresIn: string): Promise<{ token: string; expiresAt: string }> {
    return this.#call('POST', 'tokens', { surveyId, scopes, expiresIn });
  }

  async pending(surveyId: string): Promise<TextAnswer[]> {
    return (await this.#call<{ texts: TextAnswer[] }>('GET', `surveys/${encodeURIComponent(surveyId)}/texts/pending`)).texts;
  }

  async decide(textId: string, decision: 'approve' | 'reject'): Promise<void> {
    await this.#call('POST', `texts/${encodeURIComponent(textId)}/${decision}`);
  }
}
