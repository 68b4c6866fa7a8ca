import { InvalidInputError } from '../../domain/index';
import { emaAlpha } from './moving-averages';
import { emptySeries, requireFiniteValues, requirePeriod, type Series, type Values } from './series';

/** Default RSI period (Wilder). */
export const RSI_PERIOD = 14;

/**
 * Relative Strength Index with Wilder's smoothing.
 *
 * - change `d[i] = values[i] - values[i-1]`; gain = max(d, 0), loss = max(-d, 0).
 * - Seed: the simple means of the first `period` gains and losses, at index `period`.
 * - Then `avg = avg + (x - avg) / period` (i.e. `(avg * (period - 1) + x) / period`).
 * - `RSI = 100 - 100 / (1 + avgGain / avgLoss)`; when `avgLoss == 0` it is 100, and when both
 *   averages are 0 (a flat window) it is 50.
 *
 * Warm-up: `null` for `i < period` (the first value needs `period` changes, i.e. `period + 1`
 * values). Always within [0, 100].
 */
export function rsi(values: Values, period: number = RSI_PERIOD): Series {
  requirePeriod(period, 'period');
  requireFiniteValues(values, 'values');
  const n = values.length;
  const out = emptySeries(n);
  if (n <= period) return out;
  let gainSum = 0;
  let lossSum = 0;
  for (let i = 1; i <= period; i++) {
    const d = (values[i] as number) - (values[i - 1] as number);
    if (d > 0) gainSum += d;
    else lossSum -= d;
  }
  let avgGain = gainSum / period;
  let avgLoss = lossSum / period;
  out[period] = rsiOf(avgGain, avgLoss);
  const k = 1 / period;
  for (let i = period + 1; i < n; i++) {
    const d = (values[i] as number) - (values[i - 1] as number);
    const gain = Math.max(d, 0);
    const loss = Math.max(-d, 0);
    avgGain = (gain - avgGain) * k + avgGain;
    avgLoss = (loss - avgLoss) * k + avgLoss;
    out[i] = rsiOf(avgGain, avgLoss);
  }
  return out;
}

function rsiOf(avgGain: number, avgLoss: number): number {
  if (avgLoss === 0) return avgGain === 0 ? 50 : 100;
  // avgGain / avgLoss >= 0, so 100 / (rs + 1) lies in (0, 100] and the result in [0, 100).
  return 100 - 100 / (avgGain / avgLoss + 1);
}

/** Periods of a MACD. Defaults 12 / 26 / 9 (Appel). */
export interface MacdPeriods {
  readonly fast: number;
  readonly slow: number;
  readonly signal: number;
}

export const MACD_DEFAULT_PERIODS: Readonly<MacdPeriods> = { fast: 12, slow: 26, signal: 9 };

/** Three aligned series: MACD line, signal line and histogram (MACD - signal). */
export interface MacdResult {
  readonly macd: Series;
  readonly signal: Series;
  readonly histogram: Series;
}

/**
 * MACD: `macd = EMA(fast) - EMA(slow)`, `signal = EMA(signal) of the MACD line`,
 * `histogram = macd - signal`. Every EMA uses `alpha = 2 / (n + 1)` and is seeded by the SMA of its
 * first `n` inputs (see `ema`); the signal EMA is seeded by the SMA of the first `signal` MACD values.
 *
 * Warm-up (12/26/9): `macd` from index `slow - 1` = 25; `signal` and `histogram` from index
 * `slow + signal - 2` = 33.
 */
export function macd(values: Values, periods: Partial<MacdPeriods> = {}): MacdResult {
  const { fast, slow, signal } = { ...MACD_DEFAULT_PERIODS, ...periods };
  requirePeriod(fast, 'fast');
  requirePeriod(slow, 'slow');
  requirePeriod(signal, 'signal');
  if (fast >= slow) {
    throw new InvalidInputError(
      `fast period (${fast}) must be shorter than slow period (${slow})`,
      'fast',
      'e.g. fast 12, slow 26',
    );
  }
  requireFiniteValues(values, 'values');
  const n = values.length;
  const macdLine = emptySeries(n);
  const signalLine = emptySeries(n);
  const histogram = emptySeries(n);
  // One pass, no intermediate arrays. Each EMA: sum its first `p` inputs, seed = sum / p at the
  // p-th input, then x * alpha + prev * (1 - alpha) -- the same operations as `ema`, so the MACD
  // line equals ema(values, fast) - ema(values, slow) exactly.
  const aF = emaAlpha(fast);
  const aS = emaAlpha(slow);
  const aG = emaAlpha(signal);
  let fastVal = 0;
  let slowVal = 0;
  let sigVal = 0;
  const sigSeedAt = slow + signal - 2;
  for (let i = 0; i < n; i++) {
    const x = values[i] as number;
    if (i < fast) {
      fastVal += x;
      if (i === fast - 1) fastVal /= fast;
    } else fastVal = x * aF + fastVal * (1 - aF);
    if (i < slow) {
      slowVal += x;
      if (i === slow - 1) slowVal /= slow;
    } else slowVal = x * aS + slowVal * (1 - aS);
    if (i < slow - 1) continue;
    const m = fastVal - slowVal;
    macdLine[i] = m;
    if (i < sigSeedAt) {
      sigVal += m;
      continue;
    }
    if (i === sigSeedAt) sigVal = (sigVal + m) / signal;
    else sigVal = m * aG + sigVal * (1 - aG);
    signalLine[i] = sigVal;
    histogram[i] = m - sigVal;
  }
  return { macd: macdLine, signal: signalLine, histogram };
}
