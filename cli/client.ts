/** The CLI's view of a running survey-live server: its admin API over HTTP, problems as CliErrors. */
import type { Problem } from '../shared/schemas.js';
import { CliError, UsageError } from './errors.js';

export interface GlobalOptions {
  server: string;
  token?: string;
}

export interface RequestOptions {
  /** A JSON body. */
  json?: unknown;
  /** A raw body and its type (e.g. a CSV file). */
  body?: Uint8Array<ArrayBuffer>;
  contentType?: string;
  /** Send the admin token (default: yes). */
  admin?: boolean;
  /** Bearer token instead of the admin token. */
  bearer?: string;
}

export class ServerClient {
  readonly base: string;

  constructor(
    server: string,
    private readonly adminToken: string | undefined,
  ) {
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      throw new UsageError(`--server must be a URL like http://localhost:3000, not "${server}"`);
    }
    this.base = url.origin + url.pathname.replace(/\/+$/, '');
  }

  static from(options: GlobalOptions, env: Record<string, string | undefined> = process.env): ServerClient {
    return new ServerClient(options.server, options.token ?? env.SURVEY_LIVE_ADMIN_TOKEN);
  }

  /** Sends one request; resolves the parsed JSON of a 2xx answer, throws CliError with the problem otherwise. */
  async call<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.send<T>(method, path, options)).body;
  }

  /** As call, with the answer's status (e.g. 201 created, 200 updated). */
  async send<T>(method: string, path: string, options: RequestOptions = {}): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (options.admin !== false && !options.bearer) {
      if (!this.adminToken) throw new UsageError('This command needs the admin token: pass --token or set SURVEY_LIVE_ADMIN_TOKEN');
      headers.Authorization = `Bearer ${this.adminToken}`;
    }
    if (options.bearer) headers.Authorization = `Bearer ${options.bearer}`;
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.body) {
      headers['Content-Type'] = options.contentType ?? 'application/octet-stream';
      body = options.body;
    }
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(`Cannot reach the server at ${this.base}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok) throw problemError(res.status, text);
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}

/** A server's problem+json as a CliError: its detail, then each error it names. */
export function problemError(status: number, text: string): CliError {
  let problem: Partial<Problem> | undefined;
  try {
    problem = JSON.parse(text) as Partial<Problem>;
  } catch {
    // Not JSON: a proxy's error page, say.
  }
  const what = problem?.detail ?? problem?.title ?? (text.slice(0, 200) || 'no details');
  const details = (problem?.errors ?? []).map((e) => `${e.path}: ${e.message}`);
  return new CliError(`The server answered ${status}: ${what}`, 1, details.length > 1 ? details : []);
}
