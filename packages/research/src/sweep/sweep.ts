import { intradayBarsKey, marketData, presetOption } from '@vixshield/app';
import {
  AS_SENTENCE,
  deflatedSharpe,
  InvalidInputError,
  type IsoDate,
  type PresetName,
} from '@vixshield/core';
import { Piscina } from 'piscina';
import { STUDY_PRICES_STATEMENT, studyWindow } from '../studies/common';
import {
  cacheDir,
  dataVersion,
  readCached,
  runSweepJob,
  type SweepJob,
  type SweepJobResult,
  sweepKey,
  writeCached,
} from './job';
import { type SweepPbo, sweepPbo } from './pbo';
import { enqueueAndCollect } from './queue';
import { gridSize, parseSweepParam, type SweepParam, sweepPoints } from './space';

export interface SweepOptions {
  preset?: string;
  params: readonly string[];
  random?: number;
  seed?: number;
  from?: string;
  to?: string;
  /** First day of the hold-out: variants are ranked on [from, holdout) and re-run on [holdout, to]. */
  holdout?: string;
  workers?: number;
  /** Where results are cached (`<dataDir>/sweep-cache`); no cache when undefined. */
  cacheDataDir?: string;
  /** Data directory with user imports (market data). */
  dataDir?: string;
  /** redis://HOST:PORT: run the jobs on `vixshield worker` processes through BullMQ. */
  queue?: string;
  queueName?: string;
  /** CSCV blocks for the PBO (default 16; fewer when the window has fewer months). */
  pboBlocks?: number;
}

export interface SweepRow {
  readonly values: ReadonlyArray<readonly [string, number | boolean | string]>;
  readonly inSample: SweepJobResult;
  readonly outOfSample: SweepJobResult | null;
}

export interface SweepReport {
  readonly preset: PresetName;
  readonly params: readonly SweepParam[];
  readonly mode: 'grid' | 'random';
  readonly gridSize: number;
  /** Variants evaluated (= trials for the deflated Sharpe). */
  readonly variants: number;
  readonly window: { readonly from: IsoDate; readonly to: IsoDate };
  readonly inSampleWindow: { readonly from: IsoDate; readonly to: IsoDate };
  readonly holdoutWindow: { readonly from: IsoDate; readonly to: IsoDate } | null;
  readonly dataVersion: string;
  readonly jobs: number;
  readonly cacheHits: number;
  readonly workers: number;
  readonly elapsedMs: number;
  readonly rows: readonly SweepRow[];
  readonly overfitting: {
    readonly bestIndex: number | null;
    readonly bestSharpe: number | null;
    /** Deflated Sharpe of the in-sample best (probability), trials = variants, trial variance measured. */
    readonly deflatedSharpe: number | null;
    readonly trialSharpeVariance: number | null;
    readonly bestOutOfSampleSharpe: number | null;
    /** Spearman rank correlation of in-sample and hold-out Sharpe across variants. */
    readonly rankCorrelation: number | null;
    /** Hold-out rank of the in-sample best, as a fraction (1 = best of all in the hold-out). */
    readonly bestOutOfSampleRelativeRank: number | null;
    readonly method: string;
  };
  /** Probability of backtest overfitting (CSCV) of picking the best Sharpe on the ranking window. */
  readonly pbo: SweepPbo;
  readonly prices: string;
}

function ranks(xs: readonly number[]): number[] {
  const idx = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(xs.length);
  idx.forEach(([, i], k) => {
    r[i] = k + 1;
  });
  return r;
}

export function spearman(a: readonly number[], b: readonly number[]): number | null {
  const n = a.length;
  if (n < 3 || b.length !== n) return null;
  const ra = ranks(a);
  const rb = ranks(b);
  const ma = (n + 1) / 2;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = (ra[i] as number) - ma;
    const y = (rb[i] as number) - ma;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : null;
}

export interface RunJobsOptions {
  workers: number;
  cache?: string;
  log?: (s: string) => void;
  /** Run on BullMQ workers through Redis instead of this process. */
  queue?: { url: string; name?: string };
}

