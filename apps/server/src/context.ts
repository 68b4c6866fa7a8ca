import type { Journal } from '@vixshield/journal';
import type { FastifyRequest } from 'fastify';
import type { ServerOptions } from './app';
import type { BacktestQueue } from './jobs/backtest-queue';
import type { SignalPool } from './jobs/signal-pool';
import type { SignalCache } from './signal-cache';

/**
 * What the route plugins share: the options the server was built with and the state built once per
 * server (job queue, signal cache, worker pool, the auth check of mutating routes).
 */
export interface ServerContext {
  readonly opts: ServerOptions;
  readonly journal: Journal;
  readonly backtests: BacktestQueue;
  readonly signals: SignalCache;
  readonly signalPool: SignalPool;
  /** The preHandler of every mutating route (Authorization: Bearer <token>). */
  readonly requireAuth: (req: FastifyRequest) => Promise<void>;
}

/** The options of every route plugin. */
export interface RouteOptions {
  readonly ctx: ServerContext;
}

/** The content type of the JSON bodies the routes send as text (stored JSON spliced in). */
export const JSON_TYPE = 'application/json; charset=utf-8';
