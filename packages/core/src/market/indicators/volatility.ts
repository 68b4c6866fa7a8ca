import { InvalidInputError } from '../../domain/index';
import {
  emptySeries,
  requireFiniteValues,
  requirePeriod,
  requirePositiveValues,
  type Series,
  type Values,
} from './series';

/** Trading days per year used to annualise daily statistics (the VIX convention). */
export const TRADING_DAYS_PER_YEAR = 252;

/** Default look-back of historical volatility (HV20). */
export const HV_PERIOD = 20;

/**
 * Close-to-close historical volatility, **in vol points** like the VIX (15.3 means 15.3% a year):
 * `100 * sampleStdev(last `period` daily log returns) * sqrt(periodsPerYear)`, sample stdev with
 * `n - 1` in the denominator, returns `ln(c[i] / c[i-1])` not demeaned beyond the window mean.
 *
 * Warm-up: `null` for `i < period` (needs `period` returns, i.e. `period + 1` closes).
 * Closes must be finite and > 0. `period` >= 2.
 */
export function historicalVolatility(
  closes: Values,
  period: number = HV_PERIOD,
  periodsPerYear: number = TRADING_DAYS_PER_YEAR,
): Series {
  requirePeriod(period, 'period', 2);
  if (!Number.isFinite(periodsPerYear) || periodsPerYear <= 0) {
    throw new InvalidInputError(
      `periodsPerYear must be a positive finite number, got ${String(periodsPerYear)}`,
      'periodsPerYear',
      'use 252 for daily bars',
    );
  }
  requirePositiveValues(closes, 'closes');
  const n = closes.length;
  const out = emptySeries(n);
  if (n <= period) return out;
  // r[i] = ln(c[i] / c[i-1]) for i >= 1 (r[0] unused), computed once.
  const r = new Float64Array(n);
  for (let i = 1; i < n; i++) r[i] = Math.log((closes[i] as number) / (closes[i - 1] as number));
  const scale = 100 * Math.sqrt(periodsPerYear);
  for (let i = period; i < n; i++) {
    const from = i - period + 1;
    let sum = 0;
    for (let j = from; j <= i; j++) sum += r[j] as number;
    const mean = sum / period;
    let ss = 0;
    for (let j = from; j <= i; j++) {
      const d = (r[j] as number) - mean;
      ss += d * d;
    }
    out[i] = scale * Math.sqrt(ss / (period - 1));
  }
  return out;
}

/** HV20: `historicalVolatility(closes, 20, 252)`, in vol points. */
export function hv20(closes: Values): Series {
  return historicalVolatility(closes, HV_PERIOD, TRADING_DAYS_PER_YEAR);
}

/** Default look-back of the VIX z-score. */
export const ZSCORE_LOOKBACK = 20;

export interface ZScoreOptions {
  /** Standard deviation of the window: `sample` (n - 1, default) or `population` (n). */
  readonly stdev?: 'sample' | 'population';
}

/**
 * Rolling z-score (used on VIX closes: "IV extended by 2.5 standard deviations"):
 * `z[i] = (x[i] - mean(w)) / stdev(w)` where the window `w = x[i-lookback+1 .. i]` **includes** the
 * current value. Sample stdev by default.
 *
 * Warm-up: `null` for `i < lookback - 1`. A window without variance (stdev within rounding of 0,
 * i.e. <= 1e-12 * max(1, |mean|)) gives 0, not NaN or +/-Infinity. `lookback` >= 2.
 */
export function zScore(
  values: Values,
  lookback: number = ZSCORE_LOOKBACK,
  options: ZScoreOptions = {},
): Series {
  requirePeriod(lookback, 'lookback', 2);
  requireFiniteValues(values, 'values');
  const divisor = options.stdev === 'population' ? lookback : lookback - 1;
  const n = values.length;
  const out = emptySeries(n);
  for (let i = lookback - 1; i < n; i++) {
    const from = i - lookback + 1;
    let sum = 0;
    for (let j = from; j <= i; j++) sum += values[j] as number;
    const mean = sum / lookback;
    let ss = 0;
    for (let j = from; j <= i; j++) {
      const d = (values[j] as number) - mean;
      ss += d * d;
    }
    const sd = Math.sqrt(ss / divisor);
    out[i] = sd <= 1e-12 * Math.max(1, Math.abs(mean)) ? 0 : ((values[i] as number) - mean) / sd;
  }
  return out;
}
