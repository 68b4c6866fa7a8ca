import {
  type ChainSource,
  type EnginePorts,
  type IsoDate,
  type MarketSnapshot,
  ModelledChainSource,
  type ShortDatedParams,
  type SurfaceInputs,
} from '@vixshield/core';
import type { MarketData } from './market-data';
import { publishedReleaseCalendar } from './release-calendar';
import { fomcDecisionSessionsAt, oneDayVixAt, secondSessionVarianceRatioAt } from './short-dated';
import { loadVixOpens, ModelledVixOptionSource } from './vix-option-source';

/** Surface inputs of one day from its snapshot (closes known at 15:10 CT), or undefined without VIX or rates. */
export function surfaceInputsOf(s: MarketSnapshot | undefined): SurfaceInputs | undefined {
  if (!s || s.vix === null || s.rate === null || s.dividendYield === null) return undefined;
  return {
    spot: s.spx.close,
    r: s.rate.r,
    q: s.dividendYield.q,
    vix: s.vix,
    vix9d: s.vix9d ?? undefined,
    vix3m: s.vix3m ?? undefined,
    vix6m: s.vix6m ?? undefined,
    vix1y: s.vix1y ?? undefined,
    skew: s.skew ?? undefined,
  };
}

/**
 * surfaceInputsOf plus the day's one-day vol (real VIX1D, else the one-day variance model) and the
 * scheduled FOMC decisions among the day's session and the next two (the intraday variance of a quote
 * inside one).
 */
export function surfaceInputsAt(md: MarketData, d: IsoDate): SurfaceInputs | undefined {
  const base = surfaceInputsOf(md.byDate(d));
  if (!base) return undefined;
  const one = oneDayVixAt(md, d);
  if (!one) return base;
  const fomc = fomcDecisionSessionsAt(md, d);
  return {
    ...base,
    oneDayVix: one.value,
    oneDayVixSource: one.source,
    secondSessionVarianceRatio: secondSessionVarianceRatioAt(md, d),
    ...(fomc.length > 0 ? { fomcDecisionSessions: fomc } : {}),
  };
}

export interface PortsOptions {
  /** Session time, America/Chicago. */
  readonly quoteTimeCt?: string;
  /** Use these chains instead of the surface model (e.g. real quotes). */
  readonly chains?: ChainSource;
  /** Modelled chains kept in memory (default: the source's own, sized for one replay). */
  readonly chainCacheSize?: number;
  /** The short regime's parameters (default CALIBRATED_SHORT_DATED_PARAMS; a sensitivity run scales them). */
  readonly shortDated?: ShortDatedParams;
}

/**
 * The engine's ports over the embedded data: SPX chains modelled from the VIX-family surface (or a
 * given real source) and VIX options modelled from the VX curve. Each reads only the snapshot of the
 * day it is asked about, so nothing after that day can leak in.
 */
export function embeddedPorts(md: MarketData, opts: PortsOptions = {}): EnginePorts {
  const chains =
    opts.chains ??
    new ModelledChainSource({
      inputs: (asOf: IsoDate) => surfaceInputsAt(md, asOf),
      quoteTimeCt: opts.quoteTimeCt ?? '15:10',
      ...(opts.chainCacheSize !== undefined ? { cacheSize: opts.chainCacheSize } : {}),
      ...(opts.shortDated !== undefined ? { shortDated: opts.shortDated } : {}),
    });
  let opens: Map<IsoDate, number> | undefined;
  const vixOptions = new ModelledVixOptionSource(
    (d) => md.byDate(d),
    (d) => {
      opens ??= loadVixOpens();
      return opens.get(d);
    },
  );
  // The published calendars: scheduled releases only (an emergency FOMC move was not known the day before).
  return { chains, vixOptions, events: publishedReleaseCalendar(md.data) };
}
