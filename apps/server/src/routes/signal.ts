import { marketData, presetOption, requireDataDate } from '@vixshield/app';
import { DEFAULT_EQUITY_USD, EMPTY_BOOK } from '@vixshield/core';
import type { FastifyPluginAsync } from 'fastify';
import type { StoredSignalSummary } from '../api-types';
import { JSON_TYPE, type RouteOptions } from '../context';
import { jsonSchema, signalQuery, signalsQuery } from '../schemas';
import { signalOffLoop } from '../signal-service';

function summarize(s: {
  date: string;
  preset: string;
  revision: number;
  createdAt: string;
  signal: unknown;
}): StoredSignalSummary {
  // The stored JSON is whatever the signal was when it was computed: read it defensively.
  const sig = (s.signal ?? {}) as {
    equity?: number;
    gate?: { vix?: number; hold?: boolean; noTrades?: boolean };
    skip?: boolean;
    skipReason?: string | null;
    chosenTier?: string | null;
    tiers?: Array<{ tier: string; contracts?: number; creditFill?: number | null }>;
    hedge?: unknown[];
  };
  const chosen = sig.tiers?.find((t) => t.tier === sig.chosenTier);
  return {
    date: s.date,
    preset: s.preset,
    revision: s.revision,
    createdAt: s.createdAt,
    equity: sig.equity ?? null,
    vix: sig.gate?.vix ?? null,
    gate: sig.gate ? (sig.gate.noTrades ? 'no-trades' : sig.gate.hold ? 'hold' : 'open') : null,
    skip: sig.skip ?? null,
    skipReason: sig.skipReason ?? null,
    chosenTier: sig.chosenTier ?? null,
    contracts: chosen?.contracts ?? null,
    creditFill: chosen?.creditFill ?? null,
    hedgeActions: sig.hedge?.length ?? 0,
  };
}

/** GET /api/signal: the daily signal, computed once per inputs on the worker thread and journaled. */
export const signalRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  const { opts, journal, signals, signalPool } = ctx;
  app.get(
    '/api/signals',
    {
      schema: {
        summary:
          "the journal's stored signals, newest first (every revision), optionally of one preset; limit 1-500, default 30",
        querystring: jsonSchema(signalsQuery),
      },
    },
    async (req) => {
      const q = signalsQuery.parse(req.query);
      const preset = q.preset === undefined ? undefined : presetOption(q.preset);
      return journal.recentSignals(q.limit, preset).map(summarize);
    },
  );
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
      // Reading the journal's book for the day settles and journals its expired positions (once).
      const day = q.book === 'none' ? { date, book: EMPTY_BOOK } : signals.bookOfDay(date);
      const r = await signalOffLoop(journal, signalPool, {
        date,
        preset,
        equity,
        day,
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
