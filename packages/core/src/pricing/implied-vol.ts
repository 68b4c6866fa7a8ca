import { InvalidInputError } from '../domain/errors';
import type { Black76IvInputs, BsmIvInputs } from './inputs';
import {
  inverseLowerMap,
  inverseUpperMap,
  lastVegaSlot,
  lowerMap,
  normalisedBlackOtmCall,
  normalisedBlackOtmCallAndVega,
  normalisedVega,
  upperMap,
} from './normalised-black';

/**
 * Implied volatility in the manner of P. Jäckel's "Let's Be Rational" (2015): the normalised Black
 * function is split at its inflection point into four segments; each gets an initial guess from a map
 * that makes b nearly linear there (here: cubic Hermite and quadratic interpolations of those maps,
 * simpler than Jäckel's rational cubics), then third-order Householder steps on an objective chosen
 * per segment (1/ln b low in the wing, b itself in the middle, ln(b_max - b) high up), kept inside a
 * bracket that shrinks with every evaluation. Typical SPX inputs converge in 2-4 steps to ~1e-15.
 */

export type IvStatus = 'ok' | 'below-intrinsic' | 'above-max' | 'no-vega';

export interface IvResult {
  /** Black volatility per sqrt(year) as a decimal; null when the status is not 'ok'. */
  iv: number | null;
  status: IvStatus;
}

/** Status codes of the batch API, indexable into IV_STATUS_NAMES. */
export const IV_STATUS_CODE = { ok: 0, 'below-intrinsic': 1, 'above-max': 2, 'no-vega': 3 } as const;
export const IV_STATUS_NAMES: readonly IvStatus[] = ['ok', 'below-intrinsic', 'above-max', 'no-vega'];

const DBL_EPSILON = Number.EPSILON;
const MAX_ITERATIONS = 12;
/** Rounding slack, in ulps of max(F, K), within which an in-the-money price counts as its intrinsic value. */
const ROUNDING_ULPS = 8;
/** Stop once a Householder step changes s by less than this fraction of s (the step itself is applied). */
const CONVERGED_STEP = 1e-7;
/** Normalised prices below this are too small to invert (subnormal range). */
const SMALLEST_INVERTIBLE = 1e-300;

function householderStep(newton: number, halley: number, hh3: number): number {
  return (newton * (1 + 0.5 * halley * newton)) / (1 + newton * (halley + (hh3 * newton) / 6));
}

function hermite(
  beta: number,
  b0: number,
  b1: number,
  s0: number,
  s1: number,
  m0: number,
  m1: number,
): number {
  const h = b1 - b0;
  const t = (beta - b0) / h;
  const t2 = t * t;
  const t3 = t2 * t;
  const s =
    (2 * t3 - 3 * t2 + 1) * s0 + (t3 - 2 * t2 + t) * h * m0 + (-2 * t3 + 3 * t2) * s1 + (t3 - t2) * h * m1;
  return s < s0 ? s0 : s > s1 ? s1 : s;
}

enum Objective {
  Lower = 0,
  Middle = 1,
  Upper = 2,
}

/**
 * The s = sigma sqrt(T) with b(x, s) = beta, for an out-of-the-money call (x <= 0) and
 * 0 < beta < e^{x/2}. Returns NaN only if the inputs break that contract.
 */
