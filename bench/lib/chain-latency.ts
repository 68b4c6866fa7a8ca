/**
 * Chain-store lookup latency, measured in a process of its own: `node --import tsx
 * bench/lib/chain-latency.ts JOB.json` prints a LatencyResult as JSON. The chains bench runs it after
 * the import, so that the lookups are timed the way a service serves them (a process that opened the
 * store), not in the process that has just parsed and written a million rows (its allocator and heap
 * state added several ms to the p99 in the same-process runs: chain p99 6.8-11 ms there against
 * 3-4.6 ms in a fresh process on the same file).
 */
import { readFileSync } from 'node:fs';
import { ChainStore, RealChainSource } from '@vixshield/chains';
import type { IsoDate } from '@vixshield/core';

export interface LatencyJob {
  readonly dbDir: string;
  /** Each timed loop asks these, in order (the first 20 again as warm-up). */
  readonly picks: ReadonlyArray<{ readonly day: IsoDate; readonly expiry: IsoDate; readonly strike: number }>;
  /** Quote dates for the RealChainSource preload (the engine's path) and an expiry of each. */
  readonly preload: ReadonlyArray<{ readonly day: IsoDate; readonly expiry: IsoDate }>;
}

export interface Quantiles {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface LatencyResult {
  readonly control: Quantiles;
  readonly firstTouch: Quantiles;
  readonly chain: Quantiles;
  readonly strike: Quantiles;
  readonly delta: Quantiles;
  readonly chainCached: Quantiles;
  readonly deltaCached: Quantiles;
  readonly preloaded: Quantiles;
  readonly preloadSeconds: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Times f(0..n-1) after f(0..19) as warm-up; milliseconds. */
export async function time(n: number, f: (i: number) => Promise<unknown>): Promise<Quantiles> {
  for (let i = 0; i < Math.min(20, n); i++) await f(i);
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f(i);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 0.5), p99: percentile(ms, 0.99), max: ms[ms.length - 1]! };
}

export async function measureLatency(job: LatencyJob): Promise<LatencyResult> {
  const store = await ChainStore.open(job.dbDir);
  try {
    const picks = job.picks;
    const n = picks.length;
    const chain = (i: number): Promise<unknown> => store.chain(picks[i]!.day, picks[i]!.expiry);
    const byStrike = (i: number): Promise<unknown> =>
      store.quoteByStrike(picks[i]!.day, picks[i]!.expiry, picks[i]!.strike, 'put');
    const delta = (i: number): Promise<unknown> =>
      store.quoteByDelta(picks[i]!.day, picks[i]!.expiry, 'put', -0.16);
    const cold =
      (f: (i: number) => Promise<unknown>) =>
      (i: number): Promise<unknown> => {
        store.clearChainCache();
        return f(i);
      };
    // Control: a metadata-only query (count(*)) through the same connection: its tail is the
    // machine's (scheduling on 2 shared cores), not the lookup's.
    const control = await time(n, () => store.count());
    // First touch: the store's blocks are on disk, so the first lookups in a row group also load its
    // blocks into DuckDB's buffer pool. Measured apart; the loops after it run with the blocks loaded,
    // as in a running service, the slice cache still cleared before every lookup.
    const firstTouch = await time(n, cold(chain));
    const chainQ = await time(n, cold(chain));
    const strike = await time(n, cold(byStrike));
    const deltaQ = await time(n, cold(delta));
    // Cached: the same (date, expiry) asked again (the engine asks a chain, then strikes/deltas in it).
    await chain(0);
    const chainCached = await time(n, () => chain(0));
    const deltaCached = await time(n, () => delta(0));
    // The engine's path: a preloaded RealChainSource (sync map lookups).
    const days = job.preload.map((x) => x.day);
    const t = performance.now();
    const src = await RealChainSource.load(store, { from: days[0]!, to: days[days.length - 1]! });
    const preloadSeconds = (performance.now() - t) / 1000;
    const preloaded = await time(n, async (i) => {
      const x = job.preload[i % job.preload.length]!;
      return src.chain(x.day, x.expiry);
    });
    return {
      control,
      firstTouch,
      chain: chainQ,
      strike,
      delta: deltaQ,
      chainCached,
      deltaCached,
      preloaded,
      preloadSeconds,
    };
  } finally {
    store.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LatencyJob;
  process.stdout.write(`${JSON.stringify(await measureLatency(job))}\n`);
}
