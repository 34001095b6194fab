import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

// Swagger UI (GET /api/docs, @hono/swagger-ui) loads its bundle from jsDelivr and boots it with an inline
// script; only that page gets those two sources, the review workspace runs on its own bundled scripts alone.
const DOCS_PATH = '/api/docs';
const SWAGGER_CDN = 'https://cdn.jsdelivr.net';
const onDocs = (sources: string) => (c: Context) => (c.req.path === DOCS_PATH ? sources : '');

/**
 * Security headers on every response (hono/secure-headers): a Content-Security-Policy that runs only the
 * app's own scripts and refuses framing (clickjacking), `nosniff`, and no Referer at all
 * (note URLs carry note ids). Inline style attributes stay allowed: Svelte templates and the charts set them.
 */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", onDocs(`${SWAGGER_CDN} 'unsafe-inline'`)],
      styleSrc: ["'self'", "'unsafe-inline'", onDocs(SWAGGER_CDN)],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'no-referrer',
  });
}
