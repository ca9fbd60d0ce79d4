import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';

/**
 * Serves the built web app (web/dist): hashed assets are cached for a year, and every other non-API path gets
 * index.html so that the app's own router shows the page (shareable URLs such as /states/FRA?asOf=2015-08-24).
 */
export function registerWebApp(app: OpenAPIHono, webRoot: string): void {
  const indexHtml = readFileSync(path.join(webRoot, 'index.html'), 'utf8');
  const root = path.relative(process.cwd(), webRoot) || '.';
  app.use(
    '/assets/*',
    serveStatic({
      root,
      onFound: (_path, c) => {
        c.header('Cache-Control', 'public, max-age=31536000, immutable');
      },
    }),
  );
  app.use('*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const p = c.req.path;
    if (p.startsWith('/v1/') || p === '/v1' || p === '/openapi.json' || p === '/docs') return next();
    return serveStatic({
      root,
      onFound: (_path, ctx) => {
        ctx.header('Cache-Control', 'public, max-age=300');
      },
    })(c, async () => {
      if (path.extname(p) === '') {
        c.res = c.html(indexHtml, 200, { 'Cache-Control': 'no-cache' });
      } else {
        await next();
      }
    });
  });
}
