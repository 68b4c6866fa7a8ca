import { intradayBarsKey, marketData } from '@vixshield/app';
import { AS_SENTENCE, InvalidInputError } from '@vixshield/core';
import { Queue, Worker } from 'bullmq';
import { dataVersion, runSweepJob, type SweepJob, type SweepJobResult, sweepKey } from './job';

/**
 * Distributed sweeps on BullMQ/Redis. The job id is the result key (sha256 of the canonical config,
 * window and data version), so enqueueing the same configuration twice is a no-op and each result is
 * collected exactly once, whichever worker ran it and however often it was retried after a crash.
 */

export const DEFAULT_QUEUE_NAME = 'vixshield-sweep';

export interface RedisConnection {
  readonly host: string;
  readonly port: number;
}

export function parseRedisUrl(url: string): RedisConnection {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InvalidInputError(
      `{queue} '${url}' is not a URL: use redis://HOST:PORT`,
      'queue',
      'use redis://HOST:PORT',
      AS_SENTENCE,
    );
  }
  if (u.protocol !== 'redis:')
    throw new InvalidInputError(
      `{queue} '${url}' must start with redis://`,
      'queue',
      'use redis://HOST:PORT',
      AS_SENTENCE,
    );
  const port = u.port ? Number(u.port) : 6379;
  return { host: u.hostname || '127.0.0.1', port };
}

/** Lock and stall settings: a killed worker's job is re-queued after about stalledInterval. */
export const QUEUE_WORKER_SETTINGS = {
  lockDuration: 15_000,
  stalledInterval: 3_000,
  maxStalledCount: 10,
} as const;

export async function enqueueAndCollect(
  jobs: readonly SweepJob[],
  opts: {
    url: string;
    queueName?: string;
    log?: (s: string) => void;
    pollMs?: number;
    timeoutMs?: number;
    onResult?: (r: SweepJobResult) => void;
  },
): Promise<SweepJobResult[]> {
  const connection = { ...parseRedisUrl(opts.url), maxRetriesPerRequest: null };
  const queue = new Queue(opts.queueName ?? DEFAULT_QUEUE_NAME, { connection });
  try {
    const ver = dataVersion(marketData(jobs[0]?.dataDir));
    const bars = intradayBarsKey(jobs[0]?.dataDir);
    const keys = jobs.map((j) => sweepKey(j.config, j.from, j.to, ver, bars));
    const unique = [...new Set(keys)];
    const firstOf = new Map<string, SweepJob>();
    keys.forEach((k, i) => {
      if (!firstOf.has(k)) firstOf.set(k, jobs[i] as SweepJob);
    });
    await queue.addBulk(
      unique.map((k) => ({
        name: 'backtest',
        data: firstOf.get(k) as SweepJob,
        opts: { jobId: k, attempts: 3, removeOnComplete: false, removeOnFail: false },
      })),
    );
    opts.log?.(`queued ${unique.length} jobs on ${opts.url} (${opts.queueName ?? DEFAULT_QUEUE_NAME})`);
    const got = new Map<string, SweepJobResult>();
    const t0 = Date.now();
    while (got.size < unique.length) {
      for (const k of unique) {
        if (got.has(k)) continue;
        const job = await queue.getJob(k);
        if (!job) throw new Error(`job ${k} vanished from the queue`);
        if (job.finishedOn && job.failedReason && job.attemptsMade >= (job.opts.attempts ?? 1))
          throw new Error(`job ${k} failed: ${job.failedReason}`);
        if (job.finishedOn && job.returnvalue) {
          const r = job.returnvalue as SweepJobResult;
          if (r.key !== k) throw new Error(`job ${k} returned the result of ${r.key}`);
          got.set(k, r);
          opts.onResult?.(r);
        }
      }
      if (got.size < unique.length) {
        if (opts.timeoutMs !== undefined && Date.now() - t0 > opts.timeoutMs)
          throw new Error(`timed out with ${got.size}/${unique.length} results`);
        await new Promise((res) => setTimeout(res, opts.pollMs ?? 500));
      }
    }
    return keys.map((k) => got.get(k) as SweepJobResult);
  } finally {
    await queue.close();
  }
}

/** Runs queued sweep jobs until `stop()` (or SIGINT/SIGTERM in the CLI). */
export function startQueueWorker(opts: {
  url: string;
  queueName?: string;
  concurrency?: number;
  log?: (s: string) => void;
}): { stop: () => Promise<void>; worker: Worker } {
  const connection = { ...parseRedisUrl(opts.url), maxRetriesPerRequest: null };
  const worker = new Worker(
    opts.queueName ?? DEFAULT_QUEUE_NAME,
    async (job) => runSweepJob(job.data as SweepJob),
    { connection, concurrency: opts.concurrency ?? 1, ...QUEUE_WORKER_SETTINGS },
  );
  worker.on('completed', (job) => opts.log?.(`done ${job.id}`));
  worker.on('failed', (job, err) => opts.log?.(`failed ${job?.id}: ${err.message}`));
  return { worker, stop: () => worker.close() };
}
