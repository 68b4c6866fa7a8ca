import { InvalidInputError } from '../../domain/index';

/** A daily OHLC bar (open is not needed here). Prices in index points. */
export interface DailyBar {
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/**
 * **APPROXIMATE** session VWAP from a daily bar: the typical price `(high + low + close) / 3`.
 *
 * This is NOT a volume-weighted average price. With daily data only there is no intraday volume
 * profile, so the methodology (Temporal Theta Martingale rollback, "SPX below session VWAP") uses
 * the typical price as a stand-in; every report that uses it must say so. Requires
 * `0 < low <= close <= high`, all finite.
 */
export function approxSessionVwapFromDailyBar(bar: DailyBar, field = 'bar'): number {
  const { high, low, close } = bar;
  for (const [name, v] of [
    ['high', high],
    ['low', low],
    ['close', close],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new InvalidInputError(
        `${field}.${name} must be a positive finite number, got ${String(v)}`,
        `${field}.${name}`,
        'pass the day’s high, low and close in index points',
      );
    }
  }
  if (!(low <= close && close <= high)) {
    throw new InvalidInputError(
      `${field}: need low <= close <= high, got low ${low}, close ${close}, high ${high}`,
      `${field}.close`,
      'check the bar: the close must lie within the day’s range',
    );
  }
  return (high + low + close) / 3;
}

/** `approxSessionVwapFromDailyBar` for each bar (no warm-up). See the warning there: approximate. */
export function approxSessionVwapSeries(bars: readonly DailyBar[]): number[] {
  const out = new Array<number>(bars.length);
  for (let i = 0; i < bars.length; i++) {
    out[i] = approxSessionVwapFromDailyBar(bars[i] as DailyBar, `bars[${i}]`);
  }
  return out;
}
