import type { FastifyPluginAsync } from 'fastify';
import { toApiError } from '../errors';
import { unencapsulated } from './unencapsulated';

/** A route pattern as a regular expression over a request path (`:id` one segment, `*` the rest). */
function patternOf(url: string): RegExp {
  const body = url
    .split('/')
    .map((seg) =>
      seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${body}$`);
}

/**
 * Every error as the JSON body of ../errors (the status from its kind table), never a stack trace;
 * 5xx are logged. An unknown path is a 404 and a known path asked with another method a 405 with an
 * Allow header, both in the same shape.
 */
export const errorHandlerPlugin: FastifyPluginAsync = unencapsulated(async (app) => {
  // The methods of each route pattern, for 405 (the dashboard's catch-all `/*` is left out: it would
  // make every unknown path a "known" one).
  const routes: Array<{ pattern: RegExp; methods: Set<string> }> = [];
  app.addHook('onRoute', (r) => {
    if (r.url.includes('*')) return;
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    const known = routes.find((x) => x.pattern.source === patternOf(r.url).source);
    if (known) for (const m of methods) known.methods.add(m);
    else routes.push({ pattern: patternOf(r.url), methods: new Set(methods) });
  });

  app.setErrorHandler((err, req, reply) => {
    const { status, body } = toApiError(err);
    if (status >= 500) req.log.error(err);
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    const allowed = new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => [...r.methods]));
    if (allowed.size > 0 && !allowed.has(req.method)) {
      const allow = [...allowed].sort().join(', ');
      void reply
        .status(405)
        .header('allow', allow)
        .send({
          error: `method ${req.method} is not allowed on ${path}`,
          field: null,
          hint: `use ${allow}`,
        });
      return;
    }
    void reply.status(404).send({
      error: `no route ${req.method} ${path}`,
      field: null,
      hint: 'see /api/docs/json for the routes',
    });
  });
});
