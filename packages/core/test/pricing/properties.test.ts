import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  black76Greeks,
  black76Price,
  bsmGreeks,
  bsmPrice,
  callFromPut,
  discountFactor,
  forwardPrice,
  InvalidInputError,
  impliedForward,
  impliedVolBsm,
  type OptionInputs,
  putCallParityGap,
  putFromCall,
} from '../../src/index';

/** Realistic SPX/VIX-like domain, including 0DTE (1 minute) to 2 years. */
const spot = fc.double({ min: 10, max: 7000, noNaN: true });
const moneyness = fc.double({ min: 0.6, max: 1.4, noNaN: true });
const years = fc.oneof(
  fc.integer({ min: 1, max: 24 * 60 }).map((m) => m / 525_600),
  fc.double({ min: 1 / 365, max: 2, noNaN: true }),
);
const rate = fc.double({ min: -0.01, max: 0.08, noNaN: true });
const yieldQ = fc.double({ min: 0, max: 0.04, noNaN: true });
const vol = fc.double({ min: 0.03, max: 2, noNaN: true });
const option: fc.Arbitrary<OptionInputs> = fc
  .record({
    spot,
    moneyness,
    yearsToExpiry: years,
    riskFreeRate: rate,
    dividendYield: yieldQ,
    vol,
    isCall: fc.boolean(),
  })
  .map(({ moneyness: m, ...o }) => ({ ...o, strike: o.spot * m }));

const RUNS = { numRuns: 2000 };

