import { InvalidInputError } from '../domain/index';

/**
 * Equity-curve primitives. A "value series" here is V_0 = initial equity followed by one value per
 * trading day; daily returns are r_i = V_i / V_(i-1) - 1 (simple returns), so prod(1 + r_i) - 1 is
 * the total return.
 */

/** Simple returns of a value series: n values give n - 1 returns. Throws on a non-positive base. */
export function simpleReturns(values: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < values.length; i++) {
    const prev = values[i - 1] as number;
    const cur = values[i] as number;
    if (!Number.isFinite(prev) || !Number.isFinite(cur)) {
      throw new InvalidInputError(`value ${i - 1} or ${i} is not finite`, 'equity', 'check the equity curve');
    }
    if (!(prev > 0)) {
      throw new InvalidInputError(
        `value ${i - 1} is ${prev}: returns are undefined after equity reaches 0`,
        'equity',
        'an account at or below zero equity has no return; stop the curve at ruin',
      );
    }
    out.push(cur / prev - 1);
  }
  return out;
}

export interface DrawdownStats {
  /** Largest peak-to-trough fall as a fraction of the peak, >= 0 (0 for a curve that never falls). */
  readonly depth: number;
  /** Index (into the value series) of the peak before the deepest trough, of the trough, and of recovery. */
  readonly peakIndex: number;
  readonly troughIndex: number;
  /** First index after the trough where the value is back at or above the peak; null if never. */
  readonly recoveryIndex: number | null;
  /** Steps from the peak to recovery, or to the last value if not recovered; 0 when depth is 0. */
  readonly duration: number;
  readonly recovered: boolean;
}

/**
 * Depths within this much of each other (as fractions of the peak) are a tie. 1 - V/peak carries a
 * rounding error of about 1e-16, so without it the choice between two equally deep episodes (and with
 * it the reported peak, trough and duration) could flip when the whole curve is scaled by a constant.
 */
const DEPTH_TIE = 1e-12;

/**
 * Maximum drawdown of a value series: max over t of 1 - V_t / max_(s<=t) V_s (exact). Its episode is
 * the earliest trough whose depth is within DEPTH_TIE of that maximum (ties keep the first); the peak
 * is the last time the running high was reached before it. In [0, 1] while values stay positive. Null
 * for an empty series.
 */
export function maxDrawdown(values: readonly number[]): DrawdownStats | null {
  const n = values.length;
  if (n === 0) return null;
  // First the depth itself, exactly: the largest fall from the running high.
  let peak = values[0] as number;
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    // >= : a return to the old high ends that episode, so a later fall is measured from here.
    if (v >= peak) peak = v;
    const dd = peak > 0 ? 1 - v / peak : 0;
    if (dd > depth) depth = dd;
  }
  if (depth === 0) {
    return { depth: 0, peakIndex: 0, troughIndex: 0, recoveryIndex: null, duration: 0, recovered: true };
  }
  // Then the episode: the earliest trough within DEPTH_TIE of that depth, and its peak.
  let best = { depth, peakIndex: 0, troughIndex: 0 };
  peak = values[0] as number;
  let peakIdx = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v >= peak) {
      peak = v;
      peakIdx = i;
    }
    const dd = peak > 0 ? 1 - v / peak : 0;
    if (dd > 0 && dd >= depth - DEPTH_TIE) {
      best = { depth, peakIndex: peakIdx, troughIndex: i };
      break;
    }
  }
  const peakValue = values[best.peakIndex] as number;
  let recoveryIndex: number | null = null;
  for (let i = best.troughIndex + 1; i < n; i++) {
    if ((values[i] as number) >= peakValue) {
      recoveryIndex = i;
      break;
    }
  }
  return {
    ...best,
    recoveryIndex,
    duration: (recoveryIndex ?? n - 1) - best.peakIndex,
    recovered: recoveryIndex !== null,
  };
}

/** Drawdown at every point, 1 - V_t / running peak (0 at new highs). */
export function drawdownSeries(values: readonly number[]): number[] {
  const out: number[] = [];
  let peak = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v > peak) peak = v;
    out.push(peak > 0 ? 1 - v / peak : 0);
  }
  return out;
}
