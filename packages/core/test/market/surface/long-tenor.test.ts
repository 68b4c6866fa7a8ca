import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildVolSurface,
  butterflyViolations,
  CALIBRATED_LONG_TENOR_PARAMS,
  CALIBRATED_SURFACE_PARAMS,
  calendarViolations,
  InvalidInputError,
  type IsoDate,
  LONG_FACTOR_MAX,
  LONG_FACTOR_MIN,
  longAtmFactorOf,
  ModelledChainSource,
  type SurfaceInputs,
} from '../../../src/index';

/*
 * The one-month-and-longer regime (long-tenor.ts): options up to blendFromDays keep the short
 * regime exactly; the 30-day-and-longer index nodes take the long factor; linear total variance
 * between; no calendar or butterfly arbitrage.
 */

const BASE: SurfaceInputs = {
  spot: 2700,
  r: 0.015,
  q: 0.018,
  vix9d: 12,
  vix: 14,
  vix3m: 16,
  vix6m: 17,
  vix1y: 18,
  skew: 130,
};
const P = CALIBRATED_SURFACE_PARAMS;
const L = CALIBRATED_LONG_TENOR_PARAMS;

describe('long-tenor ATM factor', () => {
  it('is f0 + fLevel ln(VIX/20), clamped to [0.5, 1]', () => {
    const p = { atmFactor0: 0.8, atmFactorLevel: 0.05, blendFromDays: 14 };
    expect(longAtmFactorOf(p, 20)).toBeCloseTo(0.8, 15);
    expect(longAtmFactorOf(p, 40)).toBeCloseTo(0.8 + 0.05 * Math.log(2), 15);
    expect(longAtmFactorOf(p, 10)).toBeCloseTo(0.8 - 0.05 * Math.log(2), 15);
    expect(longAtmFactorOf({ ...p, atmFactorLevel: 1 }, 80)).toBe(LONG_FACTOR_MAX);
    expect(longAtmFactorOf({ ...p, atmFactorLevel: 1 }, 5)).toBe(LONG_FACTOR_MIN);
  });

  it('rises with the VIX, unlike the short factor fitted on the 2018 chain (0.96 x VIX at 10, 0.56 at 70)', () => {
    const at = (vix: number) => buildVolSurface({ spot: 1000, r: 0.02, q: 0.02, vix, skew: 125 });
    expect(at(70).longAtmFactor).toBeGreaterThan(at(10).longAtmFactor);
    expect(at(70).atmFactor).toBeLessThan(at(10).atmFactor);
    expect(at(10).atmFactor).toBeGreaterThan(0.95);
    expect(at(70).atmFactor).toBeLessThan(0.6);
  });

  it('rejects bad params naming the field', () => {
    expect(() => buildVolSurface(BASE, P, { ...L, blendFromDays: 30 })).toThrow(/blendFromDays/);
    expect(() => buildVolSurface(BASE, P, { ...L, atmFactor0: Number.NaN })).toThrow(InvalidInputError);
    expect(() => buildVolSurface(BASE, P, { ...L, atmFactor0: -1 })).toThrow(/atmFactor0/);
  });
});

