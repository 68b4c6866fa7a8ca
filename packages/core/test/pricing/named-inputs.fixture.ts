/*
 * Type-level fixture for named-inputs.test.ts (never run). Every line after a `@ts-expect-error`
 * directive must fail to compile: `npm run typecheck` fails when one of them compiles (the directive is
 * then unused), and the test compiles this file without the directives and checks that exactly those
 * lines, and no others, have errors.
 */

import * as pricing from '../../src/pricing/index';
import {
  black76Greeks,
  black76Price,
  bsmGreeks,
  bsmPrice,
  impliedVolBlack76,
  impliedVolBsm,
  type OptionInputs,
  putCallParityGap,
} from '../../src/pricing/index';

const r = 0.05;
const q = 0.013;

export function namedCallsCompile(): number {
  const put: OptionInputs = {
    isCall: false,
    spot: 5000,
    strike: 4900,
    yearsToExpiry: 7 / 365,
    riskFreeRate: r,
    dividendYield: q,
    vol: 0.18,
  };
  const vixCall = { isCall: true, future: 18, strike: 25, yearsToExpiry: 0.1, riskFreeRate: r, vol: 1.1 };
  return (
    bsmPrice(put) +
    bsmGreeks(put).delta +
    black76Price(vixCall) +
    black76Greeks(vixCall).delta +
    (impliedVolBsm({ ...put, price: 20 }).iv ?? 0) +
    (impliedVolBlack76({ ...vixCall, price: 0.4 }).iv ?? 0) +
    putCallParityGap({ ...put, callPrice: 120, putPrice: 20 })
  );
}

export function swappedOrMisnamedCallsDoNot(): void {
  // @ts-expect-error the old positional call (isCall, S, K, T, r, q, sigma): r and q could swap silently
  bsmPrice(true, 5000, 4900, 7 / 365, q, r, 0.18);
  // @ts-expect-error positional Greeks
  bsmGreeks(false, 5000, 4900, 7 / 365, r, q, 0.18);
  // @ts-expect-error positional Black-76
  black76Price(true, 18, 25, 0.1, r, 1.1);
  // @ts-expect-error positional implied vol (price, isCall, S, K, T, r, q)
  impliedVolBsm(20, false, 5000, 4900, 7 / 365, r, q);
  // @ts-expect-error positional put-call parity (call, put, S, K, T, r, q)
  putCallParityGap(120, 20, 5000, 4900, 7 / 365, r, q);
  bsmPrice({
    isCall: false,
    spot: 5000,
    strike: 4900,
    yearsToExpiry: 7 / 365,
    // @ts-expect-error textbook letters are not the API's names (r, q instead of riskFreeRate, dividendYield)
    r,
    q,
    vol: 0.18,
  });
  // @ts-expect-error a missing input is an error, not a silent 0 or undefined
  bsmPrice({ isCall: false, spot: 5000, strike: 4900, yearsToExpiry: 7 / 365, riskFreeRate: r, vol: 0.18 });
  black76Price({
    isCall: true,
    future: 18,
    strike: 25,
    yearsToExpiry: 0.1,
    riskFreeRate: r,
    // @ts-expect-error Black-76 has no dividend yield: a BSM input cannot be priced as Black-76 by mistake
    dividendYield: q,
    vol: 1.1,
  });
  // @ts-expect-error an option on a future has no spot: Black-76 inputs are not BSM inputs
  bsmPrice({ isCall: true, future: 18, strike: 25, yearsToExpiry: 0.1, riskFreeRate: r, vol: 1.1 });
  bsmGreeks({
    // @ts-expect-error isCall is a boolean, not 1/0 or a number in the wrong place
    isCall: 1,
    spot: 5000,
    strike: 4900,
    yearsToExpiry: 0.1,
    riskFreeRate: r,
    dividendYield: q,
    vol: 0.2,
  });
}

export function kernelsStayInside(): void {
  // @ts-expect-error the positional kernels stay inside the pricing folder
  void pricing.generalizedGreeks;
  // @ts-expect-error the positional implied-vol kernels too
  void pricing.bsmImpliedVolRaw;
  // @ts-expect-error and the positional domain check
  void pricing.checkOptionDomain;
}
