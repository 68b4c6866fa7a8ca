import { Piscina } from 'piscina';
import { HttpError } from '../errors';
import type { SignalJob, SignalJobResult } from './signal';

export interface SignalPoolOptions {
  /** Runs one job. Default: a one-thread piscina pool on ./worker.mjs. Tests may inject. */
  readonly run?: (job: SignalJob) => Promise<SignalJobResult>;
  /** The idle thread exits after this many ms (default 10 minutes; the next miss starts one again). */
  readonly idleTimeoutMs?: number;
}

/**
 * First-time signal computations (a cache and journal miss: a few hundred ms of engine time) on a
 * worker thread, so they never stall the event loop that answers the cached signals. Concurrent
 * requests for the same inputs share one computation.
 */
export class SignalPool {
  private pool: Piscina | undefined;
  private readonly inflight = new Map<string, Promise<{ signal: unknown; state?: unknown }>>();
  private closed = false;

  constructor(private readonly opts: SignalPoolOptions = {}) {}

  /**
   * Starts the worker thread now and resolves once it has loaded the engine and the market data, so
   * the first miss does not pay for that (a few seconds on a busy machine).
   */
  async warm(dataDir?: string): Promise<void> {
    if (this.opts.run) return;
    this.runner();
    await this.pool!.run({ kind: 'warm', ...(dataDir ? { dataDir } : {}) });
  }

  private runner(): (job: SignalJob) => Promise<SignalJobResult> {
    if (this.opts.run) return this.opts.run;
    this.pool ??= new Piscina({
      filename: new URL('./worker.mjs', import.meta.url).href,
      minThreads: 1,
      maxThreads: 1,
      idleTimeout: this.opts.idleTimeoutMs ?? 600_000,
    });
    const pool = this.pool;
    return (job) => pool.run(job) as Promise<SignalJobResult>;
  }

  /** The signal for these inputs; `key` identifies them (the inputs hash) for sharing. */
  compute(key: string, job: Omit<SignalJob, 'kind'>): Promise<{ signal: unknown; state?: unknown }> {
    if (this.closed) return Promise.reject(new HttpError(503, 'the server is shutting down', null, null));
    let p = this.inflight.get(key);
    if (!p) {
      p = this.runner()({ kind: 'signal', ...job })
        .then((r) => {
          if (!r.ok) throw new HttpError(r.status, r.error.error, r.error.field, r.error.hint);
          return { signal: r.signal, ...(r.state !== undefined ? { state: r.state } : {}) };
        })
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pool?.destroy();
    this.pool = undefined;
  }
}
