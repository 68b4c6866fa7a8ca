import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  AS_SENTENCE,
  CBOE_STRATEGIES,
  type CboeDay,
  type CboeReplicationResult,
  type CboeSingleOptionId,
  type CndrReplicationResult,
  compareIndexSeries,
  type FillModel,
  type IndexComparison,
  InvalidInputError,
  type IsoDate,
  isCboeStrategy,
  type LongTenorParams,
  ModelledChainSource,
  type MonthlyPoint,
  monthlySeries,
  runCboeReplication,
  runCndrReplication,
  type SurfaceParams,
  spxMonthlyExpiry,
} from '@vixshield/core';
import type { MarketData } from '@vixshield/data';
import { surfaceInputsOf } from '@vixshield/data';
import { fillModel } from './backtest';
import { marketData, requireDataDate } from './market';

export interface CboeBacktestOptions {
  strategy: string;
  from?: string;
  to?: string;
  /** Fill of the option sale: mid (default, the index convention) or any --fill model. */
  fill?: string;
  json?: string;
  dataDir?: string;
  /** Stand-in for the index level at the roll (default 'open-close-mean'); for sensitivity studies. */
  reference?: CboeReferenceLevel;
  /** Surface variant (default: the calibrated one); e.g. { longTenor: null } for the surface before issue 14. */
  model?: { readonly params?: SurfaceParams; readonly longTenor?: LongTenorParams | null };
}

/** Daily-data stand-ins for the S&P 500 level around 11:00-12:00 ET on the roll day. */
export type CboeReferenceLevel = 'open' | 'close' | 'open-close-mean';

export interface CboeBacktestRun {
  readonly result: CboeReplicationResult | CndrReplicationResult;
  /** Month-end levels and calendar-month returns of the replica (the series a published index is checked on). */
  readonly monthly: readonly MonthlyPoint[];
  readonly fill: FillModel;
  /** Against the published BXM (cboe-bxm only; no PUT or CNDR history is embedded). */
  readonly comparison: IndexComparison | null;
  readonly baseLevelSource: string;
  readonly elapsedMs: number;
}

/** Default first day of the Cboe replications: the modelled chains need VIX3M (from 2009-09) for the term structure. */
export const DEFAULT_CBOE_FROM = '2010-01-04';

/** CT time that stands in for the 11:30-12:00 ET VWAP window (its middle, 11:45 ET). */
export const CBOE_ROLL_QUOTE_CT = '10:45';

/** CT time of CNDR's roll quotes: the last quotes before 11:00 ET (strikes by delta, premiums at the mid). */
export const CNDR_ROLL_QUOTE_CT = '10:00';

/** Level of the CNDR replica on --from (no CNDR history is embedded to rebase to). */
export const CNDR_BASE_LEVEL = 100;

/**
 * Daily inputs of the replication from the snapshots (days without VIX, rate or dividend yield are
 * left out: no modelled chain exists for them).
 */
export function cboeDays(md: MarketData, from: IsoDate, to: IsoDate): CboeDay[] {
  return md.snapshots
    .filter((s) => s.date >= from && s.date <= to && surfaceInputsOf(s) !== undefined)
    .map((s) => ({
      date: s.date,
      open: s.spx.closeOnly ? null : s.spx.open,
      close: s.spx.close,
      r: s.rate!.r,
      q: s.dividendYield!.q,
    }));
}

/**
 * The two chain ports of a replication over the embedded data: marks at the 15:10 CT modelled chain;
 * the roll-day sale at 10:45 CT (11:45 ET, the middle of Cboe's VWAP window) with the underlying at
 * the mean of the day's open and close by default, a daily-data stand-in for the index level around
 * 11:00-12:00 ET (the close when the day has no open).
 * Both serve the AM-settled SPX monthly on third Fridays.
 */
