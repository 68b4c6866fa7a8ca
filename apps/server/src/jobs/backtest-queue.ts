import { randomUUID } from 'node:crypto';
import { type BacktestJobStore, openBacktestJobStore } from '@vixshield/journal';
import { Piscina } from 'piscina';
import { type ApiError, HttpError } from '../errors';
import type { BacktestJobResult, BacktestRequest } from './backtest';

export type BacktestStatus = 'queued' | 'running' | 'done' | 'failed';

/**
 * What the queue keeps in memory of a job: its metadata. The summary and the report are in the store
 * only (a report can weigh megabytes) and are read from it when GET /api/backtests/:id asks.
 */
export interface BacktestJob {
  readonly id: string;
  status: BacktestStatus;
  readonly request: BacktestRequest;
  readonly createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Engine time of the run in the worker (ms), without the worker's start-up. */
  elapsedMs?: number;
  error?: ApiError;
}

export interface BacktestQueueOptions {
  readonly dataDir?: string;
  /** Worker threads running backtests at once (default 1: the machine's other core serves HTTP). */
  readonly threads?: number;
  /** Runs waiting for a thread; one more POST answers 503 (default 8). */
  readonly maxQueued?: number;
  /**
   * Finished runs kept (default 200; the oldest finished go first): their rows, reports included, in
   * the store, and their metadata in memory for the listing. One bound for both, so what GET lists is
   * what the store holds. Memory no longer holds any report (before the store it kept the 20 newest
   * runs with their reports), so it grows by about a request and a few timestamps per kept run; the
   * disk by one report per run. Unfinished runs are never dropped (at most `maxQueued` + `threads`).
   */
  readonly keepFinished?: number;
  /**
   * Where the job records live; the caller closes it after `close()`. Default: a private in-memory
   * SQLite store, closed by `close()`, so nothing survives the process (tests that inject `run`;
   * the server passes `<dataDir>/backtests.sqlite` when it has a data dir).
   */
  readonly store?: BacktestJobStore<BacktestRequest>;
  /** Runs one job. Default: a piscina pool on ./worker.mjs. Tests inject a controllable runner. */
  readonly run?: (job: { request: BacktestRequest; dataDir?: string }) => Promise<BacktestJobResult>;
  /** Where a crashed run's details go (the client only sees "internal error"), and failed writes. */
  readonly log?: (err: unknown) => void;
  /** Idle worker threads exit after this many ms (default 60 s; the next run starts one again). */
  readonly idleTimeoutMs?: number;
  /** Clock of the job timestamps (ms since epoch); default Date.now. */
  readonly now?: () => number;
}

const START_AGAIN = 'start it again: POST /api/backtests with the same request';

/**
 * What a run that a previous process left unfinished becomes at the next start. The run is never
 * re-run by itself: it may be what crashed that process, and its client has long stopped waiting.
 */
export const INTERRUPTED: Readonly<Record<'queued' | 'running', ApiError>> = {
  running: {
    error: 'the server stopped during the run (found unfinished at the next start)',
    field: null,
    hint: START_AGAIN,
  },
  queued: {
    error: 'the server stopped before the run started (found still queued at the next start)',
    field: null,
    hint: START_AGAIN,
  },
};

const SHUT_DOWN: Readonly<Record<'queued' | 'running', ApiError>> = {
  running: { error: 'the server shut down during the run', field: null, hint: 'start the run again' },
  queued: { error: 'the server shut down before the run started', field: null, hint: 'start it again' },
};

/**
 * The backtests of POST /api/backtests: a bounded FIFO queue in front of worker threads, so a run
 * never blocks the event loop. Status: queued -> running (handed to a thread) -> done | failed.
 *
 * Every step is written to the store before memory shows it (on submit, on start, on finish), so
 * after a restart on the same store GET answers for the runs of before. At construction, rows a
 * previous process left `queued` or `running` (it stopped without `close()`) become `failed` with
 * the `INTERRUPTED` errors; `close()` itself settles its unfinished runs as failed, so a clean stop
 * leaves none. One server per store: a second server on the same data dir would take the first's
 * unfinished runs for interrupted ones.
 */
export class BacktestQueue {
  private readonly jobs = new Map<string, BacktestJob>();
  private readonly waiting: BacktestJob[] = [];
  private active = 0;
  private pool: Piscina | undefined;
  private closed = false;
  readonly threads: number;
  readonly maxQueued: number;
  private readonly keepFinished: number;
  private readonly store: BacktestJobStore<BacktestRequest>;
  private readonly ownsStore: boolean;
  private readonly now: () => number;

  constructor(private readonly opts: BacktestQueueOptions = {}) {
    this.threads = Math.max(1, opts.threads ?? 1);
    this.maxQueued = Math.max(0, opts.maxQueued ?? 8);
    this.keepFinished = Math.max(1, opts.keepFinished ?? 200);
    this.now = opts.now ?? Date.now;
    this.ownsStore = opts.store === undefined;
    this.store = opts.store ?? openBacktestJobStore<BacktestRequest>(':memory:');
    try {
      this.store.failUnfinished(this.stamp(), (status) => INTERRUPTED[status]);
      this.store.prune(this.keepFinished);
      for (const m of this.store.list()) this.jobs.set(m.id, { ...m });
    } catch (err) {
      if (this.ownsStore) this.store.close();
      throw err;
    }
  }

  private stamp(): string {
    return new Date(this.now()).toISOString();
  }

