import type { SettlementStyle } from '../calendar/index';
import type { IsoDate } from '../domain/index';
import type { OptionRight } from '../pricing/greeks';

/*
 * Option chains: the one shape every source produces (real imports and the surface model), so the
 * engine never knows which one it reads. One chain = one quote instant and one expiry, stored as
 * parallel arrays over ascending strikes (structure of arrays: strike searches stay in cache).
 */

export type OptionRoot = 'SPX' | 'SPXW';

/** Where a price came from. Reports print this, so a modelled number is never mistaken for a quote. */
export type PriceSource =
  | { kind: 'real'; vendor: string; file?: string }
  | {
      kind: 'modelled';
      model: string;
      version: string;
      inputs: Readonly<Record<string, number | string | null>>;
    };

/** Quote-quality flags, a bitmask per option. A flagged quote is never used as a fill silently. */
export const QuoteFlag = {
  none: 0,
  /** bid is missing (NaN in the file or absent). */
  missingBid: 1,
  /** ask is missing. */
  missingAsk: 2,
  /** bid is 0: nobody is paying for it. */
  zeroBid: 4,
  /** ask is 0 (with bid 0 too this is the vendor's "no market"). */
  zeroAsk: 8,
  /** bid > ask. */
  crossed: 16,
} as const;
export type QuoteFlags = number;

/** Flags for one bid/ask pair (NaN = missing). */
export function quoteFlags(bid: number, ask: number): QuoteFlags {
  let f = 0;
  if (Number.isNaN(bid)) f |= QuoteFlag.missingBid;
  else if (bid === 0) f |= QuoteFlag.zeroBid;
  if (Number.isNaN(ask)) f |= QuoteFlag.missingAsk;
  else if (ask === 0) f |= QuoteFlag.zeroAsk;
  if (bid > ask) f |= QuoteFlag.crossed;
  return f;
}

/** True when a two-sided market exists: both sides present, ask > 0, not crossed. */
export function isTradable(flags: QuoteFlags): boolean {
  return (
    (flags & (QuoteFlag.missingBid | QuoteFlag.missingAsk | QuoteFlag.zeroAsk | QuoteFlag.crossed)) === 0
  );
}

export interface OptionChain {
  /** Trading date of the quotes (exchange calendar). */
  asOf: IsoDate;
  /** Quote instant (UTC epoch ms): what was known then is all this chain contains. */
  quoteTimeUtcMs: number;
  expiry: IsoDate;
  root: OptionRoot;
  settlement: SettlementStyle;
  /** Underlying index level at the quote instant. */
  underlying: number;
  /** Ascending, unique strikes (index points). */
  strikes: Float64Array;
  /** Bid/ask per strike in index points; NaN where missing. */
  callBid: Float64Array;
  callAsk: Float64Array;
  putBid: Float64Array;
  putAsk: Float64Array;
  callFlags: Uint8Array;
  putFlags: Uint8Array;
  /** Implied vol per strike when known (vendor or model); NaN where unknown. */
  callIv: Float64Array;
  putIv: Float64Array;
  source: PriceSource;
}

/**
 * The port every chain source implements (real quotes from a store, or the surface model). Synchronous
 * by design: the pure engine calls it inside step(); adapters that read a database preload the dates
 * they serve.
 */
export interface ChainSource {
  readonly pricesSource: 'real' | 'modelled';
  /** Expiries with a chain at `asOf`, ascending. */
  expirations(asOf: IsoDate): readonly IsoDate[];
  /** The chain for one expiry as known at `asOf` (its quote instant), or undefined when there is none. */
  chain(asOf: IsoDate, expiry: IsoDate): OptionChain | undefined;
  /**
   * Every REAL chain of `expiry` quoted during the trading day `asOf` (recorded snapshots at any
   * instant of the day), ascending by quote instant: what the backtest's intraday marks may read at a
   * bar close (those stamped at or a few minutes before it, never after). Optional: a source with one
   * quote instant per day leaves it out and `chain()` answers for that instant; a modelled source has
   * no quotes to give.
   */
  quotesOn?(asOf: IsoDate, expiry: IsoDate): readonly OptionChain[];
}

/** Index of the strike equal to `strike`, or -1. Binary search over the ascending strikes. */
export function strikeIndex(chain: OptionChain, strike: number): number {
  const s = chain.strikes;
  let lo = 0;
  let hi = s.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = s[mid]!;
    if (v === strike) return mid;
    if (v < strike) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Mid price of one option, or NaN when its market is not two-sided. */
export function midPrice(chain: OptionChain, index: number, right: OptionRight): number {
  const flags = right === 'call' ? chain.callFlags[index]! : chain.putFlags[index]!;
  if (!isTradable(flags)) return Number.NaN;
  const bid = right === 'call' ? chain.callBid[index]! : chain.putBid[index]!;
  const ask = right === 'call' ? chain.callAsk[index]! : chain.putAsk[index]!;
  return 0.5 * (bid + ask);
}
