/** Which browser origins may use this server: ALLOWED_ORIGINS and the server's own. Sockets, CORS and widget assets ask here. */
import type { IncomingMessage } from 'node:http';

export type OriginCheck = (origin: string | undefined, req: IncomingMessage) => boolean;

export function originCheck(allowedOrigins: readonly string[]): OriginCheck {
  return (origin, req) => {
    if (!origin) return true; // not a browser, or a same-origin navigation
    if (allowedOrigins.includes(origin)) return true;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  };
}
