import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
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
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send(
          `The dashboard is not built${webDir ? ` (no ${join(webDir, 'index.html')})` : ''}.\n` +
            'Build it with: npm run build -w apps/web\nThe API works without it: see /api/docs/json\n',
        );
    }
    const file = normalize(join(webDir, path));
    if (!file.startsWith(webDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      return reply.type(CONTENT_TYPES['.html']!).send(readFileSync(join(webDir, 'index.html')));
    }
    return reply.type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream').send(readFileSync(file));
  });
};
