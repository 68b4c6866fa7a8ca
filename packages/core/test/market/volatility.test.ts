import { describe, expect, it } from 'vitest';
import { HV_PERIOD, historicalVolatility, hv20, InvalidInputError, lastOf, zScore } from '../../src/index';
import { REAL_2024, SPX_CLOSES_2024, VIX_CLOSES_2024 } from './fixtures/real-2024';
import { definedFrom } from './helpers';

const AUG5 = REAL_2024.findIndex((r) => r[0] === '2024-08-05');

describe('HV20 (sample stdev of 20 daily log returns, x sqrt(252), vol points)', () => {
  it('is null for the first 20 closes and defined from the 21st', () => {
    const h = hv20(SPX_CLOSES_2024);
    expect(HV_PERIOD).toBe(20);
    expect(definedFrom(h)).toBe(20);
    expect(h.slice(0, 20).every((v) => v === null)).toBe(true);
  });

  it('matches an independent computation on real SPX closes (Python statistics.stdev)', () => {
    // Reference values computed outside this code base: 100 * statistics.stdev(log returns) * sqrt(252).
    const h = hv20(SPX_CLOSES_2024);
    expect(AUG5).toBe(148);
    expect(h[AUG5]).toBeCloseTo(19.465303461155685, 9); // 2024-08-05 (VIX spike day)
    expect(lastOf(h)).toBeCloseTo(14.679417621259086, 9); // 2024-12-31
  });

  it('is exactly 0 for constant log returns (closes doubling each day)', () => {
    const closes = Array.from({ length: 25 }, (_, i) => 2 ** i);
    const h = hv20(closes);
    expect(h.slice(20)).toEqual([0, 0, 0, 0, 0]);
  });

  it('is ~0 for a geometric series with a non-binary ratio', () => {
    const closes = Array.from({ length: 30 }, (_, i) => 4000 * Math.exp(0.003 * i));
    for (const v of hv20(closes).slice(20)) expect(v).toBeCloseTo(0, 9);
  });

  it('alternating +x / -x log returns give x * sqrt(20/19) * sqrt(252) * 100', () => {
    const x = 0.01;
    const closes = Array.from({ length: 41 }, (_, i) => (i % 2 === 0 ? 5000 : 5000 * Math.exp(x)));
    const expected = 100 * x * Math.sqrt(20 / 19) * Math.sqrt(252); // 16.2869...
    expect(expected).toBeCloseTo(16.28690142, 6);
    for (const v of hv20(closes).slice(20)) expect(v).toBeCloseTo(expected, 9);
  });

  it('a general period and annualisation follow the same definition', () => {
    // Returns ln2, 0, ln2 (closes 1,2,2,4): mean 2ln2/3, sample var = (ln2)^2/3, stdev ln2/sqrt(3).
    const h = historicalVolatility([1, 2, 2, 4], 3, 1);
    expect(h.slice(0, 3)).toEqual([null, null, null]);
    expect(h[3]).toBeCloseTo((100 * Math.LN2) / Math.sqrt(3), 12);
  });

  it('rejects a non-positive close naming its index, and a period below 2', () => {
    try {
      hv20([100, 101, 0, 102]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).field).toBe('closes[2]');
    }
    expect(() => historicalVolatility([1, 2, 3], 1)).toThrow(/period/);
    expect(() => historicalVolatility([1, 2, 3], 2, 0)).toThrow(/periodsPerYear/);
  });
});

describe('zScore (rolling, window includes the current value)', () => {
  it('matches an independent computation for the VIX on 2024-08-05', () => {
    // Python: (v - mean(w)) / statistics.stdev(w) and / statistics.pstdev(w), w = last 20 closes.
    expect(zScore(VIX_CLOSES_2024)[AUG5]).toBeCloseTo(3.7525125997773814, 10);
    expect(zScore(VIX_CLOSES_2024, 20, { stdev: 'population' })[AUG5]).toBeCloseTo(3.8499966932983756, 10);
  });

  it('hand example: window [1, 2, 3] -> z of 3 is (3 - 2) / 1 = 1 (sample stdev 1)', () => {
    expect(zScore([1, 2, 3], 3)).toEqual([null, null, 1]);
  });

  it('is null during warm-up (default lookback 20)', () => {
    expect(definedFrom(zScore(VIX_CLOSES_2024))).toBe(19);
  });

  it('is 0, not NaN, for a window without variance', () => {
    expect(zScore([0.1, 0.1, 0.1, 0.1, 0.1], 3).slice(2)).toEqual([0, 0, 0]);
    expect(zScore([17.95, 17.95, 17.95], 3)[2]).toBe(0);
  });

  it('rejects a lookback below 2', () => {
    expect(() => zScore([1, 2, 3], 1)).toThrow(/lookback/);
  });
});
