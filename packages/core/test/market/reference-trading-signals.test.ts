/**
 * Cross-checks the hand-written indicators against `trading-signals` (devDependency, an independent
 * implementation) on real SPX/VIX closes (2024) and on seeded random walks.
 * See docs/decisions/0001-indicators.md for why it is a test reference and not used in core.
 */
import {
  EMA,
  getLogReturns,
  getStandardDeviation,
  getTypicalPrice,
  getZScore,
  MACD,
  RSI,
  SMA,
} from 'trading-signals';
import { describe, expect, it } from 'vitest';
import {
  approxSessionVwapFromDailyBar,
  ema,
  hv20,
  macd,
  rsi,
  type Series,
  sma,
  zScore,
} from '../../src/index';
import { REAL_2024, SPX_CLOSES_2024, VIX_CLOSES_2024 } from './fixtures/real-2024';
import { randomWalk } from './helpers';

const SERIES: ReadonlyArray<readonly [string, readonly number[]]> = [
  ['SPX closes 2024', SPX_CLOSES_2024],
  ['VIX closes 2024', VIX_CLOSES_2024],
  ['random walk seed 1', randomWalk(1000, 1)],
  ['random walk seed 42 (high vol)', randomWalk(1000, 42, 100, 0.05)],
];

/** Relative closeness, robust across price levels. */
function expectNear(actual: number | null, expected: number | null, relTol: number, where: string): void {
  expect(actual, where).not.toBeNull();
  expect(expected, where).not.toBeNull();
  const a = actual as number;
  const b = expected as number;
  expect(Math.abs(a - b), `${where}: ${a} vs ${b}`).toBeLessThanOrEqual(relTol * Math.max(1, Math.abs(b)));
}

function referenceSeries(values: readonly number[], update: (x: number) => number | null): Series {
  return values.map((x) => update(x));
}

describe.each(SERIES)('against trading-signals: %s', (_name, values) => {
  it('SMA(5), SMA(20), SMA(50) agree at every index, including warm-up', () => {
    for (const period of [5, 20, 50]) {
      const ref = new SMA(period);
      const expected = referenceSeries(values, (x) => ref.update(x, false));
      const got = sma(values, period);
      expect(got.length).toBe(expected.length);
      for (let i = 0; i < values.length; i++) {
        if (i < period - 1) {
          expect(got[i]).toBeNull();
          expect(expected[i]).toBeNull();
        } else expectNear(got[i] ?? null, expected[i] ?? null, 1e-12, `SMA(${period})[${i}]`);
      }
    }
  });

  it('RSI(14) agrees at every index, including the warm-up', () => {
    const ref = new RSI(14);
    const expected = referenceSeries(values, (x) => ref.update(x, false));
    const got = rsi(values, 14);
    for (let i = 0; i < values.length; i++) {
      if (i < 14) {
        expect(got[i]).toBeNull();
        expect(expected[i]).toBeNull();
      } else expectNear(got[i] ?? null, expected[i] ?? null, 1e-10, `RSI[${i}]`);
    }
  });

  it('EMA(12) recursion is identical once both start from the same (SMA) seed', () => {
    // trading-signals seeds its EMA with the first value; feeding it our SMA seed first makes the two
    // recursions start from the same state, so they must then agree bar by bar.
    const period = 12;
    const got = ema(values, period);
    const seed = got[period - 1] as number;
    const ref = new EMA(period);
    ref.update(seed, false);
    for (let i = period; i < values.length; i++) {
      const r = ref.update(values[i] as number, false);
      expectNear(got[i] ?? null, r, 1e-12, `EMA[${i}]`);
    }
  });

  it('EMA(12) converges to the library value once the different seeds have decayed', () => {
    const got = ema(values, 12);
    const ref = new EMA(12);
    const expected = referenceSeries(values, (x) => ref.update(x, false));
    // Seed difference shrinks by (11/13) per bar: after 200 bars by ~3e-15.
    for (let i = 200; i < values.length; i++)
      expectNear(got[i] ?? null, expected[i] ?? null, 1e-9, `EMA[${i}]`);
  });

  it('HV20 equals the library log returns + population stdev rescaled to sample stdev', () => {
    const got = hv20(values);
    for (let i = 20; i < values.length; i += 7) {
      const window = values.slice(i - 20, i + 1);
      const rets = getLogReturns(window);
      const sampleSd = getStandardDeviation(rets) * Math.sqrt(20 / 19);
      expectNear(got[i] ?? null, 100 * sampleSd * Math.sqrt(252), 1e-10, `HV20[${i}]`);
    }
  });

  it('population z-score equals the library getZScore over the same window', () => {
    const got = zScore(values, 20, { stdev: 'population' });
    for (let i = 19; i < values.length; i += 5) {
      expectNear(got[i] ?? null, getZScore(values.slice(i - 19, i + 1)), 1e-9, `z[${i}]`);
    }
  });
});

describe.each(SERIES.filter(([, v]) => v.length >= 1000))(
  'MACD against trading-signals: %s',
  (_name, values) => {
    it('MACD 12/26/9 converges to the library value after the seeds decay', () => {
      const got = macd(values);
      const ref = new MACD(new EMA(12), new EMA(26), new EMA(9));
      const expected = values.map((x) => ref.update(x, false));
      // The slow EMA seed difference shrinks by (25/27) per bar; compare only where it is < 1e-10
      // of the level, and with a tolerance relative to the price level (MACD itself can be near 0).
      const from = 400;
      const level = Math.max(...values);
      for (let i = from; i < values.length; i++) {
        const e = expected[i];
        expect(e).toBeTruthy();
        expect(Math.abs((got.macd[i] as number) - e!.macd)).toBeLessThanOrEqual(1e-9 * level);
        expect(Math.abs((got.signal[i] as number) - e!.signal)).toBeLessThanOrEqual(1e-9 * level);
        expect(Math.abs((got.histogram[i] as number) - e!.histogram)).toBeLessThanOrEqual(1e-9 * level);
      }
    });
  },
);

describe('MACD on the 2024 SPX series (252 bars) against trading-signals', () => {
  it('agrees at the end of the year within a small fraction of a point', () => {
    // Only 252 bars: the slow-EMA seed difference has decayed to about (25/27)^226 ~ 3e-8 of itself.
    const got = macd(SPX_CLOSES_2024);
    const ref = new MACD(new EMA(12), new EMA(26), new EMA(9));
    const expected = SPX_CLOSES_2024.map((x) => ref.update(x, false));
    const i = SPX_CLOSES_2024.length - 1;
    expect(Math.abs((got.macd[i] as number) - expected[i]!.macd)).toBeLessThan(1e-4);
    expect(Math.abs((got.signal[i] as number) - expected[i]!.signal)).toBeLessThan(1e-4);
  });
});

describe('approximate VWAP against trading-signals getTypicalPrice', () => {
  it('is the same typical price for every 2024 SPX bar', () => {
    for (const [date, high, low, close] of REAL_2024) {
      expect(approxSessionVwapFromDailyBar({ high, low, close }), date).toBeCloseTo(
        getTypicalPrice({ high, low, close }),
        10,
      );
    }
  });
});
