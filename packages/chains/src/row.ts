import type { IsoDate, OptionRight, OptionRoot, QuoteFlags, SettlementStyle } from '@vixshield/core';

/**
 * One option quote, normalised from any vendor layout. Prices and the underlying in SPX index
 * points; NaN means "not in the file" (never 0, which is a real quote). One row per
 * (quoteDate, root, expiry, strike, right): that is the store's key too.
 */
export interface ChainQuoteRow {
  /** Exchange trading date of the quote (America/New_York). */
  readonly quoteDate: IsoDate;
  /**
   * Quote time, New York wall clock `HH:MM`, or null when the vendor gives an end-of-day snapshot
   * without a time. Null is read as the session close (16:00, or the early close): see
   * `quoteInstantUtcMs`. HistoricalOptionData is null (its EOD snapshot is taken close to 16:00 ET);
   * Cboe DataShop's `_1545` fields are '15:45'.
   */
  readonly quoteTimeEt: string | null;
  /** Always the SPX index (the files' `SPXW` / `^SPX` underlying names are normalised). */
  readonly underlying: 'SPX';
  readonly root: OptionRoot;
  readonly expiry: IsoDate;
  /** From the root (SPX = AM-settled monthly, SPXW = PM-settled), checked against the calendar. */
  readonly settlement: SettlementStyle;
  readonly strike: number;
  readonly right: OptionRight;
  readonly bid: number;
  readonly ask: number;
  readonly last: number;
  /** Contracts traded that day; NaN when absent. */
  readonly volume: number;
  readonly openInterest: number;
  /** Underlying index level at the quote instant. */
  readonly underlyingPrice: number;
  /** Vendor implied vol (decimal); NaN when absent or a placeholder (see ivPlaceholder). */
  readonly vendorIv: number;
  readonly vendorDelta: number;
  readonly vendorGamma: number;
  /** Vendor theta converted to per calendar year (points per year). */
  readonly vendorTheta: number;
  /** Vendor vega per 1.00 of vol. */
  readonly vendorVega: number;
  /**
   * True when the vendor's IV is a placeholder: HistoricalOptionData writes delta = +/-1, gamma = 0,
   * vega = 0 and a repeated IV for deep-ITM options. The IV is then dropped (vendorIv = NaN).
   */
  readonly ivPlaceholder: boolean;
  /** quoteFlags(bid, ask). */
  readonly flags: QuoteFlags;
}

/** Key of a row in a file and in the store. */
export function rowKey(r: Pick<ChainQuoteRow, 'quoteDate' | 'root' | 'expiry' | 'strike' | 'right'>): string {
  return `${r.quoteDate}|${r.root}|${r.expiry}|${r.strike}|${r.right}`;
}
