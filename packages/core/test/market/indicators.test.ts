import { describe, expect, it } from 'vitest';
import {
  approxSessionVwapFromDailyBar,
  approxSessionVwapSeries,
  ema,
  emaAlpha,
  InvalidInputError,
  lastOf,
  macd,
  ratioOrNull,
  ratioSeries,
  rsi,
  sma,
  termStructureRatios,
} from '../../src/index';
import { REAL_2024, SPX_CLOSES_2024 } from './fixtures/real-2024';
import { definedFrom } from './helpers';

describe('sma', () => {
  it('averages each full window and is null during warm-up', () => {
    expect(sma([1, 2, 3, 4, 5], 3)).toEqual([null, null, 2, 3, 4]);
  });
  it('accepts a Float64Array', () => {
    expect(sma(new Float64Array([2, 4, 6, 8]), 2)).toEqual([null, 3, 5, 7]);
  });
  it('period 1 is the input itself', () => {
    expect(sma([5, 7, 9], 1)).toEqual([5, 7, 9]);
  });
  it('is all null when there is less history than the period', () => {
    expect(sma([1, 2], 3)).toEqual([null, null]);
    expect(sma([], 3)).toEqual([]);
  });
  it('rejects a non-integer or zero period, naming it', () => {
    expect(() => sma([1, 2, 3], 0)).toThrow(InvalidInputError);
    expect(() => sma([1, 2, 3], 2.5)).toThrow(/period/);
  });
  it('rejects NaN and Infinity, naming the index', () => {
    try {
      sma([1, 2, Number.NaN, 4], 2);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).field).toBe('values[2]');
    }
    expect(() => sma([1, Number.POSITIVE_INFINITY], 1)).toThrow(/values\[1\]/);
  });
});

describe('ema (alpha 2/(n+1), seeded by the SMA of the first n values)', () => {
  it('alpha is 2/(n+1)', () => {
    expect(emaAlpha(3)).toBe(0.5);
    expect(emaAlpha(12)).toBeCloseTo(2 / 13, 15);
  });
  it('matches a hand computation', () => {
    // seed (2+4+6)/3 = 4 at index 2; then 8*0.5 + 4*0.5 = 6; then 3*0.5 + 6*0.5 = 4.5
    expect(ema([2, 4, 6, 8, 3], 3)).toEqual([null, null, 4, 6, 4.5]);
  });
  it('its first value equals the SMA of the first n values', () => {
    const e = ema(SPX_CLOSES_2024, 20);
    const s = sma(SPX_CLOSES_2024, 20);
    expect(definedFrom(e)).toBe(19);
    expect(e[19]).toBe(s[19]);
  });
  it('of a constant series is that constant', () => {
    expect(ema([7, 7, 7, 7, 7, 7], 3).slice(2)).toEqual([7, 7, 7, 7]);
  });
});

describe('rsi (Wilder, 14)', () => {
  // StockCharts ChartSchool "Relative Strength Index (RSI)" worked example (Wilder's smoothing).
  const closes = [
    44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826, 45.8931,
    46.0328, 45.614, 46.282, 46.282, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439, 46.2122, 46.2521, 45.7137,
    46.4515, 45.7835, 45.3548, 44.0288, 44.1783, 44.2181, 44.5672, 43.4205, 42.6628, 43.1314,
  ];
  const published = [
    70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42, 39.99, 41.46, 41.87,
    45.46, 37.3, 33.08, 37.77,
  ];

  it('reproduces the published StockCharts table to 2 decimals', () => {
    const r = rsi(closes);
    expect(r.slice(0, 14)).toEqual(new Array(14).fill(null));
    const got = r.slice(14).map((v) => Math.round((v as number) * 100) / 100);
    expect(got).toEqual(published);
  });

  it('matches a small hand computation (period 2)', () => {
    // changes +1, -1, +2. Seed avgGain = avgLoss = 0.5 -> 50.
    // Next: avgGain = 0.5 + (2 - 0.5)/2 = 1.25, avgLoss = 0.5 + (0 - 0.5)/2 = 0.25 -> RS 5 -> 100 - 100/6.
    const r = rsi([1, 2, 1, 3], 2);
    expect(r[0]).toBeNull();
    expect(r[1]).toBeNull();
    expect(r[2]).toBe(50);
    expect(r[3]).toBeCloseTo(100 - 100 / 6, 12);
  });

  it('is 100 when there are only gains, 0 with only losses, 50 when flat', () => {
    expect(lastOf(rsi([1, 2, 3, 4, 5, 6], 3))).toBe(100);
    expect(lastOf(rsi([6, 5, 4, 3, 2, 1], 3))).toBe(0);
    expect(lastOf(rsi([3, 3, 3, 3, 3], 3))).toBe(50);
  });
});

