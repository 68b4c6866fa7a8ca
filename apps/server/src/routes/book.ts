import type { FastifyPluginAsync } from 'fastify';
import type { RouteOptions } from '../context';
import { HttpError } from '../errors';

/** The book: fills recorded in the journal (POST, idempotent per fill id) and the open positions. */
export const bookRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  const { journal, requireAuth } = ctx;

  app.post(
    '/api/book',
    {
      schema: {
        summary: 'record fills (an array, or {fills: [...]}); idempotent per fill id',
        security: [{ bearer: [] }],
      },
      preHandler: requireAuth,
    },
    async (req, reply) => {
      const body = req.body as unknown;
      const fills = Array.isArray(body) ? body : (body as { fills?: unknown } | null)?.fills;
      if (fills === undefined)
        throw new HttpError(
          400,
          'no fills in the body',
          'fills',
          'send [fill, ...] or {"fills": [fill, ...]}',
        );
      const r = journal.recordFills(fills);
      return reply.status(r.recorded > 0 ? 201 : 200).send({ ...r, open: journal.openPositions() });
    },
  );

  app.get('/api/book', { schema: { summary: 'recorded fills and open positions' } }, async () => ({
    fills: journal.fills(),
    open: journal.openPositions(),
  }));
};