  /** Queues a run; throws a 503 HttpError when `maxQueued` runs are already waiting. */
  submit(request: BacktestRequest): BacktestJob {
    if (this.closed) throw new HttpError(503, 'the server is shutting down', null, 'retry on the next start');
    if (this.waiting.length >= this.maxQueued) {
      throw new HttpError(
        503,
        `backtest queue is full: ${this.waiting.length} runs waiting, ${this.active} running`,
        null,
        'retry when a run has finished (GET /api/backtests lists them)',
      );
    }
    const job: BacktestJob = {
      id: randomUUID(),
      status: 'queued',
      request,
      createdAt: this.stamp(),
    };
    // Stored first: a run the store refused is not queued (the POST answers 500).
    this.store.insertQueued(job);
    this.jobs.set(job.id, job);
    this.waiting.push(job);
    this.pump();
    return job;
  }

  get(id: string): BacktestJob | undefined {
    return this.jobs.get(id);
  }

  /** Every stored run (the `keepFinished` newest finished and the unfinished ones), newest first. */
  list(): BacktestJob[] {
    return [...this.jobs.values()].reverse();
  }

  get pending(): { queued: number; running: number } {
    return { queued: this.waiting.length, running: this.active };
  }

  /**
   * The GET /api/backtests/:id answer, or undefined for an unknown id: the job's metadata as JSON
   * with the stored summary and report text spliced in (never parsed on the main thread). A damaged
   * stored row throws the store's StoredRowError.
   */
  responseText(id: string): string | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    const head = JSON.stringify({
      id: job.id,
      status: job.status,
      request: job.request,
      createdAt: job.createdAt,
      startedAt: job.startedAt,
      finishedAt: job.finishedAt,
      elapsedMs: job.elapsedMs,
      error: job.error,
    });
    if (job.status !== 'done') return head;
    const r = this.store.results(id);
    let tail = '';
    if (r?.summaryJson != null) tail += `,"summary":${r.summaryJson}`;
    if (r?.reportJson != null) tail += `,"report":${r.reportJson}`;
    return tail === '' ? head : `${head.slice(0, -1)}${tail}}`;
  }

  private runner(): (job: { request: BacktestRequest; dataDir?: string }) => Promise<BacktestJobResult> {
    if (this.opts.run) return this.opts.run;
    this.pool ??= new Piscina({
      filename: new URL('./worker.mjs', import.meta.url).href,
      minThreads: 0,
      maxThreads: this.threads,
      idleTimeout: this.opts.idleTimeoutMs ?? 60_000,
    });
    const pool = this.pool;
    return (job) => pool.run({ kind: 'backtest', ...job }) as Promise<BacktestJobResult>;
  }

  /** Runs a store write; a failure is logged, not thrown (it would be an unhandled rejection here). */
  private write(what: () => void): boolean {
    try {
      what();
      return true;
    } catch (err) {
      this.opts.log?.(err);
      return false;
    }
  }

  private pump(): void {
    while (!this.closed && this.active < this.threads && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      job.status = 'running';
      job.startedAt = this.stamp();
      // If this write fails the row stays 'queued': a crash would report "before the run started".
      this.write(() => this.store.markRunning(job.id, job.startedAt!));
      this.active++;
      const run = this.runner();
      run({ request: job.request, ...(this.opts.dataDir ? { dataDir: this.opts.dataDir } : {}) })
        .then(
          (r) => this.settle(job, r),
          (err: unknown) => {
            if (!this.closed) this.opts.log?.(err);
            // A crashed worker or a pool being closed: the details go nowhere near the client.
            this.settle(job, {
              ok: false,
              error: this.closed
                ? SHUT_DOWN.running
                : {
                    error: 'internal error in the backtest worker',
                    field: null,
                    hint: 'this is a bug; the server log has the details',
                  },
            });
          },
        )
        .finally(() => {
          this.active--;
          this.pump();
        });
    }
  }

  /** Stores how a run ended, then shows it; the oldest finished runs beyond the bound go. */
  private settle(job: BacktestJob, r: BacktestJobResult): void {
    // close() has already settled a run its pool did not answer in time; the late answer is dropped.
    if (job.status !== 'running' && job.status !== 'queued') return;
    const finishedAt = this.stamp();
    if (r.ok) {
      const stored = this.write(() =>
        this.store.finish(job.id, {
          status: 'done',
          finishedAt,
          elapsedMs: r.elapsedMs,
          ...(r.summary !== undefined ? { summaryJson: JSON.stringify(r.summary) } : {}),
          reportJson: r.reportJson,
        }),
      );
      if (stored) {
        Object.assign(job, { status: 'done', finishedAt, elapsedMs: r.elapsedMs });
      } else {
        // Memory holds no report, so a result the store refused is lost: say so.
        this.fail(job, finishedAt, {
          error: 'the run finished but its result could not be stored',
          field: null,
          hint: 'the server log has the details; start it again',
        });
      }
    } else {
      this.fail(job, finishedAt, r.error);
    }
    this.write(() => {
      for (const id of this.store.prune(this.keepFinished)) this.jobs.delete(id);
    });
  }

  private fail(job: BacktestJob, finishedAt: string, error: ApiError): void {
    this.write(() => this.store.finish(job.id, { status: 'failed', finishedAt, error }));
    Object.assign(job, { status: 'failed', finishedAt, error });
  }

  /**
   * Stops taking runs and settles every unfinished one as failed ("the server shut down ..."), in
   * the store too, so a clean stop leaves nothing for the next start to call interrupted.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.waiting.splice(0)) this.settle(j, { ok: false, error: SHUT_DOWN.queued });
    await this.pool?.destroy();
    this.pool = undefined;
    for (const j of this.jobs.values())
      if (j.status === 'running') this.settle(j, { ok: false, error: SHUT_DOWN.running });
    if (this.ownsStore) this.store.close();
  }
}