/** Runs jobs not in the cache, serially or on a piscina pool; returns results in job order. */
export async function runJobs(
  jobs: readonly SweepJob[],
  opts: RunJobsOptions,
): Promise<{ results: SweepJobResult[]; cacheHits: number }> {
  const md = marketData(jobs[0]?.dataDir);
  const ver = dataVersion(md);
  const bars = intradayBarsKey(jobs[0]?.dataDir);
  const keys = jobs.map((j) => sweepKey(j.config, j.from, j.to, ver, bars));
  const results = new Array<SweepJobResult | undefined>(jobs.length);
  let hits = 0;
  const byKey = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const cached = opts.cache ? readCached(opts.cache, k) : undefined;
    if (cached) {
      results[i] = cached;
      hits++;
    } else byKey.set(k, [...(byKey.get(k) ?? []), i]);
  });
  const todo = [...byKey.entries()];
  let done = 0;
  const finish = (k: string, r: SweepJobResult) => {
    if (opts.cache) writeCached(opts.cache, r);
    for (const i of byKey.get(k) ?? []) results[i] = r;
    done++;
    if (opts.log && (done % 10 === 0 || done === todo.length)) opts.log(`  ${done}/${todo.length} jobs run`);
  };
  if (opts.queue && todo.length > 0) {
    const rs = await enqueueAndCollect(
      todo.map(([, ix]) => jobs[ix[0] as number] as SweepJob),
      {
        url: opts.queue.url,
        ...(opts.queue.name ? { queueName: opts.queue.name } : {}),
        ...(opts.log ? { log: opts.log } : {}),
      },
    );
    rs.forEach((r, i) => {
      finish((todo[i] as [string, number[]])[0], r);
    });
  } else if (opts.workers <= 1) {
    for (const [k, ix] of todo) finish(k, runSweepJob(jobs[ix[0] as number] as SweepJob));
  } else {
    const pool = new Piscina({
      filename: new URL('./worker.mjs', import.meta.url).href,
      minThreads: opts.workers,
      maxThreads: opts.workers,
    });
    try {
      await Promise.all(
        todo.map(async ([k, ix]) => finish(k, (await pool.run(jobs[ix[0] as number])) as SweepJobResult)),
      );
    } finally {
      await pool.destroy();
    }
  }
  return { results: results as SweepJobResult[], cacheHits: hits };
}

/** What every sweep mode needs before it builds jobs: preset, space, window, workers, points. */
/** The runner options of a sweep: worker count, result cache under the data dir, optional queue. */
export function runOptionsOf(
  opts: Pick<SweepOptions, 'cacheDataDir' | 'queue' | 'queueName'>,
  workers: number,
  log: (line: string) => void,
): RunJobsOptions {
  return {
    workers,
    ...(opts.cacheDataDir ? { cache: cacheDir(opts.cacheDataDir) } : {}),
    ...(opts.queue
      ? { queue: { url: opts.queue, ...(opts.queueName ? { name: opts.queueName } : {}) } }
      : {}),
    log,
  };
}

