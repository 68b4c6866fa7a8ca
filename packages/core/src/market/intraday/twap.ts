import { InvalidInputError } from '../../domain/index';
import { barEndEt, type IntradayBar, type IntradayDay } from './bars';

/*
 * Time-weighted average price (TWAP) from intraday bars. It is NOT a VWAP: index bars carry no volume,
 * so the methodology's "session VWAP" (rollback rule, M§2 / R22) is approximated by the average of
 * the price over time, and every result that uses it must say "TWAP".
 */

/** The price a bar stands for over its duration. */
export type TwapBarPrice = 'ohlc4' | 'hlc3' | 'close';

/**
 * Default bar price: (open + high + low + close) / 4. A bar's time-average lies between its low and
 * high; for a driftless path the open and close are its expected endpoints and the extremes widen the
 * sample, so the OHLC mean is the usual estimator from bars. On 1-minute bars the choice hardly
 * matters (the tests measure the gap between 1-minute and hourly TWAPs on the embedded days).
 */
export const DEFAULT_TWAP_BAR_PRICE: TwapBarPrice = 'ohlc4';

export interface TwapResult {
  /** Time-weighted average price, index points. */
  readonly twap: number;
  /** Start of the first bar used and end of the last one (minutes ET). */
  readonly fromEt: number;
  readonly toEt: number;
  readonly barsUsed: number;
  /** Minutes the used bars cover (a bar cut at the close counts its shorter length). */
  readonly minutesCovered: number;
  /** Grid bars in [fromEt, atEt) that are missing from the data (vendor gaps). */
  readonly missingBars: number;
  readonly price: TwapBarPrice;
}

export function barPrice(bar: IntradayBar, price: TwapBarPrice): number {
  switch (price) {
    case 'close':
      return bar.close;
    case 'hlc3':
      return (bar.high + bar.low + bar.close) / 3;
    default:
      return (bar.open + bar.high + bar.low + bar.close) / 4;
  }
}

/**
 * TWAP of `day` at instant `atEt` (minutes since midnight ET) over the bars that have closed by then
 * (bar end <= atEt) and start at or after `fromEt` (default: the window open, i.e. the session TWAP).
 * Each bar weighs its duration (the hourly 15:30 bar is a half hour, so it weighs half). A bar still
 * open at `atEt` is never used. Returns null when no bar has closed in [fromEt, atEt].
 */
export function twapAt(
  day: IntradayDay,
  atEt: number,
  opts: { readonly fromEt?: number; readonly price?: TwapBarPrice } = {},
): TwapResult | null {
  if (!Number.isFinite(atEt)) {
    throw new InvalidInputError(`atEt: ${String(atEt)} is not a time`, 'atEt', 'minutes since midnight ET');
  }
  const fromEt = opts.fromEt ?? day.windowOpenEt;
  const price = opts.price ?? DEFAULT_TWAP_BAR_PRICE;
  let sum = 0;
  let minutes = 0;
  let used = 0;
  let first = Number.NaN;
  let last = Number.NaN;
  for (const bar of day.bars) {
    if (bar.startEt < fromEt) continue;
    const end = barEndEt(day, bar);
    if (end > atEt) break;
    const w = end - bar.startEt;
    sum += w * barPrice(bar, price);
    minutes += w;
    used++;
    if (used === 1) first = bar.startEt;
    last = end;
  }
  if (used === 0 || minutes <= 0) return null;
  let missing = 0;
  for (const t of day.missingStartsEt) {
    if (t >= fromEt && Math.min(t + day.resolutionMinutes, day.windowCloseEt) <= atEt) missing++;
  }
  return {
    twap: sum / minutes,
    fromEt: first,
    toEt: last,
    barsUsed: used,
    minutesCovered: minutes,
    missingBars: missing,
    price,
  };
}
