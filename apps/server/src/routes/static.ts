import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { UnavailableError } from '@vixshield/core';
import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '../errors';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The dashboard (static files of the built apps/web), or a clear message when it was not built. */
export const staticDashboardRoutes: FastifyPluginAsync<{ webDir?: string | undefined }> = async (app, o) => {
  const webDir = o.webDir ? resolve(o.webDir) : undefined;
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    const path = (req.params as { '*': string })['*'] || 'index.html';
    if (path.startsWith('api/'))
      throw new HttpError(404, `no route GET /${path}`, null, 'see /api/docs/json');
    if (!webDir || !existsSync(join(webDir, 'index.html'))) {
      // The environment, not the request: 503 in the API's error shape, with the fix.
      throw new UnavailableError(
        `the dashboard is not built${webDir ? ` (no ${join(webDir, 'index.html')})` : ''}`,
        'dashboard',
        'build it with: npm run build -w apps/web (the API works without it: see /api/docs/json)',
      );
    }
    const file = normalize(join(webDir, path));
    const found = file.startsWith(webDir + sep) && existsSync(file) && statSync(file).isFile();
    if (!found) {
      // A missing asset (a name with an extension: /favicon.ico, /assets/x.js) is a 404; any other
      // path is a dashboard route, answered with index.html (the single-page app routes it).
      if (extname(path) !== '')
        throw new HttpError(404, `no file /${path}`, null, 'the dashboard has no such asset');
      return reply.type(CONTENT_TYPES['.html']!).send(readFileSync(join(webDir, 'index.html')));
    }
    return reply.type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream').send(readFileSync(file));
  });
};
