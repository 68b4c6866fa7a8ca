import { emptySeries, requireFiniteValues, requirePeriod, type Series, type Values } from './series';

/**
 * Simple moving average: `out[i] = mean(values[i-period+1 .. i])`.
 * Warm-up: `null` for `i < period - 1`. Each window is summed directly (O(n * period)), so there is
 * no running-sum drift over long histories.
 */
export function sma(values: Values, period: number): Series {
  requirePeriod(period, 'period');
  requireFiniteValues(values, 'values');
  const n = values.length;
  const out = emptySeries(n);
  for (let i = period - 1; i < n; i++) {
    let sum = 0;
    for (let j = i - period + 1; j <= i; j++) sum += values[j] as number;
    out[i] = sum / period;
  }
  return out;
}

/** Smoothing factor of an EMA of the given period: `alpha = 2 / (period + 1)`. */
export function emaAlpha(period: number): number {
  return 2 / (period + 1);
}

/**
 * Writes an EMA of `values[from ..]` into `out` (internal; inputs already validated).
 * Seed: the SMA of the first `period` values, stored at `from + period - 1`; after that
 * `ema = x * alpha + prev * (1 - alpha)`.
 */
export function emaInto(values: Values, from: number, period: number, out: Series): void {
  const n = values.length;
  const seedAt = from + period - 1;
  if (seedAt >= n) return;
  let sum = 0;
  for (let j = from; j <= seedAt; j++) sum += values[j] as number;
  let prev = sum / period;
  out[seedAt] = prev;
  const alpha = emaAlpha(period);
  const keep = 1 - alpha;
  for (let i = seedAt + 1; i < n; i++) {
    prev = (values[i] as number) * alpha + prev * keep;
    out[i] = prev;
  }
}

/**
 * Exponential moving average with `alpha = 2 / (period + 1)`, **seeded by the SMA** of the first
 * `period` values (the classic TA-Lib/Appel convention). Warm-up: `null` for `i < period - 1`;
 * `out[period - 1]` equals `sma(values, period)[period - 1]`.
 *
 * Note: some libraries (e.g. `trading-signals`) seed with the first value instead; the two agree
 * once the seed has decayed (the difference shrinks by `(1 - alpha)` per bar).
 */
export function ema(values: Values, period: number): Series {
  requirePeriod(period, 'period');
  requireFiniteValues(values, 'values');
  const out = emptySeries(values.length);
  emaInto(values, 0, period, out);
  return out;
}
