import { InvalidInputError } from '../domain/index';
import { olsFit } from './stats';

/**
 * Probability of Backtest Overfitting by combinatorially symmetric cross-validation (CSCV), after
 * Bailey, Borwein, Lopez de Prado and Zhu, "The Probability of Backtest Overfitting", Journal of
 * Computational Finance 20(4), 2017 (working paper 2015).
 *
 * Input: the per-period returns (e.g. monthly) of every variant tried, all over the same periods.
 * 1. The T periods are split into S contiguous blocks of equal length L = floor(T / S); the oldest
 *    T mod S periods are dropped so that the blocks are equal (the paper requires equal blocks).
 * 2. For every one of the C(S, S/2) ways of choosing S/2 blocks as the in-sample set (the other S/2
 *    are the out-of-sample set), the performance of every variant is measured on both halves.
 * 3. n* = the in-sample best (ties: the first variant in input order). Its out-of-sample relative
 *    rank is omega = rank / (N + 1), with rank 1 = worst, mid-ranks for ties, N = number of variants;
 *    its logit is lambda = ln(omega / (1 - omega)). lambda > 0: the in-sample best beats the
 *    out-of-sample median.
 * 4. PBO = share of combinations with lambda <= 0 (the paper's rule: at or below the median counts
 *    as overfit).
 *
 * Conventions of this implementation (not in the paper):
 * - Variants whose return series are exactly identical are collapsed into one before ranking: they
 *   are the same strategy (a swept parameter without effect), and keeping them would create ties
 *   that push omega to the median. N is the number of distinct series; fewer than 2 gives null.
 * - Performance metric 'sharpe' is mean / sample standard deviation per period (not annualised;
 *   ranks do not depend on the scale). A half with zero variance (e.g. a variant that never
 *   trades) scores 0 when its mean is 0 and +/-Infinity by the sign of its mean otherwise, so it
 *   still ranks. Zero variance means variance <= 1e-12 x mean square (floating-point residue).
 * - Under pure noise the expected PBO is ceil(N/2)/N by the <= rule (0.5 for even N, 2/3 for N = 3).
 *
 * Also returned: the performance degradation (OLS of the out-of-sample metric of n* on its
 * in-sample metric over the combinations; a slope well below 1 or negative is degradation) and the
 * probability of out-of-sample loss (share of combinations where n*'s out-of-sample metric < 0).
 */

export type PboMetric = 'sharpe' | 'mean';

export interface PboOptions {
  /** S, the number of blocks: even, 2..20. Default 16 (the paper's example). */
  readonly blocks?: number;
  /** Performance measure of a half (default 'sharpe'). */
  readonly metric?: PboMetric;
}

export interface PboResult {
  /** Share of combinations with lambda <= 0, in [0, 1]. */
  readonly pbo: number;
  /** Variants given, and distinct return series among them (N of the ranks). */
  readonly variants: number;
  readonly distinctVariants: number;
  readonly periods: number;
  readonly periodsUsed: number;
  /** The oldest periods left out so that S blocks have equal length. */
  readonly periodsDropped: number;
  readonly blocks: number;
  readonly blockLength: number;
  readonly combinations: number;
  readonly metric: PboMetric;
  /** lambda of every combination, in the order of the combinations (lexicographic block sets). */
  readonly logits: readonly number[];
  /** Mean lambda over the combinations with a finite lambda (always finite: omega is in (0, 1)). */
  readonly meanLogit: number;
  /** OLS of OOS metric of n* on its IS metric, over combinations where both are finite. */
  readonly degradation: { readonly slope: number; readonly intercept: number } | null;
  /** Share of combinations where the IS best's OOS metric is below 0. */
  readonly probabilityOfOosLoss: number;
}

export const PBO_DEFAULT_BLOCKS = 16;
export const PBO_MAX_BLOCKS = 20;

/** The lexicographic k-subsets of {0..n-1}, as bit masks. */
function combinationMasks(n: number, k: number): number[] {
  const out: number[] = [];
  const rec = (start: number, left: number, mask: number) => {
    if (left === 0) {
      out.push(mask);
      return;
    }
    for (let i = start; i <= n - left; i++) rec(i + 1, left - 1, mask | (1 << i));
  };
  rec(0, k, 0);
  return out;
}

function scoreOf(metric: PboMetric, n: number, sum: number, sumSq: number): number {
  const m = sum / n;
  if (metric === 'mean') return m;
  const variance = (sumSq - (sum * sum) / n) / (n - 1);
  if (!(variance > 1e-12 * (sumSq / n))) return m === 0 ? 0 : m > 0 ? Infinity : -Infinity;
  return m / Math.sqrt(variance);
}

