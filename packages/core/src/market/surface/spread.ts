import { InvalidInputError } from '../../domain/errors';

/*
 * Bid/ask around a model mid for SPX options: a half-spread that grows with the option price, then
 * rounding to the SPX tick (0.05 below 3.00, 0.10 at or above). Moneyness and DTE enter through the
 * price level: in the 2018 SPXW sample the median half-spread of options priced 3-30 points was the
 * same 0.25 at 0-3, 3-10, 10-20 and 20-60 DTE (docs/calibration.md), so no separate DTE term.
 */

export interface SpreadParams {
  /** Half-spread = max(minHalf, c0 + cPrice * mid + cSqrt * sqrt(mid)), index points. */
  readonly c0: number;
  readonly cPrice: number;
  readonly cSqrt: number;
  /** Floor of the half-spread (points). */
  readonly minHalf: number;
  /**
   * A far wing worth at least this much (points) is still bid one tick: the market quotes 0.05 / 0.10
   * there, not 0 / 0.05. Below it the wing is bid 0.
   */
  readonly minBidTheo: number;
}

/**
 * OLS fit of (ask - bid)/2 on [1, mid, sqrt(mid)] over every two-sided quote of the 2018 SPXW sample
 * with mid < 200 (scripts/calibrate-surface.ts prints the fit and its error).
 */
export const CALIBRATED_SPREAD_PARAMS: SpreadParams = {
  c0: -0.0433,
  cPrice: 0.0103,
  cSqrt: 0.1371,
  minHalf: 0.05,
  // The real 1-2 session chains (2018 EOM days, 2019-06-26 2DTE): out-of-the-money options priced by
  // the calibrated short smile at each expiry's own ATM level keep a 0.05 bid down to a theoretical
  // value of about 0.005, then go to 0 bid. The cut that misclassifies fewest of the 811 quotes with a
  // theoretical value below 0.10 (57 wrong; 0.003: 63, 0.01: 66, no floor at 0.05: 134).
  // docs/calibration.md, "Far wings".
  minBidTheo: 0.005,
};

/** SPX minimum tick for a premium: 0.05 below 3.00, 0.10 at or above. */
export function spxTick(price: number): number {
  return price < 3 ? 0.05 : 0.1;
}

/** Half-spread (points) for an option whose model mid is `mid`. */
export function halfSpread(mid: number, p: SpreadParams = CALIBRATED_SPREAD_PARAMS): number {
  if (!(mid >= 0)) throw new InvalidInputError(`mid must be >= 0, got ${String(mid)}`, 'mid', 'a price');
  return Math.max(p.minHalf, p.c0 + p.cPrice * mid + p.cSqrt * Math.sqrt(mid));
}

const EPS = 1e-9;

/** Largest tick multiple <= x (ticks of 0.05 below 3.00, 0.10 from 3.00). Non-negative. */
export function floorToTick(x: number): number {
  if (x <= 0) return 0;
  if (x < 3) return Math.round(Math.floor(x / 0.05 + EPS) * 5) / 100;
  return Math.round(Math.floor(x / 0.1 + EPS) * 10) / 100;
}

/** Smallest tick multiple >= x (at least one tick). */
export function ceilToTick(x: number): number {
  if (x <= 0.05) return 0.05;
  if (x <= 3) return Math.round(Math.ceil(x / 0.05 - EPS) * 5) / 100;
  return Math.round(Math.ceil(x / 0.1 - EPS) * 10) / 100;
}

/**
 * Bid and ask on the SPX tick grid around the theoretical value `mid`: bid = floorToTick(mid - h),
 * ask = ceilToTick(mid + h). A far wing worth at least `minBidTheo` keeps a one-tick bid (so 0.05 /
 * 0.10 below one tick, as the market quotes it, even above the theoretical value); below that it gets
 * bid 0 (flag zeroBid) and ask 0.05. The bid is never negative. Writes into `out` ([bid, ask]).
 */
export function quoteAround(mid: number, p: SpreadParams, out: Float64Array | number[], at = 0): void {
  if (mid < p.minBidTheo) {
    out[at] = 0;
    out[at + 1] = 0.05;
    return;
  }
  if (mid < 0.05) {
    out[at] = 0.05;
    out[at + 1] = 0.1;
    return;
  }
  const h = halfSpread(mid, p);
  const bid = Math.max(0.05, floorToTick(mid - h));
  const ask = Math.max(bid + 0.05, ceilToTick(mid + h));
  out[at] = bid;
  out[at + 1] = ask;
}
