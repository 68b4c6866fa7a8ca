import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  dataVersion,
  intradayBarsKey,
  marketData,
  runWindowBacktest,
  windowBacktestKey,
} from '@vixshield/app';
import {
  DEFAULT_EQUITY_USD,
  type IntradaySourceCounts,
  type IsoDate,
  monthlyReturns,
  ORATS_LIKE_FILL,
  type PeriodReturns,
  type StrategyConfig,
} from '@vixshield/core';
import { ensureDirectory } from '@vixshield/data';
import { STUDY_PRICES_STATEMENT } from '../studies/common';

/** The market data fingerprint lives with the window backtest use case; sweeps print it. */
export { dataVersion };

/** One sweep job: a full configuration over a window. Its result is keyed by a content hash. */
export interface SweepJob {
  readonly config: StrategyConfig;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly dataDir?: string;
}

export interface SweepJobResult {
  readonly key: string;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly cagr: number | null;
  readonly totalReturn: number | null;
  readonly maxDrawdown: number | null;
  /** Annualised Sharpe (252 days). */
  readonly sharpe: number | null;
  readonly skewness: number | null;
  readonly kurtosis: number | null;
  readonly tradingDays: number;
  readonly trades: number;
  readonly winRate: number | null;
  readonly hedgePnlPctPerYear: number | null;
  readonly rollShareRecovered: number | null;
  /** Calendar-month returns of the equity curve (walk-forward stitching, PBO matrix). */
  readonly monthly: PeriodReturns;
  /**
   * The intraday inputs the job ran with (issue 16), as in the backtest report: sessions on SPX bars,
   * on the daily-OHLC approximation and neither, and the intraday exits taken (0 with no exit rule).
   */
  readonly intraday: { readonly sessions: IntradaySourceCounts; readonly exits: number } | null;
  readonly elapsedMs: number;
}

/** Bumped when the job's meaning changes (fill model, equity, metrics): old cache entries then miss. */
export const SWEEP_JOB_VERSION = 3; // 2: results carry monthly returns; 3: the intraday bars' counts

/**
 * The window backtest key (canonical configuration, window, fill model, equity, fees, data version,
 * surface model version) plus the job version: the same configuration written in any key order has
 * the same key, and a sweep's disk cache misses when anything a result depends on changes.
 */
export function sweepKey(
  config: StrategyConfig,
  from: string,
  to: string,
  dataVer: string,
  /** intradayBarsKey() of the job's data dir: the bars the exit rules and the TWAP read. */
  intradayBars: string,
): string {
  return windowBacktestKey({
    config,
    from,
    to,
    dataVersion: dataVer,
    fill: ORATS_LIKE_FILL,
    initialEquityUsd: DEFAULT_EQUITY_USD,
    pricesSource: SWEEP_PRICES,
    extra: { job: SWEEP_JOB_VERSION, intradayBars },
  });
}

const SWEEP_PRICES = { kind: 'modelled', detail: STUDY_PRICES_STATEMENT } as const;

export function cacheDir(dataDir: string): string {
  return join(dataDir, 'sweep-cache');
}

export function readCached(dir: string, key: string): SweepJobResult | undefined {
  try {
    const r = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as SweepJobResult;
    return r.key === key ? r : undefined;
  } catch {
    return undefined;
  }
}

export function writeCached(dir: string, r: SweepJobResult): void {
  ensureDirectory(dir, 'sweep cache directory');
  const tmp = join(dir, `.${r.key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(r)}\n`);
  renameSync(tmp, join(dir, `${r.key}.json`));
}

/** Runs one job in this thread (the worker pool and the serial path both call this). */
export function runSweepJob(job: SweepJob): SweepJobResult {
  const md = marketData(job.dataDir);
  const key = sweepKey(job.config, job.from, job.to, dataVersion(md), intradayBarsKey(job.dataDir));
  // Chains per thread are shared by every job of a sweep: the second configuration replays on the
  // chains (and the implied vols read from them) the first one built.
  const run = runWindowBacktest({
    md,
    config: job.config,
    from: job.from,
    to: job.to,
    fill: ORATS_LIKE_FILL,
    initialEquityUsd: DEFAULT_EQUITY_USD,
    pricesSource: SWEEP_PRICES,
    chains: 'shared',
    // The same intraday inputs as `backtest --data-dir`: the embedded bars plus the dir's imports.
    ...(job.dataDir ? { dataDir: job.dataDir } : {}),
  });
  const { result, summary: s } = run;
  return {
    key,
    from: job.from,
    to: job.to,
    cagr: s.cagr,
    totalReturn: s.totalReturn,
    maxDrawdown: s.maxDrawdown?.depth ?? null,
    sharpe: s.sharpe,
    skewness: s.skewness,
    kurtosis: s.kurtosis,
    tradingDays: s.tradingDays,
    trades: s.trades,
    winRate: s.winRate,
    hedgePnlPctPerYear: s.hedge.annualisedPnlPctOfAverageEquity,
    rollShareRecovered: s.rollChains.shareRecovered,
    monthly: monthlyReturns(result.equity, result.initialEquity),
    intraday: result.intraday
      ? { sessions: { ...result.intraday.sessions }, exits: result.intraday.exits.length }
      : null,
    elapsedMs: run.elapsedMs,
  };
}
