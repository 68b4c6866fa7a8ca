import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import {
  calendarRows,
  computeSignal,
  explainTerm,
  fillModel,
  listTerms,
  marketData,
  parseBook,
  presetOption,
  requireDataDate,
  runChain,
} from '@vixshield/app';
import { closeSharedChainStores } from '@vixshield/chains';
import {
  type Book,
  computeEdr,
  EMPTY_BOOK,
  hv20,
  InvalidInputError,
  type IsoDate,
  isoDate,
  lastOf,
  tradingDayCount,
  UnavailableError,
} from '@vixshield/core';
import {
  BACKTEST_JOBS_FILE,
  holdExclusiveLock,
  inputsHash,
  type Journal,
  openBacktestJobStore,
  type SignalRow,
} from '@vixshield/journal';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { checkBearer } from './auth';
import { HttpError, toApiError } from './errors';
import type { BacktestRequest } from './jobs/backtest';
import { BacktestQueue, type BacktestQueueOptions } from './jobs/backtest-queue';
import { SignalPool } from './jobs/signal-pool';
import { SignalCache } from './signal-cache';

const JSON_TYPE = 'application/json; charset=utf-8';

export interface ServerOptions {
  readonly journal: Journal;
  /** Bearer token for mutating routes; when absent, every mutating route answers 401. */
  readonly token?: string;
  readonly dataDir?: string;
  /** Built dashboard (apps/web/dist); `/` explains how to build it when missing. */
  readonly webDir?: string;
  /** Requests per minute per client IP (default 600; the benchmark raises it). */
  readonly rateLimitPerMinute?: number;
  /** Maximum JSON body in bytes (default 64 KiB). */
  readonly bodyLimit?: number;
  /**
   * Loads a chain for GET /api/chain. Default: the shared use case `runChain` of @vixshield/data, the
   * same code path as `vixshield chain`; tests inject a stub.
   */
  readonly loadChain?: (args: {
    date: IsoDate;
    expiry: IsoDate;
    source: 'real' | 'model';
    root?: 'SPX' | 'SPXW';
    dataDir: string;
  }) => Promise<unknown>;
  readonly logger?: boolean;
  /** With a logger: one "incoming request" and one "request completed" line per request (default true). */
  readonly requestLog?: boolean;
  /** First-time signal computations (a worker thread); default: one owned by this server. */
  readonly signalPool?: SignalPool;
  /**
   * Worker threads, queue bound and retention of POST /api/backtests. The job records are stored in
   * `<dataDir>/backtests.sqlite` when there is a data dir, else in memory (they vanish with the app).
   */
  readonly backtests?: Omit<BacktestQueueOptions, 'dataDir' | 'log' | 'store'>;
}

const dateRe = /^\d{4}-\d{2}-\d{2}$/;
const dateField = z.string().regex(dateRe, 'use YYYY-MM-DD');

export const signalQuery = z
  .object({
    date: dateField.optional(),
    preset: z.string().max(40).optional(),
    equity: z.coerce.number().positive().max(1e10).optional(),
    book: z.enum(['journal', 'none']).default('journal'),
  })
  .strict();
export const edrQuery = z.object({ date: dateField.optional() }).strict();
export const chainQuery = z
  .object({
    date: dateField,
    expiry: dateField,
    source: z.enum(['real', 'model']).default('real'),
    root: z.enum(['SPX', 'SPXW']).optional(),
  })
  .strict();
export const marketQuery = z.object({ from: dateField.optional(), to: dateField.optional() }).strict();
export const calendarQuery = z.object({ from: dateField, to: dateField }).strict();
export const backtestBody = z
  .object({
    from: dateField.optional(),
    to: dateField.optional(),
    preset: z.string().max(40).optional(),
    equity: z.number().positive().max(1e10).optional(),
    fill: z.string().max(40).optional(),
  })
  .strict();

