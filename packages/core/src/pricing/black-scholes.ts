import { InvalidInputError } from '../domain/errors';
import { emptyGreeks, type Greeks, generalizedGreeks } from './greeks';
import {
  BLACK76_FIELDS,
  type Black76Inputs,
  BSM_FIELDS,
  type CarryInputs,
  checkOptionDomain,
  type OptionInputs,
  type ParityInputs,
} from './inputs';

/*
 * Black-Scholes-Merton on a spot with a continuous dividend yield, and Black-76 on a futures price.
 * Inputs by name (see inputs.ts for the units): yearsToExpiry in years, riskFreeRate and dividendYield
 * continuously compounded per year, vol as a decimal per sqrt(year).
 */

const scratch = emptyGreeks();

/** BSM price of a European option on a spot paying a continuous dividend yield. */
export function bsmPrice(inputs: OptionInputs): number {
  const { isCall, spot, strike, yearsToExpiry, riskFreeRate, dividendYield, vol } = inputs;
  checkOptionDomain(spot, strike, yearsToExpiry, riskFreeRate, dividendYield, vol, BSM_FIELDS);
  const carry = riskFreeRate - dividendYield;
  return generalizedGreeks(isCall, spot, strike, yearsToExpiry, riskFreeRate, carry, vol, false, scratch)
    .price;
}

/** BSM price and all Greeks; writes into `out` when given (no allocation). */
export function bsmGreeks(inputs: OptionInputs, out: Greeks = emptyGreeks()): Greeks {
  const { isCall, spot, strike, yearsToExpiry, riskFreeRate, dividendYield, vol } = inputs;
  checkOptionDomain(spot, strike, yearsToExpiry, riskFreeRate, dividendYield, vol, BSM_FIELDS);
  const carry = riskFreeRate - dividendYield;
  return generalizedGreeks(isCall, spot, strike, yearsToExpiry, riskFreeRate, carry, vol, false, out);
}

/** Black-76 price of a European option on a futures price, discounted at the risk-free rate. */
export function black76Price(inputs: Black76Inputs): number {
  const { isCall, future, strike, yearsToExpiry, riskFreeRate, vol } = inputs;
  checkOptionDomain(future, strike, yearsToExpiry, riskFreeRate, 0, vol, BLACK76_FIELDS);
  return generalizedGreeks(isCall, future, strike, yearsToExpiry, riskFreeRate, 0, vol, true, scratch).price;
}

/** Black-76 price and all Greeks (delta and gamma with respect to the future; rho with it held fixed, = -T * price). */
export function black76Greeks(inputs: Black76Inputs, out: Greeks = emptyGreeks()): Greeks {
  const { isCall, future, strike, yearsToExpiry, riskFreeRate, vol } = inputs;
  checkOptionDomain(future, strike, yearsToExpiry, riskFreeRate, 0, vol, BLACK76_FIELDS);
  return generalizedGreeks(isCall, future, strike, yearsToExpiry, riskFreeRate, 0, vol, true, out);
}

/** Forward price of a spot paying a continuous yield: F = S e^{(r-q)T}. */
export function forwardPrice(inputs: CarryInputs): number {
  const { spot, yearsToExpiry, riskFreeRate, dividendYield } = inputs;
  return spot * Math.exp((riskFreeRate - dividendYield) * yearsToExpiry);
}

/** Discount factor e^{-rT}. */
export function discountFactor(inputs: Pick<CarryInputs, 'yearsToExpiry' | 'riskFreeRate'>): number {
  return Math.exp(-inputs.riskFreeRate * inputs.yearsToExpiry);
}

/**
 * Put-call parity residual C - P - (S e^{-qT} - K e^{-rT}); zero for consistent European prices.
 * Use it to check quotes or to back out one leg from the other.
 */
export function putCallParityGap(inputs: ParityInputs): number {
  const { callPrice, putPrice, spot, strike, yearsToExpiry: T, riskFreeRate, dividendYield } = inputs;
  return callPrice - putPrice - (spot * Math.exp(-dividendYield * T) - strike * Math.exp(-riskFreeRate * T));
}

/** Put price implied by a call price through parity. */
export function putFromCall(inputs: Omit<ParityInputs, 'putPrice'>): number {
  const { callPrice, spot, strike, yearsToExpiry: T, riskFreeRate, dividendYield } = inputs;
  return callPrice - spot * Math.exp(-dividendYield * T) + strike * Math.exp(-riskFreeRate * T);
}

/** Call price implied by a put price through parity. */
export function callFromPut(inputs: Omit<ParityInputs, 'callPrice'>): number {
  const { putPrice, spot, strike, yearsToExpiry: T, riskFreeRate, dividendYield } = inputs;
  return putPrice + spot * Math.exp(-dividendYield * T) - strike * Math.exp(-riskFreeRate * T);
}

/**
 * Forward implied by a call and put at the same strike: F = K + (C - P) e^{rT}. Used to read the
 * market's forward (and so its implied dividend yield) off a chain, as Cboe's VIX method does.
 */
export function impliedForward(inputs: Omit<ParityInputs, 'spot' | 'dividendYield'>): number {
  const { callPrice, putPrice, strike, yearsToExpiry, riskFreeRate } = inputs;
  if (!(yearsToExpiry >= 0))
    throw new InvalidInputError(
      `yearsToExpiry = ${yearsToExpiry} must be >= 0`,
      'yearsToExpiry',
      'pass years to expiry',
    );
  return strike + (callPrice - putPrice) * Math.exp(riskFreeRate * yearsToExpiry);
}
