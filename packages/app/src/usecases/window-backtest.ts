import { createHash } from 'node:crypto';
import {
  type BacktestResult,
  type BacktestSession,
  type BacktestSummary,
  type Book,
  canonicalJson,
  canonicalJsonText,
  computeBacktestSummary,
  DEFAULT_FEES,
  type EnginePorts,
  type FillModel,
  type IsoDate,
  runBacktest,
  type StepResult,
  type StrategyConfig,
  SURFACE_MODEL_VERSION,
  strategyConfigSchema,
} from '@vixshield/core';
import { embeddedPorts, type MarketData } from '@vixshield/data';
import { intradayBacktestInputs, intradayBarsVersion } from './intraday';
import { sessionsUpTo } from './market';

/**
 * The one "backtest a configuration over a window of the embedded history" use case. The CLI's and
 * the server's backtest, every study variant and every sweep job run through it, so they share one
 * cache and one definition of what a result depends on:
 *
 *   canonical configuration, window (from, to), fill model, starting equity, fee schedule, the
 *   prices statement, the market data (its identity in memory, its content fingerprint in the key)
 *   and the surface model version.
 *
 * A result computed for one of these never answers for another: the key is the sha256 of their
 * canonical JSON, and the in-memory entries hang off the MarketData object they were built from.
 */

/** What the backtest over a window depends on; every field enters the cache key. */
export interface WindowBacktestRequest {
  readonly md: MarketData;
  readonly config: StrategyConfig;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly fill: FillModel;
  readonly initialEquityUsd: number;
  /** The prices statement written into the result (it is part of the result, so of the key). */
  readonly pricesSource: BacktestResult['pricesSource'];
  /**
   * 'fresh' (default): modelled chains built for this run only. 'shared': chains from a process-wide
   * pool per market data and quote time (16,384 chains), for callers that replay the same days many
   * times (cost variants, sweeps). A modelled chain depends on the day, the expiry, the quote time and
   * the surface model, never on the strategy, so the choice changes the speed, not the result.
   */
  readonly chains?: 'fresh' | 'shared';
  /**
   * Ports to price with instead of the modelled chains (recorded chain snapshots, `backtest --source
   * real`). Their content is not in the key, so such a request always replays and is not cached.
   */
  readonly ports?: EnginePorts;
  /** Data directory whose imported intraday bars join the embedded ones (issue 16). */
  readonly dataDir?: string;
  /** The oldest recorded quote that marks a bar, in minutes (IntradayBacktestInputs; `ports` runs only). */
  readonly realQuoteMaxAgeMinutes?: number;
  /**
   * 'loaded' (default): the SPX bars feed the rollback rule's TWAP and the `exits.intraday` rules.
   * 'hidden': no bars (a study's "what the approximation gives on bar days" rows).
   */
  readonly intradayBars?: 'loaded' | 'hidden';
  /** Progress of the replay; on a cache hit called once with (total, total). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Sees every decision: a request with it always replays (and then refreshes the cache). */
  readonly onDecision?: (
    session: BacktestSession,
    decision: StepResult,
    equityBefore: number,
    book: Book,
  ) => void;
}

export interface WindowBacktestRun {
  /** The content key of the run (see windowBacktestKey). */
  readonly key: string;
  readonly config: StrategyConfig;
  readonly result: BacktestResult;
  readonly summary: BacktestSummary;
  /** Wall time of the replay (chains and engine), or of the lookup when the result came from the cache. */
  readonly elapsedMs: number;
  readonly fromCache: boolean;
}

const dataVersions = new WeakMap<MarketData, string>();

/**
 * A fingerprint of the market data a result was computed from: sha256 over every snapshot's inputs
 * (SPX OHLC, the VIX family, SKEW, VVIX, the VX curve's date, rate, dividend yield, event flags), the
 * VIX1D closes (the one-day vol where they exist) and the event calendars' coverage. Any imported,
 * updated or corrected value the engine reads changes it, so a cached result is never served for
 * other data.
 */
