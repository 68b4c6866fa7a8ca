import { randomUUID } from 'node:crypto';
import { Piscina } from 'piscina';
import { type ApiError, HttpError } from '../errors';
import type { BacktestJobResult, BacktestRequest } from './backtest';

export type BacktestStatus = 'queued' | 'running' | 'done' | 'failed';

export interface BacktestJob {
  readonly id: string;
  status: BacktestStatus;
  readonly request: BacktestRequest;
  readonly createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Engine time of the run in the worker (ms), without the worker's start-up. */
  elapsedMs?: number;
  summary?: unknown;
  /** The JSON report as text (never parsed on the main thread). */
  reportJson?: string;
  error?: ApiError;
}

export interface BacktestQueueOptions {
  readonly dataDir?: string;
  /** Worker threads running backtests at once (default 1: the machine's other core serves HTTP). */
  readonly threads?: number;
  /** Runs waiting for a thread; one more POST answers 503 (default 8). */
  readonly maxQueued?: number;
  /** Finished runs kept in memory for GET (default 20; the oldest finished go first). */
  readonly keepFinished?: number;
  /** Runs one job. Default: a piscina pool on ./worker.mjs. Tests inject a controllable runner. */
  readonly run?: (job: { request: BacktestRequest; dataDir?: string }) => Promise<BacktestJobResult>;
  /** Where a crashed run's details go (the client only sees "internal error"). */
  readonly log?: (err: unknown) => void;
  /** Idle worker threads exit after this many ms (default 60 s; the next run starts one again). */
  readonly idleTimeoutMs?: number;
}

/**
 * The backtests of POST /api/backtests: a bounded FIFO queue in front of worker threads, so a run
 * never blocks the event loop. Status: queued -> running (handed to a thread) -> done | failed.
 * Jobs live in memory only and vanish on restart.
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

  constructor(private readonly opts: BacktestQueueOptions = {}) {
    this.threads = Math.max(1, opts.threads ?? 1);
    this.maxQueued = Math.max(0, opts.maxQueued ?? 8);
    this.keepFinished = Math.max(1, opts.keepFinished ?? 20);
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
      createdAt: new Date().toISOString(),
    };
    this.jobs.set(job.id, job);
    this.waiting.push(job);
    this.pump();
    return job;
  }

  get(id: string): BacktestJob | undefined {
    return this.jobs.get(id);
  }

  /** Every run still in memory, newest first. */
  list(): BacktestJob[] {
    return [...this.jobs.values()].reverse();
  }

  get pending(): { queued: number; running: number } {
    return { queued: this.waiting.length, running: this.active };
  }

  /** The GET /api/backtests/:id answer: the job as JSON with the stored report text spliced in. */
  static responseText(job: BacktestJob): string {
    const { reportJson, ...meta } = job;
    const head = JSON.stringify(meta);
    return reportJson === undefined ? head : `${head.slice(0, -1)},"report":${reportJson}}`;
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

  private pump(): void {
    while (!this.closed && this.active < this.threads && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      job.status = 'running';
      job.startedAt = new Date().toISOString();
      this.active++;
      const run = this.runner();
      run({ request: job.request, ...(this.opts.dataDir ? { dataDir: this.opts.dataDir } : {}) })
        .then((r) => {
          if (r.ok) {
            job.summary = r.summary;
            job.reportJson = r.reportJson;
            job.elapsedMs = r.elapsedMs;
            job.status = 'done';
          } else {
            job.error = r.error;
            job.status = 'failed';
          }
        })
        .catch((err: unknown) => {
          if (!this.closed) this.opts.log?.(err);
          // A crashed worker or a pool being closed: the details go nowhere near the client.
          job.error = {
            error: this.closed
              ? 'the server shut down during the run'
              : 'internal error in the backtest worker',
            field: null,
            hint: this.closed ? 'start the run again' : 'this is a bug; the server log has the details',
          };
          job.status = 'failed';
        })
        .finally(() => {
          job.finishedAt = new Date().toISOString();
          this.active--;
          this.evict();
          this.pump();
        });
    }
  }

  private evict(): void {
    const finished = [...this.jobs.values()].filter((j) => j.status === 'done' || j.status === 'failed');
    for (const j of finished.slice(0, Math.max(0, finished.length - this.keepFinished)))
      this.jobs.delete(j.id);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.waiting.splice(0)) {
      j.status = 'failed';
      j.error = { error: 'the server shut down before the run started', field: null, hint: 'start it again' };
      j.finishedAt = new Date().toISOString();
    }
    await this.pool?.destroy();
    this.pool = undefined;
  }
}
