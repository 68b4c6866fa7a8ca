import {
  type BacktestSession,
  type ChainSource,
  type IsoDate,
  tradingDaysBetween,
  zonedTimeToUtcMs,
} from '../../packages/core/src/index';
import { syntheticChainSource } from './chains';
import { flatVixOptions } from './vix-options';

/*
 * The synthetic June 2024 month the backtest runner tests replay: trading days 2024-06-03 .. 06-28, a
 * deterministic SPX path rising 8 points a session with one drop on 2024-06-14 (the tenth session) of
 * `dropPoints`, synthetic 14%-ATM chains with a linear put skew, flat VIX options, and 15:10 CT
 * sessions with VIX 17.5 on the drop day and 12.5 elsewhere. Each test picks the drop that puts its
 * threatened condor where it needs it.
 */
export interface SyntheticJune2024 {
  readonly days: readonly IsoDate[];
  readonly spxOf: ReadonlyMap<IsoDate, number>;
  /** Modelled-looking PM chains; `dropQuoteOn` removes every put ask on that day. */
  readonly chains: (dropQuoteOn?: IsoDate) => ChainSource;
  readonly vixOptions: ReturnType<typeof flatVixOptions>;
  readonly sessions: BacktestSession[];
}

export function syntheticJune2024(opts: { dropPoints: number }): SyntheticJune2024 {
  const days = tradingDaysBetween('2024-06-03' as IsoDate, '2024-06-28' as IsoDate);
  const spxOf = new Map(days.map((d, i) => [d, 5000 + 8 * i - (i === 9 ? opts.dropPoints : 0)]));
  const chains = (dropQuoteOn?: IsoDate): ChainSource =>
    syntheticChainSource({
      spotOf: (asOf) => spxOf.get(asOf)!,
      atmVol: 0.14,
      ...(dropQuoteOn ? { dropPutAsksOn: dropQuoteOn } : {}),
    });
  const vixOptions = flatVixOptions({
    expirations: () =>
      [
        '2024-06-18',
        '2024-07-17',
        '2024-08-21',
        '2024-09-18',
        '2024-10-16',
        '2024-11-20',
        '2024-12-18',
        '2025-01-22',
        '2025-02-19',
      ] as IsoDate[],
    strike: 14,
    bid: 1.4,
    ask: 1.5,
    settlement: 13,
  });
  const sessions: BacktestSession[] = days.map((d, i) => ({
    date: d,
    instantUtcMs: zonedTimeToUtcMs(d, '15:10', 'America/Chicago'),
    spxOpen: spxOf.get(d)! - 5,
    market: {
      spx: spxOf.get(d)!,
      vwapApprox: spxOf.get(d)! + 3,
      vix: i === 9 ? 17.5 : 12.5,
      vix9d: null,
      hv20: null,
      vix5dAverage: null,
      vixZScore: null,
      events: { fomc: d === '2024-06-12', cpi: false, ppi: null, payrolls: null },
      r: 0.05,
      q: 0.013,
    },
  }));
  return { days, spxOf, chains, vixOptions, sessions };
}
