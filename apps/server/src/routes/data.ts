import { resolve } from 'node:path';
import { calendarRows, explainTerm, listTerms, marketData, requireDataDate, runChain } from '@vixshield/app';
import { computeEdr, hv20, InvalidInputError, isoDate, lastOf, tradingDayCount } from '@vixshield/core';
import type { FastifyPluginAsync } from 'fastify';
import type { RouteOptions } from '../context';
import { HttpError } from '../errors';
import { calendarQuery, chainQuery, edrQuery, jsonSchema, marketQuery } from '../schemas';

/** Read-only market data and reference: health, EDR, chains, closes, calendar, glossary. */
export const dataRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  const { opts, journal, backtests } = ctx;

  app.get('/api/health', { schema: { summary: 'liveness and data range' } }, async () => {
    const md = marketData(opts.dataDir);
    return {
      status: 'ok',
      data: {
        first: md.snapshots[0]?.date ?? null,
        last: md.snapshots[md.snapshots.length - 1]?.date ?? null,
      },
      journal: { signals: journal.countSignals(), migrations: journal.migrations() },
      backtests: { ...backtests.pending, maxQueued: backtests.maxQueued },
    };
  });

  app.get(
    '/api/edr',
    { schema: { summary: 'Expected Daily Range for a day of the data', querystring: jsonSchema(edrQuery) } },
    async (req) => {
      const q = edrQuery.parse(req.query);
      const md = marketData(opts.dataDir);
      const date = requireDataDate(md, q.date);
      const i = md.snapshots.findIndex((s) => s.date === date);
      const s = md.snapshots[i]!;
      if (s.vix === null)
        throw new InvalidInputError(
          `{date} ${date} has no VIX close in the data`,
          'date',
          'pick another day',
          {
            fieldRefs: true,
            hintInMessage: true,
          },
        );
      const closes = md.snapshots.slice(Math.max(0, i - 40), i + 1).map((x) => x.spx.close);
      return {
        date,
        ...computeEdr({ spx: s.spx.close, vix: s.vix, vix9d: s.vix9d, hv20: lastOf(hv20(closes)) }),
      };
    },
  );

  app.get(
    '/api/chain',
    {
      schema: {
        summary: 'one SPX option chain (real quotes or the surface model), IV and Greeks',
        querystring: jsonSchema(chainQuery),
      },
    },
    async (req) => {
      const q = chainQuery.parse(req.query);
      const loadChain = opts.loadChain ?? runChain;
      // A missing chain is a NotFoundError: 404 by the kind table of ../errors.
      return await loadChain({
        date: isoDate(q.date, 'date'),
        expiry: isoDate(q.expiry, 'expiry'),
        source: q.source,
        ...(q.root ? { root: q.root } : {}),
        dataDir: opts.dataDir ?? resolve('.vixshield'),
      });
    },
  );

  app.get(
    '/api/market',
    {
      schema: {
        summary: 'daily SPX and VIX closes (default: the last 250 days of the data)',
        querystring: jsonSchema(marketQuery),
      },
    },
    async (req) => {
      const q = marketQuery.parse(req.query);
      const md = marketData(opts.dataDir);
      const to = q.to ?? md.snapshots[md.snapshots.length - 1]!.date;
      if (q.from !== undefined && to < q.from)
        throw new HttpError(400, `to ${to} is before from ${q.from}`, 'to', 'swap from and to');
      let rows = md.snapshots.filter((s) => s.date <= to && (q.from === undefined || s.date >= q.from));
      if (q.from === undefined) rows = rows.slice(-250);
      if (rows.length > 5000) throw new HttpError(400, 'range too long', 'from', 'ask for at most 5000 days');
      return rows.map((s) => ({ date: s.date, spx: s.spx.close, vix: s.vix, vix9d: s.vix9d }));
    },
  );

  app.get(
    '/api/calendar',
    { schema: { summary: 'trading days with session times', querystring: jsonSchema(calendarQuery) } },
    async (req) => {
      const q = calendarQuery.parse(req.query);
      const from = isoDate(q.from, 'from');
      const to = isoDate(q.to, 'to');
      if (to < from) throw new HttpError(400, `to ${to} is before from ${from}`, 'to', 'swap from and to');
      if (tradingDayCount(from, to) > 3000)
        throw new HttpError(400, 'range too long', 'to', 'ask for at most ~10 years');
      return calendarRows(from, to);
    },
  );

  app.get(
    '/api/explain/:term',
    { schema: { summary: 'a methodology term: definition, rule as implemented, parameters' } },
    async (req) => {
      const { term } = req.params as { term: string };
      const r = explainTerm(term);
      if (r.kind === 'found') return r.entry;
      throw new HttpError(
        404,
        `unknown term '${term}'`,
        'term',
        r.suggestions.length > 0
          ? `did you mean: ${r.suggestions.join(', ')}`
          : 'GET /api/explain lists terms',
      );
    },
  );
  app.get('/api/explain', { schema: { summary: 'every glossary term' } }, async () => listTerms());
};
