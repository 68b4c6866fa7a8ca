// biome-ignore-all lint/correctness/noPrecisionLoss: reference values are printed to 17 significant digits as mpmath gives them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erf, erfc, erfcx, inverseNormCdf, normCdf, normPdf } from '../../src/index';

describe('normal distribution', () => {
  // Reference values: mpmath at 50 digits (ncdf), rounded to 17 significant digits.
  const table: Array<[number, number]> = [
    [0, 0.5],
    [-1, 0.15865525393145705],
    [-1.96, 0.024997895148220435],
    [-5, 2.8665157187919391e-7],
    [-10, 7.6198530241605261e-24],
    [-20, 2.7536241186062337e-89],
    [-30, 4.906713927148187e-198],
    [-37, 5.7255712225245768e-300],
    [1, 0.84134474606854295],
    [3, 0.9986501019683699],
  ];
  it('normCdf has full relative accuracy deep in the lower tail', () => {
    for (const [x, want] of table) {
      expect(Math.abs(normCdf(x) - want) / want, `N(${x})`).toBeLessThan(2e-14);
    }
  });

  it('erfc, erf and erfcx agree with each other and with known values', () => {
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erfc(3)).toBeCloseTo(2.209049699858544e-5, 19);
    expect(Math.abs(erfc(10) - 2.088487583762545e-45) / 2.088487583762545e-45).toBeLessThan(1e-14);
    expect(erfcx(30)).toBeCloseTo(0.018795888861416751, 15);
    fc.assert(
      fc.property(fc.double({ min: -5, max: 5, noNaN: true }), (z) => {
        expect(Math.abs(erf(z) + erfc(z) - 1)).toBeLessThan(1e-15);
        expect(Math.abs(erfcx(z) * Math.exp(-z * z) - erfc(z))).toBeLessThan(
          1e-14 * Math.max(erfc(z), 1e-300) + 1e-300,
        );
      }),
    );
  });

  it('normCdf is symmetric, monotone, and its derivative is normPdf', () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (x) => {
        expect(Math.abs(normCdf(x) + normCdf(-x) - 1)).toBeLessThan(1e-15);
        expect(normCdf(x + 1e-3)).toBeGreaterThanOrEqual(normCdf(x));
        const h = 1e-5;
        expect(Math.abs((normCdf(x + h) - normCdf(x - h)) / (2 * h) - normPdf(x))).toBeLessThan(1e-9);
      }),
    );
  });

  it('inverseNormCdf inverts normCdf to full precision, tails included', () => {
    for (const p of [1e-300, 1e-100, 1e-20, 1e-8, 0.001, 0.02425, 0.1, 0.5, 0.9, 0.975, 0.999999]) {
      const x = inverseNormCdf(p);
      expect(Math.abs(normCdf(x) - p) / p, `p=${p}`).toBeLessThan(1e-13);
    }
    expect(inverseNormCdf(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(inverseNormCdf(1)).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(inverseNormCdf(1.5))).toBe(true);
  });
});
