import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  black76Greeks,
  black76Price,
  bsmGreeks,
  bsmPrice,
  InvalidInputError,
  impliedVolBsm,
  putCallParityGap,
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
const option = fc.record({
  S: spot,
  m: moneyness,
  T: years,
  r: rate,
  q: yieldQ,
  sigma: vol,
  isCall: fc.boolean(),
});

const RUNS = { numRuns: 2000 };

describe('pricing properties', () => {
  it('put-call parity holds to rounding: C - P = S e^{-qT} - K e^{-rT}', () => {
    fc.assert(
      fc.property(option, ({ S, m, T, r, q, sigma }) => {
        const K = S * m;
        const c = bsmPrice(true, S, K, T, r, q, sigma);
        const p = bsmPrice(false, S, K, T, r, q, sigma);
        expect(Math.abs(putCallParityGap(c, p, S, K, T, r, q))).toBeLessThanOrEqual(1e-12 * (S + K));
      }),
      RUNS,
    );
  });

  it('prices respect no-arbitrage bounds and are never NaN', () => {
    fc.assert(
      fc.property(option, ({ S, m, T, r, q, sigma, isCall }) => {
        const K = S * m;
        const v = bsmPrice(isCall, S, K, T, r, q, sigma);
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
      fc.property(option, ({ S, m, T, sigma }) => {
        const K = S * m;
        const slack = 1e-12 * (S + K);
        const up = S * 1.01;
        expect(bsmPrice(true, up, K, T, 0.03, 0.01, sigma)).toBeGreaterThanOrEqual(
          bsmPrice(true, S, K, T, 0.03, 0.01, sigma) - slack,
        );
        expect(bsmPrice(false, up, K, T, 0.03, 0.01, sigma)).toBeLessThanOrEqual(
          bsmPrice(false, S, K, T, 0.03, 0.01, sigma) + slack,
        );
        for (const isCall of [true, false]) {
          expect(bsmPrice(isCall, S, K, T, 0.03, 0.01, sigma * 1.05)).toBeGreaterThanOrEqual(
            bsmPrice(isCall, S, K, T, 0.03, 0.01, sigma) - slack,
          );
          expect(bsmPrice(isCall, S, K, T * 1.1, 0, 0, sigma)).toBeGreaterThanOrEqual(
            bsmPrice(isCall, S, K, T, 0, 0, sigma) - slack,
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
          const g = bsmGreeks(isCall, S, K, T, r, q, sigma);
          const P = (s = S, t = T, rr = r, v = sigma) => bsmPrice(isCall, s, K, t, rr, q, v);
          const D = (s = S, t = T, v = sigma) => bsmGreeks(isCall, s, K, t, r, q, v).delta;
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
      fc.property(option, ({ S, m, T, r, sigma, isCall }) => {
        const K = S * m;
        const a = black76Greeks(isCall, S, K, T, r, sigma);
        const b = bsmGreeks(isCall, S, K, T, r, r, sigma);
        expect(Math.abs(a.price - b.price)).toBeLessThanOrEqual(1e-12 * S);
        expect(Math.abs(a.delta - b.delta)).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(a.theta - b.theta)).toBeLessThanOrEqual(1e-9 * (Math.abs(b.theta) + S));
        expect(black76Price(isCall, S, K, T, r, sigma)).toBe(a.price);
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
          const g = bsmGreeks(isCall, S, K, T, r, q, sigma);
          for (const v of Object.values(g)) expect(Number.isNaN(v)).toBe(false);
          const iv = impliedVolBsm(g.price, isCall, S, K, T, r, q);
          if (iv.iv !== null) expect(Number.isFinite(iv.iv)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('rejects invalid inputs with an error naming the field', () => {
    const cases: Array<[string, () => unknown]> = [
      ['T', () => bsmPrice(true, 100, 100, -0.1, 0.01, 0, 0.2)],
      ['sigma', () => bsmPrice(true, 100, 100, 0.5, 0.01, 0, 0)],
      ['sigma', () => bsmPrice(true, 100, 100, 0.5, 0.01, 0, -0.2)],
      ['S', () => bsmPrice(true, Number.NaN, 100, 0.5, 0.01, 0, 0.2)],
      ['K', () => bsmPrice(true, 100, Number.POSITIVE_INFINITY, 0.5, 0.01, 0, 0.2)],
      ['r', () => bsmGreeks(false, 100, 100, 0.5, Number.NaN, 0, 0.2)],
      ['q', () => bsmGreeks(false, 100, 100, 0.5, 0.01, Number.NEGATIVE_INFINITY, 0.2)],
      ['F', () => black76Price(true, 0, 100, 0.5, 0.01, 0.2)],
      ['price', () => impliedVolBsm(Number.NaN, true, 100, 100, 0.5, 0.01, 0)],
      ['T', () => impliedVolBsm(1, true, 100, 100, -1, 0.01, 0)],
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
    expect(bsmPrice(true, 105, 100, 0, 0.05, 0.01, 0.2)).toBe(5);
    expect(bsmPrice(false, 105, 100, 0, 0.05, 0.01, 0.2)).toBe(0);
    expect(bsmGreeks(false, 95, 100, 0, 0.05, 0.01, 0.2).delta).toBe(-1);
  });
});
