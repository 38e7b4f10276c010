/**
 * Polls the server's /healthz: whether it answers at all (a socket can take far longer to notice
 * a dead network than a board may stay silent), and which version it runs, so the board can
 * reload itself after a deploy.
 */
export interface ServerWatchOptions {
  healthUrl: string;
  /** The version the page was served by (its `survey-live-version` meta). */
  pageVersion: string;
  everyMs: number;
  timeoutMs: number;
  /** After every poll: false when the server did not answer in time (or at all). */
  onReachable(reachable: boolean): void;
  /** One other version answered three times in a row: a few odd answers mid rolling deploy are not enough. */
  onNewVersion(): void;
}

/** fetch() that gives up after `ms`; by hand rather than AbortSignal.timeout, which older TV browsers lack. */
async function fetchWithin(url: string, ms: number): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    return await fetch(url, { cache: 'no-store', signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

const LEFT_VERSION_KEY = 'survey-live-left-version';
const SAME_VERSION_IN_A_ROW = 3;

export function watchServer(options: ServerWatchOptions): () => void {
  // Behind a load balancer mid rolling deploy, old and new instances answer by turns: count one
  // candidate version in a row, and never reload for a version this tab already reloaded away from.
  let candidate: string | undefined;
  let seen = 0;
  const poll = async () => {
    let res: Response;
    try {
      res = await fetchWithin(options.healthUrl, options.timeoutMs);
    } catch {
      options.onReachable(false);
      return;
    }
    options.onReachable(true);
    // A proxy may not pass /healthz through: an answer without a version says nothing about deploys.
    const version = res.ok ? ((await res.json().catch(() => ({}))) as { version?: unknown }).version : undefined;
    const other = typeof version === 'string' && version !== options.pageVersion && version !== sessionStorage.getItem(LEFT_VERSION_KEY) ? version : undefined;
    seen = other !== undefined && other === candidate ? seen + 1 : other === undefined ? 0 : 1;
    candidate = other;
    if (seen >= SAME_VERSION_IN_A_ROW) options.onNewVersion();
  };
  const timer = setInterval(() => void poll(), options.everyMs);
  return () => clearInterval(timer);
}

/** Reloads once the page itself loads: a reload into a server that is down would leave an error page on the wall for good. */
export async function reloadWhenServed(): Promise<boolean> {
  try {
    const res = await fetchWithin(location.href, 10_000);
    if (!res.ok) return false;
  } catch {
    return false;
  }
  sessionStorage.setItem(LEFT_VERSION_KEY, document.querySelector('meta[name="survey-live-version"]')?.getAttribute('content') ?? '');
  location.reload();
  return true;
}
