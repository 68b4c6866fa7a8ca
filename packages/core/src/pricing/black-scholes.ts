import { InvalidInputError } from '../domain/errors';
import { emptyGreeks, type Greeks, generalizedGreeks, validateOptionInputs } from './greeks';

/*
 * Black-Scholes-Merton on a spot with a continuous dividend yield, and Black-76 on a futures price.
 * T in years, r and q continuously compounded per year, sigma as a decimal per sqrt(year).
 */

const scratch = emptyGreeks();

/** BSM price of a European option on a spot S paying a continuous yield q. */
export function bsmPrice(
  isCall: boolean,
  S: number,
  K: number,
  T: number,
  r: number,
  q: number,
  sigma: number,
): number {
  validateOptionInputs(S, K, T, r, q, sigma);
  return generalizedGreeks(isCall, S, K, T, r, r - q, sigma, false, scratch).price;
}

/** BSM price and all Greeks; writes into `out` when given (no allocation). */
export function bsmGreeks(
  isCall: boolean,
  S: number,
  K: number,
  T: number,
  r: number,
  q: number,
  sigma: number,
  out: Greeks = emptyGreeks(),
): Greeks {
  validateOptionInputs(S, K, T, r, q, sigma);
  return generalizedGreeks(isCall, S, K, T, r, r - q, sigma, false, out);
}

/** Black-76 price of a European option on a futures price F, discounted at r. */
export function black76Price(
  isCall: boolean,
  F: number,
  K: number,
  T: number,
  r: number,
  sigma: number,
): number {
  validateOptionInputs(F, K, T, r, 0, sigma, 'F');
  return generalizedGreeks(isCall, F, K, T, r, 0, sigma, true, scratch).price;
}

/** Black-76 price and all Greeks (delta and gamma with respect to F; rho with F held fixed, = -T * price). */
export function black76Greeks(
  isCall: boolean,
  F: number,
  K: number,
  T: number,
  r: number,
  sigma: number,
  out: Greeks = emptyGreeks(),
): Greeks {
  validateOptionInputs(F, K, T, r, 0, sigma, 'F');
  return generalizedGreeks(isCall, F, K, T, r, 0, sigma, true, out);
}

/** Forward price of a spot paying a continuous yield: F = S e^{(r-q)T}. */
export function forwardPrice(S: number, T: number, r: number, q: number): number {
  return S * Math.exp((r - q) * T);
}

/** Discount factor e^{-rT}. */
export function discountFactor(T: number, r: number): number {
  return Math.exp(-r * T);
}

/**
 * Put-call parity residual C - P - (S e^{-qT} - K e^{-rT}); zero for consistent European prices.
 * Use it to check quotes or to back out one leg from the other.
 */
export function putCallParityGap(
  call: number,
  put: number,
  S: number,
  K: number,
  T: number,
  r: number,
  q: number,
): number {
  return call - put - (S * Math.exp(-q * T) - K * Math.exp(-r * T));
}

/** Put price implied by a call price through parity. */
export function putFromCall(call: number, S: number, K: number, T: number, r: number, q: number): number {
  return call - S * Math.exp(-q * T) + K * Math.exp(-r * T);
}

/** Call price implied by a put price through parity. */
export function callFromPut(put: number, S: number, K: number, T: number, r: number, q: number): number {
  return put + S * Math.exp(-q * T) - K * Math.exp(-r * T);
}

/**
 * Forward implied by a call and put at the same strike: F = K + (C - P) e^{rT}. Used to read the
 * market's forward (and so its implied dividend yield) off a chain, as Cboe's VIX method does.
 */
export function impliedForward(call: number, put: number, K: number, T: number, r: number): number {
  if (!(T >= 0)) throw new InvalidInputError(`T = ${T} must be >= 0`, 'T', 'pass years to expiry');
  return K + (call - put) * Math.exp(r * T);
}
