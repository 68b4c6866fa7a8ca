import { bookFillSchema } from '@vixshield/core';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { RouteOptions } from '../context';
import { HttpError } from '../errors';
import { jsonSchema, noQuery } from '../schemas';

const fillsBody = z.union([z.array(bookFillSchema), z.object({ fills: z.array(bookFillSchema) }).strict()]);
const voidBody = z.object({ reason: z.string().min(1).max(500) }).strict();
/** The OpenAPI document shows the body; the handler validates it (one validation, errors per fill). */
const documentOnly = () => () => true;

/**
 * The book (docs/book.md): fills recorded in the journal (POST, idempotent per fill id, validated with
 * the same rules as a `signal --book` file), voids of mistaken fills (the fill stays listed), the open
 * positions and the settlements of expired ones.
 */
export const bookRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  const { journal, requireAuth } = ctx;

  app.post(
    '/api/book',
    {
      schema: {
        summary: 'record fills (an array, or {fills: [...]}); idempotent per fill id; see docs/book.md',
        body: jsonSchema(fillsBody),
        security: [{ bearer: [] }],
      },
      validatorCompiler: documentOnly,
      preHandler: requireAuth,
    },
    async (req, reply) => {
      const body = req.body as unknown;
      const raw = Array.isArray(body) ? body : (body as { fills?: unknown } | null)?.fills;
      if (raw === undefined)
        throw new HttpError(
          400,
          'no fills in the body',
          'fills',
          'send [fill, ...] or {"fills": [fill, ...]}',
        );
      // The journal validates the fills (docs/book.md) inside its write transaction and records them.
      const r = journal.recordFills(raw);
      return reply.status(r.recorded > 0 ? 201 : 200).send({ ...r, open: journal.openPositions() });
    },
  );

  app.post(
    '/api/book/:id/void',
    {
      schema: {
        summary: 'void a mistaken fill: it stays listed with the reason and no longer counts in the book',
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        body: jsonSchema(voidBody),
        security: [{ bearer: [] }],
      },
      validatorCompiler: documentOnly,
      preHandler: requireAuth,
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const { reason } = voidBody.parse(req.body ?? {});
      const r = journal.voidFill(id, reason);
      return reply.status(r.status === 'voided' ? 201 : 200).send({ ...r, open: journal.openPositions() });
    },
  );

  app.get(
    '/api/book',
    {
      schema: {
        summary: 'recorded fills (voided ones marked with the reason), open positions, settlements at expiry',
        querystring: jsonSchema(noQuery),
      },
    },
    async (req) => {
      noQuery.parse(req.query);
      return {
        fills: journal.listFills(),
        open: journal.openPositions(),
        settlements: journal.settlements(),
      };
    },
  );
};
