import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The client's address for sign-in throttling. Behind a reverse proxy (TRUST_PROXY) it is the last
 * X-Forwarded-For hop — the one the proxy itself appended; earlier hops are the client's to forge.
 * Requests that did not come over a socket (app.request in tests, other runtimes) share 'unknown'.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const last = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return (c.env as { incoming?: unknown } | undefined)?.incoming ? (getConnInfo(c).remote.address ?? 'unknown') : 'unknown';
}