export function sweepSetup(opts: SweepOptions) {
  const preset = presetOption(opts.preset);
  if (opts.params.length === 0)
    throw new InvalidInputError(
      'give at least one {param} path=v1,v2',
      'param',
      'give at least one parameter to sweep',
      AS_SENTENCE,
    );
  const params = opts.params.map(parseSweepParam);
  const dup = params.find((p, i) => params.findIndex((q) => q.path === p.path) !== i);
  if (dup)
    throw new InvalidInputError(
      `{param} ${dup.path} is given twice`,
      'param',
      'give each parameter once',
      AS_SENTENCE,
    );
  const w = studyWindow({
    ...(opts.from ? { from: opts.from } : {}),
    ...(opts.to ? { to: opts.to } : {}),
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
  });
  const workers = opts.workers ?? 1;
  if (!(Number.isInteger(workers) && workers >= 1))
    throw new InvalidInputError(
      `{workers} '${opts.workers}' must be >= 1`,
      'workers',
      'pass a whole number >= 1',
      AS_SENTENCE,
    );
  const points = sweepPoints(preset, params, {
    ...(opts.random !== undefined ? { random: opts.random } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  });
  return { preset, params, w, workers, points };
}

export async function runSweep(
  opts: SweepOptions,
  log: (s: string) => void = () => {},
): Promise<SweepReport> {
  const t0 = performance.now();
  const { preset, params, w, workers, points } = sweepSetup(opts);
  let isWin = { from: w.from, to: w.to };
  let oosWin: { from: IsoDate; to: IsoDate } | null = null;
  if (opts.holdout) {
    const before = w.md.snapshots.filter((s) => s.date >= w.from && s.date < (opts.holdout as string));
    const after = w.md.snapshots.filter((s) => s.date >= (opts.holdout as string) && s.date <= w.to);
    if (before.length < 20 || after.length < 20)
      throw new InvalidInputError(
        `{holdout} ${opts.holdout} must leave at least 20 trading days on each side of it`,
        'holdout',
        'move the holdout date inside the range',
        AS_SENTENCE,
      );
    isWin = { from: w.from, to: before[before.length - 1]!.date };
    oosWin = { from: after[0]!.date, to: w.to };
  }
  const dd = opts.dataDir ? { dataDir: opts.dataDir } : {};
  const jobs: SweepJob[] = points.map((p) => ({ config: p.config, ...isWin, ...dd }));
  if (oosWin) for (const p of points) jobs.push({ config: p.config, ...oosWin, ...dd });
  log(
    `sweep: ${points.length} variants, ${jobs.length} jobs, ${opts.queue ? `queue ${opts.queue}` : `${workers} worker(s)`}`,
  );
  const { results, cacheHits } = await runJobs(jobs, runOptionsOf(opts, workers, log));
  const rows: SweepRow[] = points.map((p, i) => ({
    values: p.values,
    inSample: results[i] as SweepJobResult,
    outOfSample: oosWin ? (results[points.length + i] as SweepJobResult) : null,
  }));
  return {
    preset,
    params,
    mode: opts.random !== undefined ? 'random' : 'grid',
    gridSize: gridSize(params),
    variants: points.length,
    window: { from: w.from, to: w.to },
    inSampleWindow: isWin,
    holdoutWindow: oosWin,
    dataVersion: dataVersion(w.md),
    jobs: jobs.length,
    cacheHits,
    workers,
    elapsedMs: performance.now() - t0,
    rows,
    overfitting: overfittingOf(rows),
    pbo: sweepPbo(
      rows.map((r) => r.inSample.monthly),
      opts.pboBlocks,
      `monthly returns of every variant over the ranking window ${isWin.from} .. ${isWin.to}`,
    ),
    prices: STUDY_PRICES_STATEMENT,
  };
}

export function overfittingOf(rows: readonly SweepRow[]): SweepReport['overfitting'] {
  const method =
    'deflated Sharpe ratio (Bailey & Lopez de Prado 2014) of the in-sample best: trials = number of variants, trial Sharpe variance measured across variants; with --holdout also the hold-out Sharpe of the in-sample best and the IS/OOS rank correlation';
  const ok = rows.map((r, i) => [r, i] as const).filter(([r]) => r.inSample.sharpe !== null);
  if (ok.length === 0)
    return {
      bestIndex: null,
      bestSharpe: null,
      deflatedSharpe: null,
      trialSharpeVariance: null,
      bestOutOfSampleSharpe: null,
      rankCorrelation: null,
      bestOutOfSampleRelativeRank: null,
      method,
    };
  const [best, bestIndex] = ok.reduce((a, b) =>
    (b[0].inSample.sharpe as number) > (a[0].inSample.sharpe as number) ? b : a,
  );
  const perObs = ok.map(([r]) => (r.inSample.sharpe as number) / Math.sqrt(252));
  const m = perObs.reduce((a, b) => a + b, 0) / perObs.length;
  const variance =
    perObs.length > 1 ? perObs.reduce((a, b) => a + (b - m) ** 2, 0) / (perObs.length - 1) : null;
  const b = best.inSample;
  let dsr: number | null = null;
  if (b.tradingDays >= 2 && b.skewness !== null && b.kurtosis !== null) {
    dsr = deflatedSharpe(
      (b.sharpe as number) / Math.sqrt(252),
      rows.length,
      b.tradingDays,
      b.skewness,
      b.kurtosis,
      variance !== null && variance > 0 ? { trialSharpeVariance: variance } : {},
    );
  }
  const withOos = ok.filter(([r]) => r.outOfSample?.sharpe !== null && r.outOfSample !== null);
  const rc =
    withOos.length >= 3
      ? spearman(
          withOos.map(([r]) => r.inSample.sharpe as number),
          withOos.map(([r]) => r.outOfSample?.sharpe as number),
        )
      : null;
  let rel: number | null = null;
  if (best.outOfSample?.sharpe !== null && best.outOfSample && withOos.length > 1) {
    const s = best.outOfSample.sharpe as number;
    const below = withOos.filter(([r]) => (r.outOfSample?.sharpe as number) < s).length;
    rel = below / (withOos.length - 1);
  }
  return {
    bestIndex,
    bestSharpe: b.sharpe,
    deflatedSharpe: dsr,
    trialSharpeVariance: variance,
    bestOutOfSampleSharpe: best.outOfSample?.sharpe ?? null,
    rankCorrelation: rc,
    bestOutOfSampleRelativeRank: rel,
    method,
  };
}