export function cboeChainPorts(
  md: MarketData,
  reference: CboeReferenceLevel = 'open-close-mean',
  model: { readonly params?: SurfaceParams; readonly longTenor?: LongTenorParams | null } = {},
  rollQuoteCt: string = CBOE_ROLL_QUOTE_CT,
): {
  rollChains: ModelledChainSource;
  markChains: ModelledChainSource;
} {
  const markChains = new ModelledChainSource({
    inputs: (d: IsoDate) => surfaceInputsOf(md.byDate(d)),
    quoteTimeCt: '15:10',
    sameDaySeries: 'SPX',
    ...model,
  });
  const rollChains = new ModelledChainSource({
    inputs: (d: IsoDate) => {
      const s = md.byDate(d);
      const inp = surfaceInputsOf(s);
      if (!s || !inp) return undefined;
      const open = s.spx.closeOnly ? null : s.spx.open;
      if (open === null || reference === 'close') return inp;
      return { ...inp, spot: reference === 'open' ? open : (open + s.spx.close) / 2 };
    },
    quoteTimeCt: rollQuoteCt,
    sameDaySeries: 'SPX',
    ...model,
  });
  return { rollChains, markChains };
}

/** The last roll day (SPX monthly expiry) on or before `d`: the replication starts there to be in phase. */
export function previousCboeRoll(d: IsoDate): IsoDate {
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7));
  const here = spxMonthlyExpiry(y, m);
  if (here <= d) return here;
  return m === 1 ? spxMonthlyExpiry(y - 1, 12) : spxMonthlyExpiry(y, m - 1);
}

export function runCboeBacktest(opts: CboeBacktestOptions): CboeBacktestRun {
  const strategy = opts.strategy;
  if (!isCboeStrategy(strategy))
    throw new InvalidInputError(
      `{strategy} '${strategy}' is not one of vixshield, ${CBOE_STRATEGIES.join(', ')}`,
      'strategy',
      `use one of vixshield, ${CBOE_STRATEGIES.join(', ')}`,
      AS_SENTENCE,
    );
  const md = marketData(opts.dataDir);
  const from = requireDataDate(md, opts.from ?? DEFAULT_CBOE_FROM, 'from');
  const to = requireDataDate(md, opts.to, 'to');
  if (to < from)
    throw new InvalidInputError(`{to} ${to} is before {from} ${from}`, 'to', 'swap from and to', AS_SENTENCE);
  const fill = fillModel(opts.fill ?? 'mid');
  const base = [...md.data.bxm].reverse().find((x) => x.date <= from);
  if (!base)
    throw new InvalidInputError(
      `{from} ${from} is before the first BXM level in the data`,
      'from',
      'start on or after the first BXM level',
      AS_SENTENCE,
    );
  const t0 = performance.now();
  const days = cboeDays(md, previousCboeRoll(from), to);
  let result: CboeBacktestRun['result'];
  let baseLevelSource: string;
  if (strategy === 'cboe-cndr') {
    const { rollChains, markChains } = cboeChainPorts(md, opts.reference, opts.model, CNDR_ROLL_QUOTE_CT);
    result = runCndrReplication(days, { rollChains, markChains, fill, baseLevel: CNDR_BASE_LEVEL, from });
    baseLevelSource = `${CNDR_BASE_LEVEL} on ${from}`;
  } else {
    const { rollChains, markChains } = cboeChainPorts(md, opts.reference, opts.model);
    result = runCboeReplication(days, {
      strategy: strategy as CboeSingleOptionId,
      rollChains,
      markChains,
      fill,
      baseLevel: base.value,
      from,
    });
    baseLevelSource = `BXM ${base.value} on ${base.date}`;
  }
  const comparison =
    strategy === 'cboe-bxm' && result.levels.length > 1
      ? compareIndexSeries(
          result.levels,
          md.data.bxm.map((x) => ({ date: x.date, level: x.value })),
        )
      : null;
  const run: CboeBacktestRun = {
    result,
    fill,
    comparison,
    monthly: monthlySeries(result.levels),
    baseLevelSource,
    elapsedMs: performance.now() - t0,
  };
  if (opts.json) writeJsonAtomic(resolve(opts.json), run);
  return run;
}

/** Writes JSON through a temporary file and a rename, so a reader never sees half a report. */
function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, path);
}
