import fs from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';

/** Where `npm run build:web` writes the review workspace. */
export const WEB_DIST = path.resolve(import.meta.dirname, '../web/dist');

/**
 * Serves the built web app on the API's port: its files, and index.html for any other GET outside /api
 * (client-side routes such as /notes/<id>), so a reload or a shared link opens the right page. /api keeps
 * its JSON 404s. Hashed assets are cached for a year; index.html is always revalidated.
 */
export function serveWebApp<A extends Hono<any, any, any>>(app: A, root = WEB_DIST): A {
  const isApi = (p: string) => p === '/api' || p.startsWith('/api/');
  const files = serveStatic({ root });
  app.use('*', async (c, next) => {
    if (isApi(c.req.path)) return next();
    // Set before serving (serveStatic builds the response before its onFound hook); the fallback below overrides it.
    c.header('Cache-Control', c.req.path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    return files(c, next);
  });
  app.get('*', async (c, next) => {
    if (isApi(c.req.path)) return next();
    const index = path.join(root, 'index.html');
    if (!fs.existsSync(index)) return c.text('The web app is not built: run `npm run build:web`.', 503);
    c.header('Cache-Control', 'no-cache');
    return c.html(fs.readFileSync(index, 'utf8'));
  });
  return app;
}