export function dataVersion(md: MarketData): string {
  let v = dataVersions.get(md);
  if (v) return v;
  const h = createHash('sha256');
  for (const s of md.snapshots) {
    const e = s.events;
    h.update(
      `${s.date}|${s.spx.open}|${s.spx.high}|${s.spx.low}|${s.spx.close}|${s.vix}|${s.vix9d}|${s.vix3m}|` +
        `${s.vix6m}|${s.vix1y}|${s.vvix}|${s.skew}|${s.vixFutures?.closes.join(',')}|${s.rate?.r}|${s.dividendYield?.q}|` +
        `${e.fomc}${e.cpi}${e.ppi}${e.payrolls}\n`,
    );
  }
  for (const r of md.data.vix1d) h.update(`vix1d|${r.date}|${r.value}\n`);
  // coverage without its source text (a file path), which does not change what the engine reads
  h.update(JSON.stringify(md.data.eventCoverage.map((c) => [c.kind, c.from, c.to, c.unknown ?? []])));
  v = h.digest('hex').slice(0, 16);
  dataVersions.set(md, v);
  return v;
}

/** A fill model as data: its name, its fraction and the share it gives up for 1 to 8 legs. */
function fillIdentity(fill: FillModel): Record<string, unknown> {
  return {
    name: fill.name,
    fraction: fill.fraction,
    spreadShareByLegs: Array.from({ length: 8 }, (_, i) => fill.spreadShare(i + 1)),
  };
}

export interface WindowBacktestKeyParts {
  readonly config: StrategyConfig;
  readonly from: string;
  readonly to: string;
  readonly fill: FillModel;
  readonly initialEquityUsd: number;
  /** dataVersion() of the market data. */
  readonly dataVersion: string;
  readonly pricesSource?: BacktestResult['pricesSource'];
  /** More key material from a caller that stores results elsewhere (e.g. the sweep's job version). */
  readonly extra?: Record<string, unknown>;
}

/**
 * sha256 of the canonical JSON (sorted keys) of everything a window backtest depends on: the same
 * configuration written in any key order has the same key; any other input gives another key.
 */
export function windowBacktestKey(p: WindowBacktestKeyParts): string {
  const canonical = canonicalJson({
    config: strategyConfigSchema.parse(p.config),
    from: p.from,
    to: p.to,
    fill: fillIdentity(p.fill),
    initialEquity: p.initialEquityUsd,
    fees: DEFAULT_FEES,
    data: p.dataVersion,
    surfaceModel: SURFACE_MODEL_VERSION,
    ...(p.pricesSource ? { pricesSource: p.pricesSource } : {}),
    ...(p.extra ?? {}),
  });
  return createHash('sha256').update(canonicalJsonText(canonical)).digest('hex');
}

// ---------------------------------------------------------------------------------------------------
// The cache: per MarketData object (so a second data dir never sees the first one's entries), the
// sessions of a window and the last results by key.

/** Results kept per market data (a full 2015-2026 result is a few MB; sweeps replay thousands). */
const RESULTS_KEPT = 8;
/** Session lists kept per market data (one per end date, quote time and z lookback). */
const SESSION_LISTS_KEPT = 64;
/** Chains kept by a shared pool: every chain of 2015-2026 a few times over. */
const SHARED_CHAIN_CACHE = 16_384;

interface DataEntry {
  readonly sessions: Map<string, BacktestSession[]>;
  readonly results: Map<string, { result: BacktestResult; summary: BacktestSummary }>;
  readonly sharedPorts: Map<string, EnginePorts>;
}

const byData = new WeakMap<MarketData, DataEntry>();

function entryOf(md: MarketData): DataEntry {
  let e = byData.get(md);
  if (!e) {
    e = { sessions: new Map(), results: new Map(), sharedPorts: new Map() };
    byData.set(md, e);
  }
  return e;
}

/**
 * The sessions of the window [from, to] for a configuration: built from the snapshots up to `to` only
 * (nothing later is even passed in), with the configuration's quote time and z lookback.
 */
