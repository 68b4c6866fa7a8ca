import { InvalidInputError } from '../../domain/errors';

/*
 * VIX-family term structure: index levels (variance-swap-like vols, in index points) at their
 * constant-maturity tenors, with documented fallbacks for series that did not exist yet, and linear
 * interpolation in total variance sigma^2 * T between tenors (flat vol beyond the ends).
 *
 * Tenors are calendar days / 365 (the ACT/365 of `yearFraction`): VIX1D 1 day, VIX9D 9 days, VIX 30,
 * VIX3M 93, VIX6M 184, VIX1Y 365.
 */

/** Plain-number inputs of the surface for one as-of day. Vol indices in index points (VIX 17.3 = 17.3%). */
export interface SurfaceInputs {
  /** Underlying (SPX) level at the quote instant. */
  spot: number;
  /** Risk-free rate, continuously compounded per year (decimal). */
  r: number;
  /** Dividend yield, continuously compounded per year (decimal). */
  q: number;
  vix: number;
  vix1d?: number | undefined;
  vix9d?: number | undefined;
  vix3m?: number | undefined;
  vix6m?: number | undefined;
  vix1y?: number | undefined;
  /** Cboe SKEW index (about 100-160); DEFAULT_SKEW when absent. */
  skew?: number | undefined;
  /**
   * One-day implied vol for the next session's expiry (index points, VIX1D convention): the real VIX1D
   * close where it exists, else the one-day variance model's (market/one-day-variance.ts). Not a term
   * node: the chain builder prices the 1-2 trading-day expiries from it (surface/short-dated.ts).
   */
  oneDayVix?: number | undefined;
  /**
   * Where oneDayVix came from, for the chain's provenance only: the published VIX1D, the one-day model
   * on VIX9D, or its fallback on VIX when VIX9D is missing that day.
   */
  oneDayVixSource?: 'VIX1D' | 'model' | 'model-from-vix' | undefined;
  /**
   * Variance of the second session after the quote over the first's, from the scheduled releases the
   * market prices as jumps (exp(2 (j2 - j1)), market/one-day-variance.ts): 1 when neither or both carry
   * the same releases. The 2-session expiry's variance is the first session's times (1 + this ratio).
   */
  secondSessionVarianceRatio?: number | undefined;
  /**
   * Which of the surface's date (0) and the two sessions after it (1, 2) hold a scheduled FOMC decision,
   * as published before the surface's date: a quote inside such a session reads the FOMC-day intraday
   * variance (short-dated.ts, ShortDatedTime.quoteDayFomc). Absent or empty: none.
   */
  fomcDecisionSessions?: readonly number[] | undefined;
}

export type VolIndexId = 'vix1d' | 'vix9d' | 'vix' | 'vix3m' | 'vix6m' | 'vix1y';

/** Constant-maturity tenor of each index, in calendar days. */
export const VOL_INDEX_TENOR_DAYS: Readonly<Record<VolIndexId, number>> = {
  vix1d: 1,
  vix9d: 9,
  vix: 30,
  vix3m: 93,
  vix6m: 184,
  vix1y: 365,
};

/** SKEW used when the input has none (close to its 1990-2025 median). */
export const DEFAULT_SKEW = 125;

/**
 * Fallback for a missing 9-day, 3-month or 6-month index: ln(index / VIX) = a + b * ln(VIX / 20),
 * ordinary least squares on every day 2011-01-04 .. 2026-07 where both closes exist (embedded CBOE
 * files; recomputed and printed by scripts/calibrate-surface.ts). Residual s.d. of ln ratio: 9D 0.091,
 * 3M 0.059, 6M 0.081. b > 0 for 9D (the short end inverts above VIX 20) and b < 0 for the long end
 * (contango in calm markets, backwardation in stress). VIX1D and VIX1Y are NOT synthesised: without
 * them the curve is extrapolated flat from its shortest / longest node.
 */
export const TERM_FALLBACK_REGRESSION: Readonly<
  Record<'vix9d' | 'vix3m' | 'vix6m', { a: number; b: number }>
> = {
  vix9d: { a: -0.0379, b: 0.1436 },
  vix3m: { a: 0.0889, b: -0.179 },
  vix6m: { a: 0.1474, b: -0.3129 },
};

export interface TermNode {
  readonly index: VolIndexId;
  /** Tenor in years (calendar days / 365). */
  readonly t: number;
  /** Index level as a decimal (VIX 17.3 -> 0.173), after any fallback. */
  readonly indexVol: number;
  /** True when this node was synthesised from VIX by TERM_FALLBACK_REGRESSION. */
  readonly synthesised: boolean;
}

function checkVol(v: number | undefined, field: string, required: boolean): number | undefined {
  if (v === undefined || v === null) {
    if (required) throw new InvalidInputError(`${field} is required`, field, 'pass the VIX close');
    return undefined;
  }
  if (!(Number.isFinite(v) && v > 0 && v < 1000)) {
    throw new InvalidInputError(
      `${field} must be a positive index level, got ${String(v)}`,
      field,
      'e.g. 17.3',
    );
  }
  return v;
}

/** Index nodes of one day, ascending in tenor, with fallbacks applied and their use recorded. */
export function termNodes(inp: SurfaceInputs): TermNode[] {
  const vix = checkVol(inp.vix, 'vix', true)!;
  const nodes: TermNode[] = [];
  const lnLevel = Math.log(vix / 20);
  const push = (index: VolIndexId, level: number | undefined): void => {
    const checked = checkVol(level, index, false);
    if (checked !== undefined) {
      nodes.push({
        index,
        t: VOL_INDEX_TENOR_DAYS[index] / 365,
        indexVol: checked / 100,
        synthesised: false,
      });
      return;
    }
    if (index === 'vix9d' || index === 'vix3m' || index === 'vix6m') {
      const { a, b } = TERM_FALLBACK_REGRESSION[index];
      const synth = vix * Math.exp(a + b * lnLevel);
      nodes.push({ index, t: VOL_INDEX_TENOR_DAYS[index] / 365, indexVol: synth / 100, synthesised: true });
    }
  };
  push('vix1d', inp.vix1d);
  push('vix9d', inp.vix9d);
  push('vix', vix);
  push('vix3m', inp.vix3m);
  push('vix6m', inp.vix6m);
  push('vix1y', inp.vix1y);
  return nodes;
}

/**
 * Piecewise-linear total variance through (t_i, w_i), flat vol outside [t_0, t_n]. `w` must be
 * non-decreasing (callers enforce it). Returns total variance at t (t >= 0).
 */
export function interpolateTotalVariance(ts: ArrayLike<number>, ws: ArrayLike<number>, t: number): number {
  const n = ts.length;
  if (n === 0) throw new InvalidInputError('no term-structure nodes', 'nodes', 'pass at least VIX');
  if (t <= ts[0]!) return (ws[0]! / ts[0]!) * t;
  for (let i = 1; i < n; i++) {
    const t1 = ts[i]!;
    if (t <= t1) {
      const t0 = ts[i - 1]!;
      const a = (t - t0) / (t1 - t0);
      return ws[i - 1]! + a * (ws[i]! - ws[i - 1]!);
    }
  }
  return (ws[n - 1]! / ts[n - 1]!) * t;
}