describe('macd (12/26/9, SMA-seeded EMAs)', () => {
  it('matches a hand computation with periods 2/3/2', () => {
    const x = [1, 3, 2, 6, 4];
    // EMA2 (alpha 2/3): seed (1+3)/2 = 2 @1; @2: 2*(2/3) + 2/3 = 2; @3: 6*(2/3) + 2/3 = 14/3; @4: 4*(2/3) + 14/9 = 38/9
    // EMA3 (alpha 1/2): seed (1+3+2)/3 = 2 @2; @3: 3 + 1 = 4; @4: 2 + 2 = 4
    // MACD @2: 0; @3: 14/3 - 4 = 2/3; @4: 38/9 - 4 = 2/9
    // signal (EMA2 of MACD, seeded by mean of its first 2 values): @3: (0 + 2/3)/2 = 1/3; @4: (2/9)(2/3) + (1/3)(1/3) = 7/27
    const r = macd(x, { fast: 2, slow: 3, signal: 2 });
    expect(r.macd[0]).toBeNull();
    expect(r.macd[1]).toBeNull();
    expect(r.macd[2]).toBeCloseTo(0, 14);
    expect(r.macd[3]).toBeCloseTo(2 / 3, 14);
    expect(r.macd[4]).toBeCloseTo(2 / 9, 14);
    expect(r.signal.slice(0, 3)).toEqual([null, null, null]);
    expect(r.signal[3]).toBeCloseTo(1 / 3, 14);
    expect(r.signal[4]).toBeCloseTo(7 / 27, 14);
    expect(r.histogram[3]).toBeCloseTo(2 / 3 - 1 / 3, 14);
    expect(r.histogram[4]).toBeCloseTo(2 / 9 - 7 / 27, 14);
  });

  it('has the documented warm-up for 12/26/9 (MACD from 25, signal and histogram from 33)', () => {
    const r = macd(SPX_CLOSES_2024);
    expect(definedFrom(r.macd)).toBe(25);
    expect(definedFrom(r.signal)).toBe(33);
    expect(definedFrom(r.histogram)).toBe(33);
    const i = SPX_CLOSES_2024.length - 1;
    expect(r.histogram[i]).toBeCloseTo((r.macd[i] as number) - (r.signal[i] as number), 12);
  });

  it('MACD line is EMA(12) - EMA(26)', () => {
    const r = macd(SPX_CLOSES_2024);
    const f = ema(SPX_CLOSES_2024, 12);
    const s = ema(SPX_CLOSES_2024, 26);
    for (let i = 25; i < SPX_CLOSES_2024.length; i++) {
      expect(r.macd[i]).toBe((f[i] as number) - (s[i] as number));
    }
  });

  it('signal line is the SMA-seeded EMA(9) of the defined MACD line', () => {
    const r = macd(SPX_CLOSES_2024);
    const line = r.macd.slice(25) as number[];
    const sig = ema(line, 9);
    for (let j = 0; j < line.length; j++) expect(r.signal[j + 25]).toBe(sig[j]);
  });

  it('is all null on a short series and rejects fast >= slow', () => {
    const r = macd([1, 2, 3]);
    expect(r.macd).toEqual([null, null, null]);
    expect(r.signal).toEqual([null, null, null]);
    expect(() => macd([1, 2, 3], { fast: 26, slow: 12 })).toThrow(/fast/);
  });
});

describe('term-structure ratios', () => {
  it('computes VIX9D/VIX and VIX/VIX3M', () => {
    const r = termStructureRatios({ vix9d: 15, vix: 18, vix3m: 20 });
    expect(r.vix9dOverVix).toBeCloseTo(15 / 18, 15);
    expect(r.vixOverVix3m).toBeCloseTo(0.9, 15);
  });
  it('is null where an input is missing', () => {
    expect(termStructureRatios({ vix: 18, vix3m: 20 })).toEqual({ vix9dOverVix: null, vixOverVix3m: 0.9 });
    expect(termStructureRatios({ vix9d: 15, vix: null, vix3m: 20 })).toEqual({
      vix9dOverVix: null,
      vixOverVix3m: null,
    });
    expect(termStructureRatios({})).toEqual({ vix9dOverVix: null, vixOverVix3m: null });
  });
  it('rejects a present but invalid level, naming it', () => {
    expect(() => termStructureRatios({ vix9d: Number.NaN, vix: 18 })).toThrow(/vix9d/);
    expect(() => termStructureRatios({ vix: 0, vix3m: 20 })).toThrow(/vix must be/);
    expect(() => ratioOrNull(-1, 2)).toThrow(InvalidInputError);
  });
  it('ratioSeries propagates nulls element-wise and checks alignment', () => {
    expect(ratioSeries([10, null, 30, 12], [20, 10, undefined, 24])).toEqual([0.5, null, null, 0.5]);
    expect(() => ratioSeries([1, 2], [1])).toThrow(/numerator has 2 values, denominator 1/);
  });
});

describe('approximate session VWAP from daily bars (typical price)', () => {
  it('is (H + L + C) / 3', () => {
    expect(approxSessionVwapFromDailyBar({ high: 12, low: 6, close: 9 })).toBe(9);
    expect(approxSessionVwapFromDailyBar({ high: 5250.89, low: 5119.26, close: 5186.33 })).toBeCloseTo(
      (5250.89 + 5119.26 + 5186.33) / 3,
      10,
    );
  });
  it('maps a series of real bars', () => {
    const bars = REAL_2024.slice(0, 5).map(([, high, low, close]) => ({ high, low, close }));
    const v = approxSessionVwapSeries(bars);
    expect(v).toHaveLength(5);
    v.forEach((x, i) => {
      const b = bars[i]!;
      expect(x).toBeCloseTo((b.high + b.low + b.close) / 3, 10);
      expect(x).toBeGreaterThanOrEqual(b.low);
      expect(x).toBeLessThanOrEqual(b.high);
    });
  });
  it('rejects an inconsistent bar, naming the field', () => {
    expect(() => approxSessionVwapFromDailyBar({ high: 10, low: 11, close: 10.5 })).toThrow(
      /low <= close <= high/,
    );
    expect(() => approxSessionVwapSeries([{ high: 10, low: 9, close: Number.NaN }])).toThrow(
      /bars\[0\]\.close/,
    );
  });
});