describe('pricing properties', () => {
  it('put-call parity holds to rounding: C - P = S e^{-qT} - K e^{-rT}', () => {
    fc.assert(
      fc.property(option, (o) => {
        const callPrice = bsmPrice({ ...o, isCall: true });
        const putPrice = bsmPrice({ ...o, isCall: false });
        const gap = putCallParityGap({ ...o, callPrice, putPrice });
        expect(Math.abs(gap)).toBeLessThanOrEqual(1e-12 * (o.spot + o.strike));
      }),
      RUNS,
    );
  });

  it('prices respect no-arbitrage bounds and are never NaN', () => {
    fc.assert(
      fc.property(option, (o) => {
        const { spot: S, strike: K, yearsToExpiry: T, riskFreeRate: r, dividendYield: q, isCall } = o;
        const v = bsmPrice(o);
        const fwdS = S * Math.exp(-q * T);
        const disK = K * Math.exp(-r * T);
        const lower = Math.max(isCall ? fwdS - disK : disK - fwdS, 0);
        const upper = isCall ? fwdS : disK;
        const slack = 1e-12 * (S + K);
        expect(Number.isNaN(v)).toBe(false);
        expect(v).toBeGreaterThanOrEqual(lower - slack);
        expect(v).toBeLessThanOrEqual(upper + slack);
      }),
      RUNS,
    );
  });

  it('calls rise and puts fall with S; both rise with sigma; both rise with T when r = q = 0', () => {
    fc.assert(
      fc.property(option, (o) => {
        const { spot: S, strike: K, yearsToExpiry: T, vol: sigma } = o;
        const slack = 1e-12 * (S + K);
        const up = S * 1.01;
        const carry = { ...o, riskFreeRate: 0.03, dividendYield: 0.01 };
        expect(bsmPrice({ ...carry, isCall: true, spot: up })).toBeGreaterThanOrEqual(
          bsmPrice({ ...carry, isCall: true }) - slack,
        );
        expect(bsmPrice({ ...carry, isCall: false, spot: up })).toBeLessThanOrEqual(
          bsmPrice({ ...carry, isCall: false }) + slack,
        );
        for (const isCall of [true, false]) {
          expect(bsmPrice({ ...carry, isCall, vol: sigma * 1.05 })).toBeGreaterThanOrEqual(
            bsmPrice({ ...carry, isCall }) - slack,
          );
          const noCarry = { ...o, isCall, riskFreeRate: 0, dividendYield: 0 };
          expect(bsmPrice({ ...noCarry, yearsToExpiry: T * 1.1 })).toBeGreaterThanOrEqual(
            bsmPrice(noCarry) - slack,
          );
        }
      }),
      RUNS,
    );
  });

  it('analytic Greeks match central finite differences of the price', () => {
    fc.assert(
      fc.property(
        fc.record({
          S: fc.double({ min: 50, max: 7000, noNaN: true }),
          m: fc.double({ min: 0.8, max: 1.2, noNaN: true }),
          T: fc.double({ min: 7 / 365, max: 2, noNaN: true }),
          r: rate,
          q: yieldQ,
          sigma: fc.double({ min: 0.08, max: 1, noNaN: true }),
          isCall: fc.boolean(),
        }),
        ({ S, m, T, r, q, sigma, isCall }) => {
          const K = S * m;
          const o = {
            isCall,
            spot: S,
            strike: K,
            yearsToExpiry: T,
            riskFreeRate: r,
            dividendYield: q,
            vol: sigma,
          };
          const g = bsmGreeks(o);
          const P = (s = S, t = T, rr = r, v = sigma) =>
            bsmPrice({ ...o, spot: s, yearsToExpiry: t, riskFreeRate: rr, vol: v });
          const D = (s = S, t = T, v = sigma) => bsmGreeks({ ...o, spot: s, yearsToExpiry: t, vol: v }).delta;
          const hS = S * 1e-4;
          const hT = T * 1e-4;
          const hV = 1e-4;
          const hR = 1e-5;
          const close = (got: number, want: number, scale: number) =>
            expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-5 * scale + 1e-4 * Math.abs(want));
          close(g.delta, (P(S + hS) - P(S - hS)) / (2 * hS), 1);
          close(g.gamma, (P(S + hS) - 2 * g.price + P(S - hS)) / (hS * hS), 1 / S);
          close(g.vega, (P(S, T, r, sigma + hV) - P(S, T, r, sigma - hV)) / (2 * hV), S);
          close(g.theta, -(P(S, T + hT) - P(S, T - hT)) / (2 * hT), S);
          close(g.rho, (P(S, T, r + hR) - P(S, T, r - hR)) / (2 * hR), S * T);
          close(g.vanna, (D(S, T, sigma + hV) - D(S, T, sigma - hV)) / (2 * hV), 1);
          close(g.volga, (P(S, T, r, sigma + hV) - 2 * g.price + P(S, T, r, sigma - hV)) / (hV * hV), S);
          close(g.charm, -(D(S, T + hT) - D(S, T - hT)) / (2 * hT), 1);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('Black-76 equals BSM with q = r on F (cost of carry zero)', () => {
    fc.assert(
      fc.property(option, ({ spot: S, strike, yearsToExpiry, riskFreeRate, vol, isCall }) => {
        const onFuture = { isCall, future: S, strike, yearsToExpiry, riskFreeRate, vol };
        const a = black76Greeks(onFuture);
        const b = bsmGreeks({
          isCall,
          spot: S,
          strike,
          yearsToExpiry,
          riskFreeRate,
          dividendYield: riskFreeRate,
          vol,
        });
        expect(Math.abs(a.price - b.price)).toBeLessThanOrEqual(1e-12 * S);
        expect(Math.abs(a.delta - b.delta)).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(a.theta - b.theta)).toBeLessThanOrEqual(1e-9 * (Math.abs(b.theta) + S));
        expect(black76Price(onFuture)).toBe(a.price);
      }),
      RUNS,
    );
  });

  it('never returns NaN for valid inputs, including extreme ones', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: -0.2, max: 0.5, noNaN: true }),
        fc.double({ min: -0.2, max: 0.5, noNaN: true }),
        fc.double({ min: 1e-4, max: 10, noNaN: true }),
        fc.boolean(),
        (S, K, T, r, q, sigma, isCall) => {
          const o = { isCall, spot: S, strike: K, yearsToExpiry: T, riskFreeRate: r, dividendYield: q };
          const g = bsmGreeks({ ...o, vol: sigma });
          for (const v of Object.values(g)) expect(Number.isNaN(v)).toBe(false);
          const iv = impliedVolBsm({ ...o, price: g.price });
          if (iv.iv !== null) expect(Number.isFinite(iv.iv)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('rejects invalid inputs with an error naming the field', () => {
    const ok: OptionInputs = {
      isCall: true,
      spot: 100,
      strike: 100,
      yearsToExpiry: 0.5,
      riskFreeRate: 0.01,
      dividendYield: 0,
      vol: 0.2,
    };
    const { spot: _s, dividendYield: _q, ...okFuture } = { ...ok, future: 100 };
    const { vol: _v, ...okIv } = { ...ok, price: 1 };
    const cases: Array<[string, () => unknown]> = [
      ['yearsToExpiry', () => bsmPrice({ ...ok, yearsToExpiry: -0.1 })],
      ['vol', () => bsmPrice({ ...ok, vol: 0 })],
      ['vol', () => bsmPrice({ ...ok, vol: -0.2 })],
      ['spot', () => bsmPrice({ ...ok, spot: Number.NaN })],
      ['strike', () => bsmPrice({ ...ok, strike: Number.POSITIVE_INFINITY })],
      ['riskFreeRate', () => bsmGreeks({ ...ok, isCall: false, riskFreeRate: Number.NaN })],
      ['dividendYield', () => bsmGreeks({ ...ok, isCall: false, dividendYield: Number.NEGATIVE_INFINITY })],
      ['future', () => black76Price({ ...okFuture, future: 0 })],
      ['vol', () => black76Greeks({ ...okFuture, vol: Number.NaN })],
      ['price', () => impliedVolBsm({ ...okIv, price: Number.NaN })],
      ['yearsToExpiry', () => impliedVolBsm({ ...okIv, yearsToExpiry: -1 })],
      ['dividendYield', () => impliedVolBsm({ ...okIv, dividendYield: Number.NaN })],
      [
        'yearsToExpiry',
        () => impliedForward({ callPrice: 1, putPrice: 1, strike: 100, yearsToExpiry: -1, riskFreeRate: 0 }),
      ],
    ];
    for (const [field, fn] of cases) {
      let caught: unknown;
      try {
        fn();
      } catch (err) {
        caught = err;
      }
      expect(caught, field).toBeInstanceOf(InvalidInputError);
      expect((caught as InvalidInputError).field).toBe(field);
    }
  });

  it('at expiry (T = 0) an option is worth its intrinsic value', () => {
    const atExpiry = { strike: 100, yearsToExpiry: 0, riskFreeRate: 0.05, dividendYield: 0.01, vol: 0.2 };
    expect(bsmPrice({ ...atExpiry, isCall: true, spot: 105 })).toBe(5);
    expect(bsmPrice({ ...atExpiry, isCall: false, spot: 105 })).toBe(0);
    expect(bsmGreeks({ ...atExpiry, isCall: false, spot: 95 }).delta).toBe(-1);
  });

  it('parity helpers invert each other and read the forward and discount factor off BSM prices', () => {
    fc.assert(
      fc.property(option, (o) => {
        const callPrice = bsmPrice({ ...o, isCall: true });
        const putPrice = bsmPrice({ ...o, isCall: false });
        const scale = 1e-12 * (o.spot + o.strike);
        expect(Math.abs(putFromCall({ ...o, callPrice }) - putPrice)).toBeLessThanOrEqual(scale);
        expect(Math.abs(callFromPut({ ...o, putPrice }) - callPrice)).toBeLessThanOrEqual(scale);
        // F = K + (C - P) e^{rT} against F = S e^{(r-q)T}; the rate alone discounts, the yield only
        // carries, so a helper that mixed them up fails here (the generator draws r != q).
        const forward = forwardPrice(o);
        const growth = 1 / discountFactor(o);
        expect(Math.abs(impliedForward({ ...o, callPrice, putPrice }) - forward)).toBeLessThanOrEqual(
          1e-12 * (o.spot + o.strike) * growth,
        );
        // And e^{-rT} from parity: K e^{-rT} = S e^{-qT} - (C - P).
        const fromParity =
          (o.spot * Math.exp(-o.dividendYield * o.yearsToExpiry) - (callPrice - putPrice)) / o.strike;
        expect(Math.abs(discountFactor(o) - fromParity)).toBeLessThanOrEqual(1e-11 * (1 + o.spot / o.strike));
      }),
      RUNS,
    );
  });
});
