/**
 * The scopes a read token grants, read from its payload without verifying it: enough for a page
 * to decide what to show (the server checks the token itself on every subscription).
 */
export function tokenScopes(token: string | null | undefined): string[] {
  const payload = token?.split('.')[1];
  if (!payload) return [];
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { scope?: unknown };
    return typeof json.scope === 'string' ? json.scope.split(' ').filter(Boolean) : [];
  } catch {
    return [];
  }
}

/** The server's root URL, from a page script served at <root>/pages/<name>.js. */
export const serverRoot = (scriptUrl: string): string => new URL('..', scriptUrl).href;