describe('long-tenor regime on the surface', () => {
  const arb = fc.tuple(
    fc.double({ min: 9, max: 80, noNaN: true }),
    fc.double({ min: 100, max: 165, noNaN: true }),
    fc.double({ min: 0.7, max: 1.7, noNaN: true }),
    fc.double({ min: 0.7, max: 1.3, noNaN: true }),
  );
  const inputs = ([vix, skew, shortRatio, longRatio]: [number, number, number, number]): SurfaceInputs => ({
    spot: 2700,
    r: 0.02,
    q: 0.018,
    vix,
    vix9d: vix * shortRatio,
    vix3m: vix * longRatio,
    vix6m: vix * longRatio ** 1.5,
    vix1y: vix * longRatio ** 2,
    skew,
  });

  it('up to blendFromDays every vol equals the surface without the long regime (bit for bit)', () => {
    fc.assert(
      fc.property(arb, (a) => {
        const inp = inputs(a);
        const s = buildVolSurface(inp);
        const legacy = buildVolSurface(inp, P, null);
        expect(s.beta).toBe(legacy.beta);
        for (const d of [0.1, 0.5, 1, 2, 3, 7, 9, 11, 13.9, 14]) {
          const t = d / 365;
          for (const m of [0.8, 0.9, 0.95, 0.99, 1, 1.01, 1.05, 1.2]) {
            expect(s.impliedVol(2700 * m, t)).toBe(legacy.impliedVol(2700 * m, t));
          }
        }
      }),
      { numRuns: 40, seed: 14 },
    );
  });

  it('from 30 days the ATM vol is index x the long factor; linear total variance from the 14-day pivot', () => {
    const s = buildVolSurface(BASE);
    const legacy = buildVolSurface(BASE, P, null);
    expect(s.longAtmFactor).toBeCloseTo(longAtmFactorOf(L, BASE.vix), 15);
    expect(s.atmVol(30 / 365)).toBeCloseTo(0.14 * s.longAtmFactor, 12);
    expect(s.atmVol(93 / 365)).toBeCloseTo(0.16 * s.longAtmFactor, 12);
    const w14 = legacy.atmTotalVariance(14 / 365);
    const w30 = (0.14 * s.longAtmFactor) ** 2 * (30 / 365);
    expect(s.atmTotalVariance(14 / 365)).toBeCloseTo(w14, 15);
    expect(s.atmTotalVariance(22 / 365)).toBeCloseTo(w14 + 0.5 * (w30 - w14), 15);
  });

  it('no calendar or butterfly arbitrage across VIX 9-80, SKEW 100-165, curve shapes, blend tenors included', () => {
    const xs = Array.from({ length: 41 }, (_, i) => -1 + i * 0.04);
    const ts = [1, 9, 13, 14, 15, 18, 22, 26, 29, 30, 31, 45, 93, 184, 365].map((d) => d / 365);
    fc.assert(
      fc.property(arb, (a) => {
        const s = buildVolSurface(inputs(a));
        expect(calendarViolations(s, xs, ts)).toEqual([]);
        for (const t of [14, 20, 30, 45, 93, 365].map((d) => d / 365)) {
          const sd = s.atmVol(t) * Math.sqrt(t);
          const ks: number[] = [];
          for (let z = -6; z <= 6; z += 0.05) {
            const k = 2700 * Math.exp(z * sd);
            if (k >= 1350 && k <= 4050) ks.push(k);
          }
          expect(butterflyViolations(s, t, ks, 1e-9)).toEqual([]);
        }
      }),
      { numRuns: 60, seed: 20180205 },
    );
  });

  it('a long ATM curve above the short one caps the long wing scale only; total variance floored and blended', () => {
    // Short end far below the long end at high VIX: the long nodes' variance tightens Durrleman's cap.
    const inp: SurfaceInputs = { spot: 2700, r: 0.02, q: 0.02, vix: 80, vix9d: 40, vix3m: 80, skew: 160 };
    const s = buildVolSurface(inp, P, { atmFactor0: 1, atmFactorLevel: 0, blendFromDays: 14 });
    const legacy = buildVolSurface(inp, P, null);
    expect(s.beta).toBe(legacy.beta);
    expect(s.longBeta).toBeLessThan(s.beta);
    const x = -0.5;
    expect(s.varianceRatioAt(x, 10 / 365)).toBe(s.varianceRatio(x));
    const rShort = s.varianceRatio(x);
    const pivotW = s.atmTotalVariance(14 / 365) * rShort;
    const t45 = 45 / 365;
    const rLong = s.varianceRatioAt(x, t45);
    expect(rLong).toBeLessThan(rShort);
    expect(s.atmTotalVariance(t45) * rLong).toBeGreaterThanOrEqual(pivotW);
    // 22 days: halfway from the pivot's total variance to the 30-day one at the same x.
    const w30 = s.atmTotalVariance(30 / 365) * s.varianceRatioAt(x, 30 / 365);
    expect(s.atmTotalVariance(22 / 365) * s.varianceRatioAt(x, 22 / 365)).toBeCloseTo(
      0.5 * (pivotW + w30),
      14,
    );
    for (const t of [30, 93, 365].map((d) => d / 365)) {
      const sd = s.atmVol(t) * Math.sqrt(t);
      const ks = Array.from({ length: 200 }, (_, i) => 2700 * Math.exp((-5 + i * 0.05) * sd)).filter(
        (k) => k > 1350 && k < 4050,
      );
      expect(butterflyViolations(s, t, ks, 1e-9)).toEqual([]);
    }
  });

  it('the long smile: steeper put wing than the short one at VIX 10 relative to ATM, flatter at VIX 40; floor binds only where the long smile is far below', () => {
    const at = (vix: number) =>
      buildVolSurface({ spot: 2700, r: 0.02, q: 0.015, vix, vix9d: vix * 0.9, vix3m: vix * 1.1, skew: 130 });
    const x = -0.6; // about a 0.05-delta one-month put
    const lo = at(10);
    const hi = at(40);
    expect(lo.varianceRatioAt(x, 45 / 365)).toBeGreaterThan(lo.varianceRatio(x));
    expect(hi.varianceRatioAt(x, 45 / 365)).toBeLessThan(hi.varianceRatio(x));
    expect(L.smile).toBeDefined();
  });
});

describe('modelled chains with and without the long regime', () => {
  const inputs = () => ({ ...BASE, vix1d: undefined });
  const mk = (longTenor?: null) =>
    new ModelledChainSource({ inputs: inputs, ...(longTenor === null ? { longTenor: null } : {}) });
  it('1-7 trading-day chains are identical; a one-month chain differs by the long factor', () => {
    const a = mk();
    const b = mk(null);
    const d = '2018-01-08' as IsoDate;
    const exps = a.expirations(d);
    let checkedShort = 0;
    let checkedLong = 0;
    for (const e of exps) {
      const days = (Date.parse(e) - Date.parse(d)) / 86_400_000;
      const ca = a.chain(d, e)!;
      const cb = b.chain(d, e)!;
      if (days <= 14) {
        expect(Array.from(ca.putBid)).toEqual(Array.from(cb.putBid));
        expect(Array.from(ca.callIv)).toEqual(Array.from(cb.callIv));
        checkedShort++;
      } else if (days >= 30 && days <= 60) {
        const i = ca.strikes.indexOf(2700);
        const j = cb.strikes.indexOf(2700);
        expect(ca.callIv[i]!).not.toBe(cb.callIv[j]!);
        checkedLong++;
      }
    }
    expect(checkedShort).toBeGreaterThan(3);
    expect(checkedLong).toBeGreaterThan(0);
  });
});