export function normalisedImpliedVolOtm(beta: number, x: number): number {
  const bMax = Math.exp(0.5 * x);
  if (!(beta > 0 && beta < bMax && x <= 0)) return Number.NaN;
  const sC = Math.sqrt(-2 * x);
  const bC = normalisedBlackOtmCall(x, sC);
  const vC = normalisedVega(x, sC);
  let s: number;
  let sLeft = 0;
  let sRight = Number.POSITIVE_INFINITY;
  let objective: Objective = Objective.Middle;

  if (beta < bC) {
    const sL = sC - bC / vC;
    const bL = normalisedBlackOtmCall(x, sL);
    if (beta < bL) {
      // Lowest segment: f = lowerMap is ~linear in beta with f(0) = 0, f'(0) = 1; interpolate quadratically.
      const fL = lowerMap(x, sL);
      const t = beta / bL;
      const f = (fL * t + bL * (1 - t)) * t;
      s = inverseLowerMap(x, f);
      sRight = sL;
      objective = Objective.Lower;
    } else {
      const vL = normalisedVega(x, sL);
      s = hermite(beta, bL, bC, sL, sC, 1 / vL, 1 / vC);
      sLeft = sL;
      sRight = sC;
    }
  } else {
    const sH = vC > Number.MIN_VALUE ? sC + (bMax - bC) / vC : sC;
    const bH = normalisedBlackOtmCall(x, sH);
    if (beta <= bH) {
      const vH = normalisedVega(x, sH);
      s = hermite(beta, bC, bH, sC, sH, 1 / vC, 1 / vH);
      sLeft = sC;
      sRight = sH;
    } else {
      // Highest segment: bMax - b ~ upperMap; interpolate f quadratically with f(bMax) = 0, f'(bMax) = -1/2.
      const fH = upperMap(sH);
      const span = bMax - bH;
      const t = (beta - bH) / span;
      const f = (fH * (1 - t) + 0.5 * span * t) * (1 - t);
      s = inverseUpperMap(f);
      sLeft = sH;
      if (beta > 0.5 * bMax) objective = Objective.Upper;
    }
  }
  if (!(s > sLeft && s < sRight)) s = Number.isFinite(sRight) ? 0.5 * (sLeft + sRight) : 2 * sLeft + 1;

  const lnBeta = Math.log(beta);
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const b = normalisedBlackOtmCallAndVega(x, s);
    const bp = lastVegaSlot[0]!;
    if (b > beta) sRight = s < sRight ? s : sRight;
    else if (b < beta) sLeft = s > sLeft ? s : sLeft;
    else return s;
    let ds: number;
    const bHalley = (x * x) / (s * s * s) - 0.25 * s; // b''/b'
    const xOverS2 = x / (s * s);
    const bHh3 = bHalley * bHalley - 3 * xOverS2 * xOverS2 - 0.25; // b'''/b'
    if (!(bp > 0) || !(b > 0) || (objective === Objective.Upper && !(b < bMax))) {
      ds = Number.NaN; // underflow: fall back to bisection below
    } else if (objective === Objective.Lower) {
      const lnB = Math.log(b);
      const bpob = bp / b;
      const newton = (((lnBeta - lnB) * lnB) / lnBeta) * (b / bp);
      const halley = bHalley - bpob * (1 + 2 / lnB);
      const hh3 =
        bHh3 + 2 * bpob * bpob * (1 + (3 / lnB) * (1 + 1 / lnB)) - 3 * bHalley * bpob * (1 + 2 / lnB);
      ds = householderStep(newton, halley, hh3);
    } else if (objective === Objective.Upper) {
      const gap = bMax - b;
      const g = Math.log((bMax - beta) / gap);
      const gp = bp / gap;
      ds = householderStep(-g / gp, bHalley + gp, bHh3 + gp * (2 * gp + 3 * bHalley));
    } else {
      ds = householderStep((beta - b) / bp, bHalley, bHh3);
    }
    if (ds < -0.5 * s) ds = -0.5 * s;
    // Householder(3) converges quartically: a step this small leaves an error far below 1e-16 s.
    if (Math.abs(ds) <= CONVERGED_STEP * s) return s + ds;
    let next = s + ds;
    if (!(next > sLeft && next < sRight)) {
      // The step left the bracket (or the objective underflowed): bisect instead.
      next = Number.isFinite(sRight) ? 0.5 * (sLeft + sRight) : 2 * s;
      if (sRight - sLeft <= DBL_EPSILON * next) return next;
    }
    s = next;
  }
  return s;
}

const BELOW: IvResult = Object.freeze({ iv: null, status: 'below-intrinsic' });
const ABOVE: IvResult = Object.freeze({ iv: null, status: 'above-max' });
const NO_VEGA: IvResult = Object.freeze({ iv: null, status: 'no-vega' });

/**
 * Core solve on undiscounted Black inputs; returns sigma, or a negative status code
 * (-1 below intrinsic, -2 above max, -3 no vega). Shared by the scalar and batch APIs; positional (it is
 * their inner loop) and not exported from the package.
 */