/**
 * PBO of the selection "pick the variant with the best in-sample metric", by CSCV. `returns[i]` is
 * the per-period return series of variant i (all of the same length, periods in time order).
 * Null when fewer than 2 distinct series are given (nothing is selected). Throws on bad input.
 */
export function probabilityOfBacktestOverfitting(
  returns: ReadonlyArray<readonly number[]>,
  options: PboOptions = {},
): PboResult | null {
  const S = options.blocks ?? PBO_DEFAULT_BLOCKS;
  const metric = options.metric ?? 'sharpe';
  if (!(Number.isInteger(S) && S >= 2 && S <= PBO_MAX_BLOCKS && S % 2 === 0)) {
    throw new InvalidInputError(
      `blocks must be an even integer in 2..${PBO_MAX_BLOCKS}, got ${S}`,
      'blocks',
      'e.g. 16 (the paper), fewer for short samples',
    );
  }
  const T = returns[0]?.length ?? 0;
  returns.forEach((r, i) => {
    if (r.length !== T) {
      throw new InvalidInputError(
        `variant ${i} has ${r.length} periods, variant 0 has ${T}`,
        'returns',
        'give every variant the same periods',
      );
    }
    for (let t = 0; t < r.length; t++) {
      if (!Number.isFinite(r[t])) {
        throw new InvalidInputError(`variant ${i} period ${t} is ${r[t]}`, 'returns', 'pass finite returns');
      }
    }
  });
  const L = Math.floor(T / S);
  const half = (S / 2) * L;
  if (L < 1 || (metric === 'sharpe' && half < 2)) {
    throw new InvalidInputError(
      `${T} periods cannot be split into ${S} blocks with at least ${metric === 'sharpe' ? 2 : 1} periods per half`,
      'blocks',
      'use fewer blocks or more periods',
    );
  }
  const seen = new Set<string>();
  const distinct: Array<readonly number[]> = [];
  for (const r of returns) {
    const key = r.join(',');
    if (!seen.has(key)) {
      seen.add(key);
      distinct.push(r);
    }
  }
  const N = distinct.length;
  if (N < 2) return null;
  const dropped = T - S * L;
  // Per variant and block: sum and sum of squares.
  const sums = distinct.map((r) => {
    const s = new Float64Array(S);
    const q = new Float64Array(S);
    for (let b = 0; b < S; b++) {
      for (let t = dropped + b * L; t < dropped + (b + 1) * L; t++) {
        const x = r[t] as number;
        s[b] = (s[b] as number) + x;
        q[b] = (q[b] as number) + x * x;
      }
    }
    return { s, q };
  });
  const masks = combinationMasks(S, S / 2);
  const logits: number[] = [];
  const isBest: number[] = [];
  const oosBest: number[] = [];
  let overfit = 0;
  let losses = 0;
  const oos = new Float64Array(N);
  for (const mask of masks) {
    let best = -1;
    let bestIs = -Infinity;
    for (let v = 0; v < N; v++) {
      const { s, q } = sums[v] as { s: Float64Array; q: Float64Array };
      let si = 0;
      let qi = 0;
      let so = 0;
      let qo = 0;
      for (let b = 0; b < S; b++) {
        if (mask & (1 << b)) {
          si += s[b] as number;
          qi += q[b] as number;
        } else {
          so += s[b] as number;
          qo += q[b] as number;
        }
      }
      const isScore = scoreOf(metric, half, si, qi);
      oos[v] = scoreOf(metric, half, so, qo);
      if (best < 0 || isScore > bestIs) {
        best = v;
        bestIs = isScore;
      }
    }
    const x = oos[best] as number;
    let below = 0;
    let equal = 0;
    for (let v = 0; v < N; v++) {
      const y = oos[v] as number;
      if (y < x) below++;
      else if (y === x) equal++;
    }
    const rank = below + (equal + 1) / 2;
    const omega = rank / (N + 1);
    const lambda = Math.log(omega / (1 - omega));
    logits.push(lambda);
    if (lambda <= 0) overfit++;
    if (x < 0) losses++;
    isBest.push(bestIs);
    oosBest.push(x);
  }
  const finite = isBest
    .map((v, i) => [v, oosBest[i] as number] as const)
    .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  const fit =
    finite.length >= 2
      ? olsFit(
          finite.map(([a]) => a),
          finite.map(([, b]) => b),
        )
      : null;
  return {
    pbo: overfit / masks.length,
    variants: returns.length,
    distinctVariants: N,
    periods: T,
    periodsUsed: S * L,
    periodsDropped: dropped,
    blocks: S,
    blockLength: L,
    combinations: masks.length,
    metric,
    logits,
    meanLogit: logits.reduce((a, b) => a + b, 0) / logits.length,
    degradation: fit ? { slope: fit.slope, intercept: fit.intercept } : null,
    probabilityOfOosLoss: losses / masks.length,
  };
}
