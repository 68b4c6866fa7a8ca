import {
  erf,
  erfcx,
  inverseNormCdfApprox,
  normCdf,
  ONE_OVER_SQRT_2,
  ONE_OVER_SQRT_2_PI,
} from '../math/normal';

/*
 * The normalised Black function of P. Jäckel ("Let's Be Rational", Wilmott 2015):
 *   b(x, s) = e^{x/2} N(x/s + s/2) - e^{-x/2} N(x/s - s/2),   x = ln(F/K),  s = sigma sqrt(T),
 * the undiscounted call price divided by sqrt(F K). Everything the implied-vol solver needs is here,
 * written for an out-of-the-money call (x <= 0); puts and in-the-money options map onto it by parity.
 */

/** Above this share of b_max the two-term formula is used directly (no cancellation there). */
const DIRECT_FORMULA_THRESHOLD = 0.85;

/** Normalised intrinsic value of a call, 2 sinh(x/2) for x > 0 (computed without cancellation). */
export function normalisedIntrinsicCall(x: number): number {
  return x > 0 ? 2 * Math.sinh(0.5 * x) : 0;
}

/**
 * Below this t = s/2 the small-t series is used (its first omitted term is ~t^6/5040 relative). It is
 * used for |h| <= 40: a = 1 + hY(h) ~ 1/h^2 carries a relative error ~ h^2 eps, and beyond |h| = 40
 * b underflows anyway.
 */
const SMALL_T_THRESHOLD = 0.005;
const SMALL_T_MAX_ABS_H = 40;
const SQRT_PI_OVER_2 = Math.sqrt(Math.PI / 2);

/**
 * b(x, s) and db/ds together for x <= 0, sharing one exponential: returns b and leaves the vega in
 * `lastVegaSlot[0]` (a module slot, so the solver's hot loop allocates nothing).
 *
 * Write b = e^{-(h^2+t^2)/2}/sqrt(2 pi) [Y(h+t) - Y(h-t)] with h = x/s, t = s/2 and Y = N/phi (Mills'
 * ratio). Three evaluations keep relative accuracy:
 * - tiny t: Taylor series of Y(h+t) - Y(h-t) = 2 sum t^(2k+1)/(2k+1)! Y^(2k+1)(h), using Y' = 1 + hY;
 * - both terms in the tail: Y via erfcx, one exponential, a difference of two rational functions;
 * - b near b_max: the plain two-term formula, which does not cancel there.
 */
/** [0]: the vega of the last call (a Float64Array slot: a module-level \`let\` double is boxed per write). */
export const lastVegaSlot = new Float64Array(1);
export function normalisedBlackOtmCallAndVega(x: number, s: number): number {
  if (!(s > 0)) {
    lastVegaSlot[0] = 0;
    return 0;
  }
  const t = 0.5 * s;
  if (x === 0) {
    lastVegaSlot[0] = ONE_OVER_SQRT_2_PI * Math.exp(-0.5 * t * t);
    return erf(t * ONE_OVER_SQRT_2);
  }
  const h = x / s;
  const e = Math.exp(-0.5 * (h * h + t * t));
  lastVegaSlot[0] = ONE_OVER_SQRT_2_PI * e;
  let b: number;
  if (t < SMALL_T_THRESHOLD && h > -SMALL_T_MAX_ABS_H) {
    // a = Y'(h) = 1 + h Y(h); Y''' = -1 + (3 + h^2) a; Y^(5) = -7 - h^2 + (15 + 10 h^2 + h^4) a.
    const a = 1 + h * SQRT_PI_OVER_2 * erfcx(-ONE_OVER_SQRT_2 * h);
    const h2 = h * h;
    const w = t * t;
    const y3 = -1 + (3 + h2) * a;
    const y5 = -7 - h2 + (15 + h2 * (10 + h2)) * a;
    b = ONE_OVER_SQRT_2_PI * e * 2 * t * (a + w * (y3 / 6 + (w * y5) / 120));
  } else if (h + t > DIRECT_FORMULA_THRESHOLD) {
    const bMax = Math.exp(0.5 * x);
    b = normCdf(h + t) * bMax - normCdf(h - t) / bMax;
  } else {
    b = 0.5 * e * (erfcx(-ONE_OVER_SQRT_2 * (h + t)) - erfcx(-ONE_OVER_SQRT_2 * (h - t)));
  }
  return b > 0 ? b : 0;
}

/** b(x, s) for x <= 0 (an out-of-the-money or at-the-money call). */
export function normalisedBlackOtmCall(x: number, s: number): number {
  return normalisedBlackOtmCallAndVega(x, s);
}

/** b(x, s) for any x (in-the-money calls add their intrinsic value). */
export function normalisedBlackCall(x: number, s: number): number {
  return x > 0 ? normalisedIntrinsicCall(x) + normalisedBlackOtmCall(-x, s) : normalisedBlackOtmCall(x, s);
}

/** db/ds = e^{x/2} phi(x/s + s/2) = phi-like factor e^{-(h^2+t^2)/2}/sqrt(2 pi); symmetric in x. */
export function normalisedVega(x: number, s: number): number {
  if (!(s > 0)) return 0;
  if (x === 0) return ONE_OVER_SQRT_2_PI * Math.exp(-0.125 * s * s);
  const h = x / s;
  return ONE_OVER_SQRT_2_PI * Math.exp(-0.5 * (h * h + 0.25 * s * s));
}

// Maps that make b nearly linear at the two ends of its range (Jäckel section 4), used for the initial guess.
const TWO_PI_OVER_SQRT_27 = (2 * Math.PI) / Math.sqrt(27);
const SQRT_3 = Math.sqrt(3);

/** Lower map f(s) = 2pi/sqrt(27) |x| N(-z)^3, z = |x|/(sqrt3 s); f ~ b as s -> 0. */
export function lowerMap(x: number, s: number): number {
  const ax = Math.abs(x);
  const n = normCdf(-ax / SQRT_3 / s);
  return TWO_PI_OVER_SQRT_27 * ax * n * n * n;
}

/** Inverse of the lower map: the s with lowerMap(x, s) = f. */
export function inverseLowerMap(x: number, f: number): number {
  if (!(f > 0)) return 0;
  const ax = Math.abs(x);
  // An initial guess only: the unrefined rational inverse (1e-9 relative) is plenty.
  const z = inverseNormCdfApprox(Math.cbrt(f / (TWO_PI_OVER_SQRT_27 * ax)));
  return Math.abs(ax / (SQRT_3 * z));
}

/** Upper map f(s) = N(-s/2); b_max - b ~ f as s -> infinity. */
export function upperMap(s: number): number {
  return normCdf(-0.5 * s);
}

export function inverseUpperMap(f: number): number {
  return -2 * inverseNormCdfApprox(f);
}
