import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillModel, marketData, sessionsUpTo } from '@vixshield/app';
import {
  type BacktestSession,
  canonicalJson,
  computeBacktestSummary,
  type EnginePorts,
  type IsoDate,
  monthlyReturns,
  type PeriodReturns,
  runBacktest,
  type StrategyConfig,
  strategyConfigSchema,
} from '@vixshield/core';
import type { MarketData } from '@vixshield/data';
import { embeddedPorts } from '@vixshield/data';
import { STUDY_PRICES_STATEMENT } from '../studies/common';

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
  readonly elapsedMs: number;
}

const dataVersions = new WeakMap<MarketData, string>();

/**
 * A fingerprint of the market data a result was computed from: sha256 over every snapshot's date and
 * its SPX close, VIX and VIX9D (any imported or corrected row changes it).
 */
export function dataVersion(md: MarketData): string {
  let v = dataVersions.get(md);
  if (v) return v;
  const h = createHash('sha256');
  for (const s of md.snapshots) h.update(`${s.date}|${s.spx.close}|${s.vix}|${s.vix9d}\n`);
  v = h.digest('hex').slice(0, 16);
  dataVersions.set(md, v);
  return v;
}

/** Bumped when the job's meaning changes (fill model, equity, metrics): old cache entries then miss. */
export const SWEEP_JOB_VERSION = 2; // 2: results carry monthly returns

/**
 * sha256 of the canonical JSON (sorted keys) of the parsed configuration, the window, the data
 * version and the job version: the same configuration written in any key order has the same key.
 */
export function sweepKey(config: StrategyConfig, from: string, to: string, dataVer: string): string {
  const canonical = canonicalJson({
    config: strategyConfigSchema.parse(config),
    from,
    to,
    data: dataVer,
    job: SWEEP_JOB_VERSION,
    fill: 'orats-like',
    initialEquity: 100_000,
  });
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

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
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${r.key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(r)}\n`);
  renameSync(tmp, join(dir, `${r.key}.json`));
}

/**
 * Chains per thread, shared by every job of a sweep: a modelled chain depends on the day, the expiry
 * and the quote time, never on the strategy, so the second configuration replays on chains (and the
 * implied vols read from them) the first one built. Enough room for every chain of 2015-2026 a few
 * times over; beyond that the oldest go.
 */
const SWEEP_CHAIN_CACHE = 16_384;
const portsByData = new WeakMap<MarketData, Map<string, EnginePorts>>();

function sharedPorts(md: MarketData, quoteTimeCt: string): EnginePorts {
  let byTime = portsByData.get(md);
  if (!byTime) {
    byTime = new Map();
    portsByData.set(md, byTime);
  }
  let ports = byTime.get(quoteTimeCt);
  if (!ports) {
    ports = embeddedPorts(md, { quoteTimeCt, chainCacheSize: SWEEP_CHAIN_CACHE });
    byTime.set(quoteTimeCt, ports);
  }
  return ports;
}

const sessionsByData = new WeakMap<MarketData, Map<string, BacktestSession[]>>();

function sharedSessions(md: MarketData, job: SweepJob, cfg: StrategyConfig): BacktestSession[] {
  let byKey = sessionsByData.get(md);
  if (!byKey) {
    byKey = new Map();
    sessionsByData.set(md, byKey);
  }
  const key = `${job.from}|${job.to}|${cfg.entry.timeCt}|${cfg.hedge.trigger.zLookbackDays}`;
  let sessions = byKey.get(key);
  if (!sessions) {
    sessions = sessionsUpTo(md, job.to, cfg.entry.timeCt, cfg.hedge.trigger.zLookbackDays).sessions.filter(
      (s) => s.date >= job.from,
    );
    if (byKey.size >= 64) byKey.clear();
    byKey.set(key, sessions);
  }
  return sessions;
}

/** Runs one job in this thread (the worker pool and the serial path both call this). */
export function runSweepJob(job: SweepJob): SweepJobResult {
  const md = marketData(job.dataDir);
  const key = sweepKey(job.config, job.from, job.to, dataVersion(md));
  const cfg = job.config;
  const sessions = sharedSessions(md, job, cfg);
  const t0 = performance.now();
  const result = runBacktest(sessions, sharedPorts(md, cfg.entry.timeCt), cfg, {
    initialEquity: 100_000,
    fill: fillModel('orats-like'),
    pricesSource: { kind: 'modelled', detail: STUDY_PRICES_STATEMENT },
  });
  const s = computeBacktestSummary(result);
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
    elapsedMs: performance.now() - t0,
  };
}
