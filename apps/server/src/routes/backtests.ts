import { fillModel, marketData, presetOption, requireDataDate } from '@vixshield/app';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { JSON_TYPE, type RouteOptions } from '../context';
import { HttpError } from '../errors';
import { backtestBody, jsonSchema } from '../schemas';

/** Backtest runs on the worker threads (POST starts one, GET lists them and reads one) and studies. */
export const backtestRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  const { opts, backtests, requireAuth } = ctx;

  app.post(
    '/api/backtests',
    {
      schema: {
        summary:
          'start a backtest run on the worker thread (asynchronous); returns its id; 503 when the queue is full',
        body: jsonSchema(backtestBody),
        security: [{ bearer: [] }],
      },
      preHandler: requireAuth,
    },
    async (req, reply) => {
      const body = backtestBody.parse(req.body ?? {});
      presetOption(body.preset); // fail fast on a bad preset
      if (body.fill !== undefined) fillModel(body.fill);
      const md = marketData(opts.dataDir);
      if (body.from !== undefined) requireDataDate(md, body.from, 'from');
      if (body.to !== undefined) requireDataDate(md, body.to, 'to');
      const job = backtests.submit(body);
      return reply.status(202).send({ id: job.id, status: job.status, href: `/api/backtests/${job.id}` });
    },
  );

  app.get(
    '/api/backtests',
    {
      schema: {
        summary:
          'the stored runs, newest first: every unfinished one and the newest finished ones (default 200), also from before a restart',
      },
    },
    async () =>
      backtests.list().map((j) => ({
        id: j.id,
        status: j.status,
        request: j.request,
        createdAt: j.createdAt,
        startedAt: j.startedAt,
        finishedAt: j.finishedAt,
      })),
  );

  app.get(
    '/api/backtests/:id',
    { schema: { summary: 'status, summary and (when done) the JSON report of a run' } },
    async (req, reply) => {
      const { id } = z.object({ id: z.string().uuid('not a backtest id') }).parse(req.params);
      const text = backtests.responseText(id);
      if (text === undefined)
        throw new HttpError(404, `no backtest ${id}`, 'id', 'POST /api/backtests starts one');
      return reply.type(JSON_TYPE).send(text);
    },
  );

  app.get(
    '/api/studies/:name',
    { schema: { summary: 'research studies (none published yet)' } },
    async (req) => {
      const { name } = req.params as { name: string };
      throw new HttpError(
        404,
        `no study '${name}': studies are not published by this server yet`,
        'name',
        'run the backtest endpoints instead; studies will be listed here once they exist',
      );
    },
  );
};
