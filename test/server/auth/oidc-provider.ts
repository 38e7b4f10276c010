/**
 * A real OpenID provider (`oidc-provider`) on a free local port, and a browser-like HTTP client
 * that signs in through it: follows redirects, keeps each host's cookies, and answers the
 * provider's login and consent pages the way a person would submit them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface Person {
  email: string;
  groups?: string[];
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Registers the survey-live instances that may sign in through it. */
  start(appUrls: string[]): void;
  close(): Promise<void>;
}

export async function startProvider(people: Record<string, Person>): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'survey-live';
  const clientSecret = 'a-client-secret-for-tests-only-0123456789';
  return {
    issuer,
    clientId,
    clientSecret,
    start(appUrls) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uris: appUrls.map((url) => `${url}/auth/callback`),
            grant_types: ['authorization_code'],
            response_types: ['code'],
          },
        ],
        cookies: { keys: ['cookie-signing-key-for-tests-only'] },
        claims: { openid: ['sub', 'groups'], email: ['email', 'email_verified'] },
        async findAccount(_ctx, sub) {
          const person = people[sub];
          if (!person) return undefined;
          return { accountId: sub, claims: async () => ({ sub, email: person.email, email_verified: true, groups: person.groups ?? [] }) };
        },
      });
      server.on('request', provider.callback());
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Cookies per host, as a browser keeps them (paths ignored: each test host has few). */
export class Browserish {
  private readonly jars = new Map<string, Map<string, string>>();

  cookies(url: string): Map<string, string> {
    const host = new URL(url).host;
    let jar = this.jars.get(host);
    if (!jar) {
      jar = new Map();
      this.jars.set(host, jar);
    }
    return jar;
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const jar = this.cookies(url);
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('Cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute) || /^\s*expires=Thu, 01 Jan 1970/i.test(attribute));
      if (!value || expired) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }

  /**
   * Opens the admin's sign-in and goes through the provider as `login`: the last response
   * (survey-live's answer to the callback, or wherever it stopped) and the URLs visited.
   */
  async signIn(appUrl: string, login: string): Promise<{ last: Response; visited: string[] }> {
    const visited: string[] = [];
    let res = await this.fetch(`${appUrl}/auth/login`);
    let url = `${appUrl}/auth/login`;
    for (let step = 0; step < 20; step++) {
      visited.push(url);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        url = new URL(location, url).href;
        if (url.startsWith(`${appUrl}/admin`)) return { last: res, visited };
        res = await this.fetch(url);
        continue;
      }
      if (res.status === 200 && url.includes('/interaction/')) {
        const page = await res.text();
        const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
        const body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt: prompt ?? '' });
        res = await this.fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
        continue;
      }
      return { last: res, visited };
    }
    throw new Error(`sign-in did not finish: ${visited.join(' → ')}`);
  }
}