export function windowSessions(
  md: MarketData,
  config: StrategyConfig,
  from: IsoDate,
  to: IsoDate,
): BacktestSession[] {
  const e = entryOf(md);
  const timeCt = config.entry.timeCt;
  const lookback = config.hedge.trigger.zLookbackDays;
  const key = `${to}|${timeCt}|${lookback}`;
  let upTo = e.sessions.get(key);
  if (!upTo) {
    upTo = sessionsUpTo(md, to, timeCt, lookback).sessions;
    if (e.sessions.size >= SESSION_LISTS_KEPT) e.sessions.clear();
    e.sessions.set(key, upTo);
  }
  return upTo.filter((s) => s.date >= from);
}

function portsFor(md: MarketData, quoteTimeCt: string, chains: 'fresh' | 'shared'): EnginePorts {
  if (chains === 'fresh') return embeddedPorts(md, { quoteTimeCt });
  const pool = entryOf(md).sharedPorts;
  let ports = pool.get(quoteTimeCt);
  if (!ports) {
    ports = embeddedPorts(md, { quoteTimeCt, chainCacheSize: SHARED_CHAIN_CACHE });
    pool.set(quoteTimeCt, ports);
  }
  return ports;
}

/** Forgets every cached result, session list and shared chain pool of this market data. */
export function clearWindowBacktestCache(md: MarketData): void {
  byData.delete(md);
}

/**
 * What the intraday bars of a run are, as key material: their description and content fingerprint
 * ('hidden' when a study hides them). The sweep's disk cache key uses the same value.
 */
export function intradayBarsKey(dataDir: string | undefined, bars: 'loaded' | 'hidden' = 'loaded'): string {
  return bars === 'hidden' ? 'bars hidden' : `spx-60m|${intradayBarsVersion(dataDir)}`;
}

/** Backtests a configuration over a window of the market data, from the cache when it was run before. */
export function runWindowBacktest(req: WindowBacktestRequest): WindowBacktestRun {
  const t0 = performance.now();
  const ports = req.ports ?? portsFor(req.md, req.config.entry.timeCt, req.chains ?? 'fresh');
  const loaded = intradayBacktestInputs(ports.chains, {
    ...(req.dataDir ? { dataDir: req.dataDir } : {}),
    ...(req.realQuoteMaxAgeMinutes !== undefined
      ? { realQuoteMaxAgeMinutes: req.realQuoteMaxAgeMinutes }
      : {}),
  });
  const intraday =
    req.intradayBars === 'hidden' ? { ...loaded, bars: () => undefined, description: 'bars hidden' } : loaded;
  const key = windowBacktestKey({
    config: req.config,
    from: req.from,
    to: req.to,
    fill: req.fill,
    initialEquityUsd: req.initialEquityUsd,
    dataVersion: dataVersion(req.md),
    pricesSource: req.pricesSource,
    // The bars change the rollback rule's input and the intraday exits: which bars is part of the key.
    extra: { intradayBars: intradayBarsKey(req.dataDir, req.intradayBars ?? 'loaded') },
  });
  const results = entryOf(req.md).results;
  const cacheable = !req.onDecision && !req.ports;
  const hit = cacheable ? results.get(key) : undefined;
  if (hit) {
    // Least recently used goes first: move the hit to the end.
    results.delete(key);
    results.set(key, hit);
    const n = hit.result.equity.length;
    req.onProgress?.(n, n);
    return { key, config: req.config, ...hit, elapsedMs: performance.now() - t0, fromCache: true };
  }
  const sessions = windowSessions(req.md, req.config, req.from, req.to);
  const tReplay = performance.now();
  const result = runBacktest(sessions, ports, req.config, {
    initialEquity: req.initialEquityUsd,
    fill: req.fill,
    pricesSource: req.pricesSource,
    intraday,
    ...(req.onProgress ? { onProgress: req.onProgress } : {}),
    ...(req.onDecision ? { onDecision: req.onDecision } : {}),
  });
  const elapsedMs = performance.now() - tReplay;
  const summary = computeBacktestSummary(result);
  if (cacheable) {
    results.delete(key);
    if (results.size >= RESULTS_KEPT) results.delete(results.keys().next().value as string);
    results.set(key, { result, summary });
  }
  return { key, config: req.config, result, summary, elapsedMs, fromCache: false };
}