export function blackImpliedVolRaw(
  undiscountedPrice: number,
  isCall: boolean,
  F: number,
  K: number,
  T: number,
): number {
  const p = undiscountedPrice;
  if (!(T > 0)) return -3;
  const intrinsic = isCall ? (F > K ? F - K : 0) : K > F ? K - F : 0;
  const maxPrice = isCall ? F : K;
  if (p >= maxPrice) return -2;
  // An in-the-money price is a sum of terms of the size of F and K, so it is only known to a few ulps
  // of those; an out-of-the-money price is known to full relative precision and needs no slack.
  const tol = intrinsic > 0 ? ROUNDING_ULPS * DBL_EPSILON * (F > K ? F : K) : 0;
  if (p < intrinsic - tol) return -1;
  const timeValue = p - intrinsic;
  if (!(timeValue > tol)) return -3;
  const sqrtFK = Math.sqrt(F) * Math.sqrt(K);
  const beta = timeValue / sqrtFK;
  if (beta < SMALLEST_INVERTIBLE) return -3;
  const x = -Math.abs(Math.log(F / K));
  if (beta >= Math.exp(0.5 * x)) return -2;
  const s = normalisedImpliedVolOtm(beta, x);
  const sigma = s / Math.sqrt(T);
  return sigma > 0 && Number.isFinite(sigma) ? sigma : -3;
}

/**
 * BSM implied vol on a spot (solved on the forward); sigma or a negative status code as blackImpliedVolRaw.
 * Positional kernel of impliedVolBsm and impliedVolBsmBatch, not exported from the package.
 */
export function bsmImpliedVolRaw(
  price: number,
  isCall: boolean,
  S: number,
  K: number,
  T: number,
  r: number,
  q: number,
): number {
  const growth = Math.exp(r * T);
  return blackImpliedVolRaw(price * growth, isCall, S * Math.exp(-q * T) * growth, K, T);
}

function toResult(code: number): IvResult {
  if (code >= 0) return { iv: code, status: 'ok' };
  return code === -1 ? BELOW : code === -2 ? ABOVE : NO_VEGA;
}

function bad(field: string, value: number, hint: string): never {
  throw new InvalidInputError(`${field} = ${String(value)} is not valid: ${hint}`, field, hint);
}

// Hot (every implied vol goes through it): no closures here, tsx's keepNames makes each one cost a
// defineProperty.
function requireIvInputs(
  price: number,
  underlying: number,
  underlyingField: string,
  strike: number,
  years: number,
  rate: number,
  carryYield: number,
): void {
  if (!Number.isFinite(price)) bad('price', price, 'must be a finite option premium');
  if (!(underlying > 0) || !Number.isFinite(underlying))
    bad(underlyingField, underlying, 'must be a finite number > 0');
  if (!(strike > 0) || !Number.isFinite(strike)) bad('strike', strike, 'must be a finite number > 0');
  if (!(years >= 0) || !Number.isFinite(years))
    bad('yearsToExpiry', years, 'must be a finite number of years >= 0');
  if (!Number.isFinite(rate)) bad('riskFreeRate', rate, 'must be a finite continuously compounded rate');
  if (!Number.isFinite(carryYield))
    bad('dividendYield', carryYield, 'must be a finite continuous dividend yield');
}

/** Black-76 implied vol of a discounted option price on a futures price. */
export function impliedVolBlack76(inputs: Black76IvInputs): IvResult {
  const { price, isCall, future, strike, yearsToExpiry, riskFreeRate } = inputs;
  requireIvInputs(price, future, 'future', strike, yearsToExpiry, riskFreeRate, 0);
  return toResult(
    blackImpliedVolRaw(price * Math.exp(riskFreeRate * yearsToExpiry), isCall, future, strike, yearsToExpiry),
  );
}

/** BSM implied vol of an option on a spot with a continuous dividend yield (solved on the forward). */
export function impliedVolBsm(inputs: BsmIvInputs): IvResult {
  const { price, isCall, spot, strike, yearsToExpiry, riskFreeRate, dividendYield } = inputs;
  requireIvInputs(price, spot, 'spot', strike, yearsToExpiry, riskFreeRate, dividendYield);
  return toResult(bsmImpliedVolRaw(price, isCall, spot, strike, yearsToExpiry, riskFreeRate, dividendYield));
}
