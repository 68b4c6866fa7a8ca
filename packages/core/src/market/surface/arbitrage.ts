import { bsmPrice } from '../../pricing/black-scholes';
import type { VolSurface } from './surface';

/*
 * Numerical no-arbitrage checks of a surface on a grid: calendar (total variance non-decreasing in T
 * at fixed x = ln(K/F)/sqrt(T)) and butterfly (call prices non-increasing and convex in K, i.e. a
 * non-negative risk-neutral density between grid strikes).
 */

export interface ArbitrageViolation {
  readonly kind: 'calendar' | 'butterfly' | 'monotone';
  readonly t: number;
  /** x for calendar checks, the middle strike for butterfly/monotone checks. */
  readonly at: number;
  /** Size of the violation (variance or price points); always > tolerance. */
  readonly amount: number;
}

/** Total-variance decreases in T at fixed x (ts ascending). */
export function calendarViolations(
  surface: VolSurface,
  xs: readonly number[],
  ts: readonly number[],
  tol = 1e-12,
): ArbitrageViolation[] {
  const out: ArbitrageViolation[] = [];
  for (const x of xs) {
    let prev = -Infinity;
    for (const t of ts) {
      const w = surface.atmTotalVariance(t) * surface.varianceRatioAt(x, t);
      if (w < prev - tol) out.push({ kind: 'calendar', t, at: x, amount: prev - w });
      prev = Math.max(prev, w);
    }
  }
  return out;
}

/** Non-convex or increasing call prices over ascending strikes at T = t (r, q from the surface inputs). */
export function butterflyViolations(
  surface: VolSurface,
  t: number,
  strikes: ArrayLike<number>,
  tol = 1e-9,
): ArbitrageViolation[] {
  const { spot, r, q } = surface.inputs;
  const n = strikes.length;
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const strike = strikes[i]!;
    const vol = surface.impliedVol(strike, t);
    c[i] = bsmPrice({ isCall: true, spot, strike, yearsToExpiry: t, riskFreeRate: r, dividendYield: q, vol });
  }
  const out: ArbitrageViolation[] = [];
  for (let i = 1; i < n; i++) {
    if (c[i]! > c[i - 1]! + tol)
      out.push({ kind: 'monotone', t, at: strikes[i]!, amount: c[i]! - c[i - 1]! });
  }
  for (let i = 1; i + 1 < n; i++) {
    const k0 = strikes[i - 1]!;
    const k1 = strikes[i]!;
    const k2 = strikes[i + 1]!;
    const left = (c[i]! - c[i - 1]!) / (k1 - k0);
    const right = (c[i + 1]! - c[i]!) / (k2 - k1);
    const gap = left - right; // convex: left <= right
    if (gap > tol) out.push({ kind: 'butterfly', t, at: k1, amount: gap * (k2 - k0) * 0.5 });
  }
  return out;
}
