import {
  black76Price,
  CALIBRATED_SHORT_DATED_PARAMS,
  CALIBRATED_SURFACE_PARAMS,
  dteTradingDays,
  type IsoDate,
  impliedForward,
  impliedVolBlack76,
  type OptionChain,
  settlementInstantUtcMs,
  smileRatio,
  yearFraction,
} from '@vixshield/core';
import type { MarketData } from '@vixshield/data';
import { inCondorZoneMoneyness, median } from './model-check';

/*
 * The short-dated smile's SHAPE against real 1-2 session chains, apart from its level (issue 14). Model
 * check prices a real chain with the model's own one-day vol and the file's spot, so its error mixes
 * three things: a stale spot in end-of-day files, the level (the one-day vol), and the shape. Here the
 * real vols are read on the put-call-parity forward and the ATM level is fitted per expiry, so what is
 * left is the shape. docs/calibration.md, "Level or shape?"; scripts/short-dated-term-fit.ts prints it.
 */

export interface ShapePoint {
  readonly lnKF: number;
  readonly t: number;
  readonly iv: number;
  readonly mid: number;
  readonly isCall: boolean;
  readonly forward: number;
  readonly r: number;
  /** K / F - 1. */
  readonly moneyness: number;
}

export interface ShapeExpiry {
  readonly asOf: IsoDate;
  readonly expiry: IsoDate;
  readonly sessions: number;
  /** Parity forward / (S e^{(r-q)T}) - 1: how stale the file's spot is. */
  readonly forwardGapBp: number;
  readonly points: readonly ShapePoint[];
}

/** The shape is fitted on out-of-the-money quotes within this distance of the forward (|K/F - 1|). */
export const SHAPE_FIT_MAX_MONEYNESS = 0.03;

/** OTM quotes within 3% of the parity forward with a bid, of every 1-2 session real chain. */
export function shortDatedShapeSample(md: MarketData, chains: readonly OptionChain[]): ShapeExpiry[] {
  const out: ShapeExpiry[] = [];
  for (const c of chains) {
    const sessions = dteTradingDays(c.asOf, c.expiry);
    if (sessions < 1 || sessions > 2) continue;
    const snap = md.byDate(c.asOf);
    const r = snap?.rate?.r ?? 0;
    const q = snap?.dividendYield?.q ?? 0;
    const t = yearFraction(c.quoteTimeUtcMs, settlementInstantUtcMs(c.expiry, c.settlement));
    const carry = c.underlying * Math.exp((r - q) * t);
    // Median of the parity forwards at the three two-sided strikes nearest the spot.
    const near = Array.from(c.strikes.keys())
      .filter((i) => c.callBid[i]! > 0 && c.putBid[i]! > 0)
      .sort((a, b) => Math.abs(c.strikes[a]! - c.underlying) - Math.abs(c.strikes[b]! - c.underlying))
      .slice(0, 3)
      .map((i) =>
        impliedForward({
          callPrice: 0.5 * (c.callBid[i]! + c.callAsk[i]!),
          putPrice: 0.5 * (c.putBid[i]! + c.putAsk[i]!),
          strike: c.strikes[i]!,
          yearsToExpiry: t,
          riskFreeRate: r,
        }),
      )
      .sort((a, b) => a - b);
    const forward = near.length ? near[near.length >> 1]! : carry;
    const points: ShapePoint[] = [];
    for (let i = 0; i < c.strikes.length; i++) {
      const k = c.strikes[i]!;
      const m = k / forward - 1;
      if (Math.abs(m) > SHAPE_FIT_MAX_MONEYNESS) continue;
      const put = m < 0;
      const bid = put ? c.putBid[i]! : c.callBid[i]!;
      const ask = put ? c.putAsk[i]! : c.callAsk[i]!;
      if (!(bid > 0 && ask >= bid)) continue;
      const mid = 0.5 * (bid + ask);
      const res = impliedVolBlack76({
        price: mid,
        isCall: !put,
        future: forward,
        strike: k,
        yearsToExpiry: t,
        riskFreeRate: r,
      });
      if (res.status !== 'ok' || res.iv === null) continue;
      points.push({
        lnKF: Math.log(k / forward),
        t,
        iv: res.iv,
        mid,
        isCall: !put,
        forward,
        r,
        moneyness: m,
      });
    }
    if (points.length) {
      out.push({
        asOf: c.asOf,
        expiry: c.expiry,
        sessions,
        forwardGapBp: (forward / carry - 1) * 1e4,
        points,
      });
    }
  }
  return out;
}

/** Two calendar days: the 2019 2DTE the shape was fitted on; the term exponent scales z around it. */
export const SHAPE_REFERENCE_T = 2 / 365;

/** The short regime's vol at a point for an ATM level, wing scale beta and term exponent gamma. */
export function shortShapeVol(p: ShapePoint, atm: number, beta: number, gamma: number): number {
  const { rho, s, callWing } = CALIBRATED_SURFACE_PARAMS;
  const ratio = smileRatio(rho, s, callWing, beta);
  const x =
    (p.lnKF / Math.sqrt(p.t)) *
    (CALIBRATED_SHORT_DATED_PARAMS.smileRefVol / atm) *
    (p.t / SHAPE_REFERENCE_T) ** -gamma;
  return atm * Math.sqrt(Math.max(0.01, ratio(x)));
}

/** ATM level (grid 5-40%, step 0.05 pt) minimising the squared vol error in points. */
export function fitShapeLevel(
  points: readonly ShapePoint[],
  beta: number,
  gamma: number,
): { atm: number; sse: number } {
  let best = { atm: 0, sse: Number.POSITIVE_INFINITY };
  for (let a = 0.05; a <= 0.4; a += 0.0005) {
    let sse = 0;
    for (const p of points) sse += (100 * (shortShapeVol(p, a, beta, gamma) - p.iv)) ** 2;
    if (sse < best.sse) best = { atm: a, sse };
  }
  return best;
}

/**
 * Shape-only error in the condor's zone (OTM 0.5-2.5% of the forward): the calibrated short smile at
 * the ATM level fitted to each real expiry, priced on its parity forward.
 */
export function shortDatedShapeError(sample: readonly ShapeExpiry[]): {
  quotes: number;
  medianAbsMidError: number | null;
  perExpiry: { asOf: IsoDate; expiry: IsoDate; quotes: number; atm: number; medianAbsMidError: number }[];
} {
  const beta = CALIBRATED_SHORT_DATED_PARAMS.beta;
  const all: number[] = [];
  const perExpiry = [];
  for (const e of sample) {
    const { atm } = fitShapeLevel(e.points, beta, 0);
    const errs = e.points
      .filter((p) => inCondorZoneMoneyness(p.moneyness))
      .map((p) => {
        const model = black76Price({
          isCall: p.isCall,
          future: p.forward,
          strike: p.forward * Math.exp(p.lnKF),
          yearsToExpiry: p.t,
          riskFreeRate: p.r,
          vol: shortShapeVol(p, atm, beta, 0),
        });
        return Math.abs(model / p.mid - 1);
      });
    if (!errs.length) continue;
    all.push(...errs);
    perExpiry.push({
      asOf: e.asOf,
      expiry: e.expiry,
      quotes: errs.length,
      atm,
      medianAbsMidError: median(errs),
    });
  }
  return { quotes: all.length, medianAbsMidError: all.length ? median(all) : null, perExpiry };
}