function jsonSchema(s: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** The open positions recorded in the journal, as the engine's Book. */
export function journalBook(journal: Journal): Book {
  const open = journal.openPositions();
  return parseBook(
    {
      condors: open.flatMap((p) =>
        p.instrument === 'condor'
          ? [
              {
                id: p.positionId,
                tier: p.tier,
                expiry: p.expiry,
                strikes: p.strikes,
                quantity: p.openQuantity,
                openedOn: p.date,
                entryCredit: p.price,
              },
            ]
          : [],
      ),
      hedges: open.flatMap((p) =>
        p.instrument === 'hedge'
          ? [
              {
                id: p.positionId,
                layer: p.layer,
                expiry: p.expiry,
                strike: p.strike,
                quantity: p.openQuantity,
                openedOn: p.date,
                entryPrice: p.price,
              },
            ]
          : [],
      ),
    },
    'journal book',
  );
}

/** Computes (or finds) the signal for the request and stores it in the journal. */
export function signalFor(
  journal: Journal,
  q: { date?: string; preset?: string; equity?: number; book?: 'journal' | 'none' },
  dataDir?: string,
) {
  const preset = presetOption(q.preset);
  const date = requireDataDate(marketData(dataDir), q.date);
  const equity = q.equity ?? 100_000;
  const book = q.book === 'none' ? { condors: [], hedges: [] } : journalBook(journal);
  const inputs = { date, preset, equity, book };
  const found = journal.findSignal(date, preset, inputs);
  if (found) return { signal: found.signal, revision: found.revision, stored: 'unchanged' as const };
  return computeAndStore(journal, date, preset, equity, book, inputs, dataDir);
}

function computeAndStore(
  journal: Journal,
  date: IsoDate,
  preset: string,
  equity: number,
  book: Book,
  inputs: unknown,
  dataDir: string | undefined,
) {
  const signal = computeSignal({
    date,
    preset,
    equity: String(equity),
    bookValue: book,
    ...(dataDir ? { dataDir } : {}),
  });
  const r = journal.storeSignal(date, preset, inputs, signal);
  return { signal, revision: r.revision, stored: r.status };
}

/**
 * The signal for these inputs: the journal's stored one, else computed on the worker thread (never on
 * the event loop) and stored. Used by GET /api/signal on a cache miss and by the scheduler.
 */
export async function signalOffLoop(
  journal: Journal,
  pool: SignalPool,
  a: { date: IsoDate; preset: string; equity: number; book: Book; dataDir?: string | undefined },
): Promise<{
  signal: unknown;
  revision: number;
  stored: 'inserted' | 'unchanged' | 'revised';
  row?: SignalRow;
}> {
  const inputs = { date: a.date, preset: a.preset, equity: a.equity, book: a.book };
  const hash = inputsHash(inputs);
  const row = journal.findSignalRawByHash(a.date, a.preset, hash);
  if (row) return { signal: undefined, revision: row.revision, stored: 'unchanged', row };
  const signal = await pool.compute(`${a.date}|${a.preset}|${hash}`, {
    date: a.date,
    preset: a.preset,
    equity: a.equity,
    book: a.book,
    ...(a.dataDir ? { dataDir: a.dataDir } : {}),
  });
  const r = journal.storeSignal(a.date, a.preset, inputs, signal);
  return { signal, revision: r.revision, stored: r.status };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The file `vixshield serve` holds in its data dir (one server per data dir). */
export const SERVE_LOCK_FILE = 'serve.lock';

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    disableRequestLogging: opts.requestLog === false,
    bodyLimit: opts.bodyLimit ?? 64 * 1024,
  });
  const { journal } = opts;
  // One server per data dir: a starting server marks the unfinished runs it finds as interrupted, so
  // a second one would fail the first one's running backtests. An OS-level lock (a killed server
  // leaves none behind); the data files themselves stay readable.
  const serveLock = opts.dataDir ? holdExclusiveLock(join(opts.dataDir, SERVE_LOCK_FILE)) : undefined;
  if (opts.dataDir !== undefined && serveLock === undefined) {
    throw new UnavailableError(
      `${opts.dataDir} is used by another vixshield serve (one server per data directory: a second one would take the first one's running backtests for interrupted); stop it, or pass another {dataDir}`,
      'dataDir',
      'stop the other server, or pass another {dataDir}',
      { fieldRefs: true, hintInMessage: true },
    );
  }
  // First, before anything that holds a thread: a damaged job store stops the start with its error.
  let backtestStore: ReturnType<typeof openBacktestJobStore<BacktestRequest>> | undefined;
  let backtests: BacktestQueue;
  try {
    backtestStore = opts.dataDir
      ? openBacktestJobStore(join(opts.dataDir, BACKTEST_JOBS_FILE), {
          parseRequest: (v): BacktestRequest => backtestBody.parse(v),
        })
      : undefined;
    backtests = new BacktestQueue({
      ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
      ...opts.backtests,
      ...(backtestStore ? { store: backtestStore } : {}),
      log: (err) => app.log.error(err),
    });
  } catch (err) {
    backtestStore?.close();
    serveLock?.release();
    throw err;
  }
  app.addHook('onClose', async () => {
    await backtests.close();
    backtestStore?.close();
    serveLock?.release();
    await closeSharedChainStores(); // GET /api/chain keeps the chain store open between requests
  });
  const signals = new SignalCache(journal, journalBook);
  const signalPool = opts.signalPool ?? new SignalPool();
  if (!opts.signalPool) app.addHook('onClose', async () => signalPool.close());

  // Validation happens in the handlers with zod (one error format); the JSON schemas are for the docs.
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  app.setErrorHandler((err, req, reply) => {
    const { status, body } = toApiError(err);
    if (status >= 500) req.log.error(err);
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({
      error: `no route ${req.method} ${req.url.split('?')[0]}`,
      field: null,
      hint: 'see /api/docs/json for the routes',
    });
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'VixShield API',
        version: '0.1.0',
        description:
          'SPX iron condors with a VIX-call hedge. Mutating routes need Authorization: Bearer <token>. Errors are JSON {error, field, hint}.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(rateLimit, {
    max: opts.rateLimitPerMinute ?? 600,
    timeWindow: '1 minute',
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      error: `rate limit exceeded: ${ctx.max} requests per ${ctx.after}`,
      field: null,
      hint: 'too many requests: slow down and retry later',
    }),
  });

  const requireAuth = async (req: FastifyRequest) => {
    if (!opts.token)
      throw new HttpError(
        401,
        'this server was started without a token, so mutating routes are disabled',
        'authorization',
        'restart with vixshield serve --token <T> (or VIXSHIELD_TOKEN)',
      );
    checkBearer(req.headers.authorization, opts.token);
  };

  app.get('/api/docs/json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/api/docs', { schema: { hide: true } }, async () => app.swagger());

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
      const equity = q.equity ?? 100_000;
      // Fast path: a signal already in the journal is answered from memory, as the stored JSON text.
      const key = `${date}|${preset}|${equity}|${q.book}`;
      signals.rememberUrl(req.url, key);
      const cached = signals.body(key);
      if (cached !== undefined) return reply.type(JSON_TYPE).send(cached);
      const book = q.book === 'none' ? EMPTY_BOOK : signals.journalBook();
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
      // A missing chain is a NotFoundError: 404 by the kind table of ./errors.
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

  // The dashboard (static files), or a clear message when it was not built.
  const webDir = opts.webDir ? resolve(opts.webDir) : undefined;
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

  return app;
}
