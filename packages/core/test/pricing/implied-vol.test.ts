import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bsmGreeks,
  bsmPrice,
  IV_STATUS_CODE,
  impliedVolBlack76,
  impliedVolBsm,
  impliedVolBsmBatch,
  normalisedBlackCall,
  normalisedImpliedVolOtm,
} from '../../src/index';

/**
 * "Carries information": a 1e-10 change of vol moves the price by more than 64 ulps of the price
 * (and of the intrinsic value it sits on), so the double price can still tell the two vols apart.
 */
function informative(price: number, vega: number, intrinsic: number, scale: number): boolean {
  const knownTo = intrinsic > 0 ? 64 * Number.EPSILON * scale : 64 * Number.EPSILON * price;
  return vega * 1e-10 > knownTo && price > 1e-280;
}

describe('implied volatility', () => {
  it('round-trips to 1e-10 in vol wherever the price carries information (fast-check, 0DTE to 2y)', () => {
    let informativeCases = 0;
    fc.assert(
      fc.property(
        fc.double({ min: 500, max: 7000, noNaN: true }),
        fc.double({ min: 0.5, max: 1.5, noNaN: true }),
        fc.oneof(
          fc.integer({ min: 1, max: 24 * 60 }).map((m) => m / 525_600),
          fc.double({ min: 1 / 365, max: 2, noNaN: true }),
        ),
        fc.double({ min: 0, max: 0.06, noNaN: true }),
        fc.double({ min: 0, max: 0.03, noNaN: true }),
        fc.double({ min: 0.05, max: 1.5, noNaN: true }),
        fc.boolean(),
        (S, m, T, r, q, sigma, isCall) => {
          const K = Math.round((S * m) / 5) * 5 || 5;
          const o = { isCall, spot: S, strike: K, yearsToExpiry: T, riskFreeRate: r, dividendYield: q };
          const g = bsmGreeks({ ...o, vol: sigma });
          const res = impliedVolBsm({ ...o, price: g.price });
          expect(['ok', 'no-vega']).toContain(res.status);
          const fwdS = S * Math.exp(-q * T);
          const disK = K * Math.exp(-r * T);
          const intrinsic = Math.max(isCall ? fwdS - disK : disK - fwdS, 0);
          if (informative(g.price, g.vega, intrinsic, Math.max(S, K))) {
            informativeCases++;
            expect(res.status).toBe('ok');
            expect(Math.abs((res.iv as number) - sigma)).toBeLessThanOrEqual(1e-10);
          }
        },
      ),
      { numRuns: 20_000 },
    );
    expect(informativeCases).toBeGreaterThan(8_000);
  });

  it('solves sub-penny 0DTE SPX wings to 1e-10 (S 5000, 30 minutes, strikes 20-150 points out)', () => {
    const S = 5000;
    const T = 30 / 525_600;
    for (const sigma of [0.08, 0.12, 0.2, 0.35]) {
      for (let dist = 20; dist <= 150; dist += 5) {
        for (const isCall of [true, false]) {
          const K = isCall ? S + dist : S - dist;
          const o = {
            isCall,
            spot: S,
            strike: K,
            yearsToExpiry: T,
            riskFreeRate: 0.05,
            dividendYield: 0.013,
          };
          const g = bsmGreeks({ ...o, vol: sigma });
          if (!informative(g.price, g.vega, 0, S)) continue;
          const res = impliedVolBsm({ ...o, price: g.price });
          expect(res.status).toBe('ok');
          expect(Math.abs((res.iv as number) - sigma)).toBeLessThanOrEqual(1e-10);
        }
      }
    }
    // A 0.05 bid 25 points out with 30 minutes left is a real 0DTE quote: its vol is well defined.
    const bid = {
      isCall: false,
      spot: 5000,
      strike: 4975,
      yearsToExpiry: T,
      riskFreeRate: 0.05,
      dividendYield: 0.013,
    };
    const res = impliedVolBsm({ ...bid, price: 0.05 });
    expect(res.status).toBe('ok');
    expect(bsmPrice({ ...bid, vol: res.iv as number })).toBeCloseTo(0.05, 12);
  });

  it('is exact on the normalised function across the wings (x, s grid)', () => {
    for (const x of [-1e-8, -1e-4, -0.01, -0.1, -0.5, -1, -3, -8]) {
      for (const s of [1e-4, 1e-3, 0.01, 0.05, 0.1, 0.3, 1, 2, 4]) {
        const beta = normalisedBlackCall(x, s);
        if (!(beta > 1e-280) || beta >= Math.exp(0.5 * x) * (1 - 1e-14)) continue;
        const got = normalisedImpliedVolOtm(beta, x);
        expect(Math.abs(got - s) / s, `x=${x} s=${s}`).toBeLessThan(1e-12);
      }
    }
  });

  it('reports below-intrinsic, above-max and no-vega instead of NaN', () => {
    // Call on S 100 K 90, no rates: intrinsic 10
    const noRates = { spot: 100, yearsToExpiry: 0.5, riskFreeRate: 0, dividendYield: 0 };
    const call90 = { ...noRates, isCall: true, strike: 90 };
    expect(impliedVolBsm({ ...call90, price: 9.5 })).toEqual({ iv: null, status: 'below-intrinsic' });
    expect(impliedVolBsm({ ...call90, price: 100 })).toEqual({ iv: null, status: 'above-max' });
    expect(impliedVolBsm({ ...call90, isCall: false, price: 95 })).toEqual({ iv: null, status: 'above-max' });
    expect(impliedVolBsm({ ...call90, price: 10 })).toEqual({ iv: null, status: 'no-vega' });
    expect(impliedVolBsm({ ...call90, strike: 110, price: 0 })).toEqual({ iv: null, status: 'no-vega' });
    expect(impliedVolBsm({ ...call90, strike: 100, yearsToExpiry: 0, price: 1 })).toEqual({
      iv: null,
      status: 'no-vega',
    });
    expect(impliedVolBsm({ ...noRates, isCall: false, strike: 110, price: -0.01 }).status).toBe(
      'below-intrinsic',
    );
    const vixCall = { isCall: true, future: 20, strike: 25, yearsToExpiry: 0.25, riskFreeRate: 0.03 };
    expect(impliedVolBlack76({ ...vixCall, price: 0.5 }).status).toBe('ok');
  });

  it('batch API equals the scalar API and marks failures in its status array', () => {
    const n = 500;
    const inp = {
      price: new Float64Array(n),
      isCall: new Uint8Array(n),
      S: new Float64Array(n),
      K: new Float64Array(n),
      T: new Float64Array(n),
      r: new Float64Array(n),
      q: new Float64Array(n),
    };
    let seed = 7;
    const rnd = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let i = 0; i < n; i++) {
      inp.S[i] = 1000 + 6000 * rnd();
      inp.K[i] = inp.S[i]! * (0.8 + 0.4 * rnd());
      inp.T[i] = (1 + 700 * rnd()) / 365;
      inp.r[i] = 0.05 * rnd();
      inp.q[i] = 0.02 * rnd();
      inp.isCall[i] = rnd() < 0.5 ? 1 : 0;
      inp.price[i] = bsmPrice({
        isCall: inp.isCall[i] === 1,
        spot: inp.S[i]!,
        strike: inp.K[i]!,
        yearsToExpiry: inp.T[i]!,
        riskFreeRate: inp.r[i]!,
        dividendYield: inp.q[i]!,
        vol: 0.1 + rnd(),
      });
    }
    inp.price[0] = -1; // below intrinsic
    const out = { iv: new Float64Array(n), status: new Uint8Array(n) };
    impliedVolBsmBatch(inp, out, n);
    expect(out.status[0]).toBe(IV_STATUS_CODE['below-intrinsic']);
    for (let i = 0; i < n; i++) {
      const s = impliedVolBsm({
        price: inp.price[i]!,
        isCall: inp.isCall[i] === 1,
        spot: inp.S[i]!,
        strike: inp.K[i]!,
        yearsToExpiry: inp.T[i]!,
        riskFreeRate: inp.r[i]!,
        dividendYield: inp.q[i]!,
      });
      if (s.iv === null) expect(Number.isNaN(out.iv[i]!)).toBe(true);
      else expect(out.iv[i]).toBe(s.iv);
    }
  });
});
