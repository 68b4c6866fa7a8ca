import { marketData, presetOption, requireDataDate } from '@vixshield/app';
import { DEFAULT_EQUITY_USD, EMPTY_BOOK } from '@vixshield/core';
import type { FastifyPluginAsync } from 'fastify';
import { JSON_TYPE, type RouteOptions } from '../context';
import { jsonSchema, signalQuery } from '../schemas';
import { bookForSignal, signalOffLoop } from '../signal-service';

/** GET /api/signal: the daily signal, computed once per inputs on the worker thread and journaled. */
export const signalRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  const { opts, journal, signals, signalPool } = ctx;
  app.get(
    '/api/signal',
    {
      schema: {
        summary: 'the 15:10 CT daily signal (computed once per inputs, stored in the journal)',
        querystring: jsonSchema(signalQuery),
      },
    },
    async (req, reply) => {
      const known = signals.bodyForUrl(req.url);
      if (known !== undefined) return reply.type(JSON_TYPE).send(known);
      const q = signalQuery.parse(req.query);
      const preset = presetOption(q.preset);
      const date = requireDataDate(marketData(opts.dataDir), q.date);
      const equity = q.equity ?? DEFAULT_EQUITY_USD;
      // Fast path: a signal already in the journal is answered from memory, as the stored JSON text.
      const key = `${date}|${preset}|${equity}|${q.book}`;
      signals.rememberUrl(req.url, key);
      const cached = signals.body(key);
      if (cached !== undefined) return reply.type(JSON_TYPE).send(cached);
      const book = q.book === 'none' ? EMPTY_BOOK : bookForSignal(journal, signals.journalBook(), date);
      const r = await signalOffLoop(journal, signalPool, {
        date,
        preset,
        equity,
        book,
        dataDir: opts.dataDir,
      });
      if (r.row) {
        const body = `{"signal":${r.row.signal_json},"revision":${r.row.revision},"stored":"unchanged"}`;
        signals.remember(key, body);
        return reply.type(JSON_TYPE).send(body);
      }
      return { signal: r.signal, revision: r.revision, stored: r.stored };
    },
  );
};
