import { createHash } from 'node:crypto';
import {
  type ChainSource,
  type IntradayBacktestInputs,
  type IntradayDay,
  type IsoDate,
  ModelledChainSource,
} from '@vixshield/core';
import { type IntradayData, loadIntradayBars } from '@vixshield/data';
import { SnapshotOrModelChainSource } from './snapshot-chains';

/*
 * The backtest's intraday inputs (issue 16): SPX bars at one resolution for the whole run (hourly by
 * default: the only resolution over the full 2023-09..2026-08 sample, so a rule means the same on
 * every day) and the surfaces of the modelled chain source. Loaded once per process and data dir.
 */

/** Bar resolution the backtest runs its intraday exits on, minutes. */
export const BACKTEST_BAR_MINUTES = 60;

const cached = new Map<string, IntradayData>();

/** The embedded SPX bars of one resolution (plus user imports under `dataDir`), once per process, dir and resolution. */
export function intradayData(dataDir?: string, resolutionMinutes = BACKTEST_BAR_MINUTES): IntradayData {
  const key = `${dataDir ?? ''}|${resolutionMinutes}`;
  let d = cached.get(key);
  if (!d) {
    d = loadIntradayBars({ resolutions: [resolutionMinutes], ...(dataDir ? { dataDir } : {}) });
    cached.set(key, d);
  }
  return d;
}

/**
 * The surface model behind a chain source: itself, or the model a recorded-chain source falls back to
 * (`backtest --source real`: the intraday marks are modelled where no recorded quote exists).
 */
function modelledSourceOf(chains: ChainSource): ModelledChainSource | undefined {
  if (chains instanceof ModelledChainSource) return chains;
  if (chains instanceof SnapshotOrModelChainSource) return modelledSourceOf(chains.fallback);
  return undefined;
}

/**
 * What the backtest runner needs for the intraday phase and the TWAP: bars of `resolutionMinutes`
 * (default hourly) by date, and the modelled surfaces of `chains` (a recorded-chain source's fallback model; none for a purely real source: then every condor-day
 * reports 'neither' and says so). Recorded quotes mark where they exist through the run's chain source
 * itself (`ChainSource.quotesOn`, read by the runner's intraday phase).
 */
export function intradayBacktestInputs(
  chains: ChainSource,
  opts: {
    readonly dataDir?: string;
    readonly resolutionMinutes?: number;
    /** How old a recorded quote may be to mark a bar (IntradayBacktestInputs.realQuoteMaxAgeMinutes). */
    readonly realQuoteMaxAgeMinutes?: number;
  } = {},
): IntradayBacktestInputs {
  const res = opts.resolutionMinutes ?? BACKTEST_BAR_MINUTES;
  const data = intradayData(opts.dataDir, res);
  const series = data.series.find((s) => s.symbol === 'spx' && s.resolutionMinutes === res);
  const byDate = new Map<IsoDate, IntradayDay>((series?.days ?? []).map((d) => [d.date, d]));
  const dates = [...byDate.keys()].sort();
  const label = res === 60 ? 'hourly' : `${res}-minute`;
  const modelled = modelledSourceOf(chains);
  return {
    bars: (date) => byDate.get(date),
    surface: (asOf) => modelled?.surface(asOf),
    // marks read the short regime that priced the entries (a sensitivity run's scaled one, ADR 0010)
    ...(modelled ? { shortDated: modelled.shortDated } : {}),
    ...(opts.realQuoteMaxAgeMinutes !== undefined
      ? { realQuoteMaxAgeMinutes: opts.realQuoteMaxAgeMinutes }
      : {}),
    description:
      dates.length > 0
        ? `SPX ${label} bars, ${dates.length} days ${dates[0]}..${dates[dates.length - 1]} (data/intraday, index prices, no volume)`
        : `no SPX ${label} bars loaded`,
  };
}

const barVersions = new WeakMap<IntradayData, Map<number, string>>();

/**
 * A fingerprint of the SPX bars of one resolution a backtest reads (embedded plus the data dir's
 * imports): sha256 over every bar of every day. Enters the window backtest key and the sweep key, so a
 * result computed before bars were imported or corrected never answers after.
 */
export function intradayBarsVersion(dataDir?: string, resolutionMinutes = BACKTEST_BAR_MINUTES): string {
  const data = intradayData(dataDir, resolutionMinutes);
  let byRes = barVersions.get(data);
  if (!byRes) {
    byRes = new Map();
    barVersions.set(data, byRes);
  }
  let v = byRes.get(resolutionMinutes);
  if (!v) {
    const h = createHash('sha256');
    const series = data.series.find((s) => s.symbol === 'spx' && s.resolutionMinutes === resolutionMinutes);
    for (const d of series?.days ?? []) {
      h.update(d.date);
      for (const b of d.bars) h.update(`|${b.startEt},${b.open},${b.high},${b.low},${b.close}`);
      h.update('\n');
    }
    v = h.digest('hex').slice(0, 16);
    byRes.set(resolutionMinutes, v);
  }
  return v;
}
