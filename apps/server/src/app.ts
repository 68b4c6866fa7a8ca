import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { marketDataGeneration } from '@vixshield/app';
import { closeSharedChainStores } from '@vixshield/chains';
import type { IsoDate } from '@vixshield/core';
import { UnavailableError } from '@vixshield/core';
import {
  BACKTEST_JOBS_FILE,
  holdExclusiveLock,
  type Journal,
  openBacktestJobStore,
} from '@vixshield/journal';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { ServerContext } from './context';
import type { BacktestRequest } from './jobs/backtest';
import { BacktestQueue, type BacktestQueueOptions } from './jobs/backtest-queue';
import { SignalPool } from './jobs/signal-pool';
import { registerPaperRoutes } from './paper';
import { bearerAuth } from './plugins/auth';
import { docsRoutes, openApiPlugin } from './plugins/docs';
import { errorHandlerPlugin } from './plugins/error-handler';
import { rateLimitPlugin } from './plugins/rate-limit';
import { backtestRoutes } from './routes/backtests';
import { bookRoutes } from './routes/book';
import { dataRoutes } from './routes/data';
import { signalRoutes } from './routes/signal';
import { staticDashboardRoutes } from './routes/static';
import { backtestBody } from './schemas';
import { SignalCache } from './signal-cache';
import { journalBookOfDay } from './signal-service';

export * from './schemas';
export * from './signal-service';

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

/**
 * A request Node's HTTP parser refuses before fastify sees it (headers too large: 431; malformed: 400),
 * answered in the API's error shape like every other error.
 */
function clientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify({
    error: tooLarge ? 'request header fields too large' : 'malformed HTTP request',
    field: null,
    hint: tooLarge ? 'send smaller headers (at most 16 KiB in all)' : 'send a well-formed HTTP/1.1 request',
  });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/** The file `vixshield serve` holds in its data dir (one server per data dir). */
export const SERVE_LOCK_FILE = 'serve.lock';

/**
 * The HTTP server: the state built once per server (job queue, signal cache, worker pool, the
 * one-server-per-data-dir lock) in a typed context, then the plugins: error handler, OpenAPI and rate
 * limit for every route, then one plugin per route group, the dashboard last (its wildcard route).
 */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    // Fastify 5.12 deprecates the top-level disableRequestLogging (a warning on every serve): the log
    // controller carries it.
    logController: new LogController({ disableRequestLogging: opts.requestLog === false }),
    bodyLimit: opts.bodyLimit ?? 64 * 1024,
    clientErrorHandler,
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
  const signals = new SignalCache(journal, (j, date) => journalBookOfDay(j, date, 'journal', opts.dataDir), {
    dataGeneration: () => marketDataGeneration(opts.dataDir),
  });
  const signalPool = opts.signalPool ?? new SignalPool();
  if (!opts.signalPool) app.addHook('onClose', async () => signalPool.close());
  const ctx: ServerContext = {
    opts,
    journal,
    backtests,
    signals,
    signalPool,
    requireAuth: bearerAuth(opts.token),
  };

  // Validation happens in the handlers with zod (one error format); the JSON schemas are for the docs.
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  await app.register(errorHandlerPlugin);
  await app.register(openApiPlugin);
  await app.register(rateLimitPlugin, { perMinute: opts.rateLimitPerMinute ?? 600 });
  await app.register(docsRoutes);
  await app.register(dataRoutes, { ctx });
  await app.register(signalRoutes, { ctx });
  await app.register(backtestRoutes, { ctx });
  await app.register(bookRoutes, { ctx });
  await app.register(staticDashboardRoutes, { webDir: opts.webDir });
  // The forward paper record (issue 13): GET /api/paper.
  registerPaperRoutes(app, journal);
  return app;
}
