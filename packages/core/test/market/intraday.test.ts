import { describe, expect, it } from 'vitest';
import {
  barEndEt,
  barsClosedCount,
  ctToEt,
  formatEt,
  gridStartsEt,
  type IntradayBar,
  type IntradayDay,
  type IsoDate,
  intradayWindowEt,
  ohlcApproximationDay,
  ohlcApproximationPath,
  twapAt,
} from '../../src/index';

const D = '2024-06-05' as IsoDate; // a Wednesday, regular session
const EARLY = '2024-07-03' as IsoDate; // 13:00 ET close

/** Hourly bar i (09:30 + 60 i): O 100+2i, H 103+2i, L 99+2i, C 102+2i, so (O+H+L+C)/4 = 101 + 2i. */
function hourlyDay(skip: readonly number[] = []): IntradayDay {
  const bars: IntradayBar[] = [];
  for (let i = 0; i < 7; i++) {
    if (skip.includes(i)) continue;
    bars.push({
      startEt: 570 + 60 * i,
      open: 100 + 2 * i,
      high: 103 + 2 * i,
      low: 99 + 2 * i,
      close: 102 + 2 * i,
    });
  }
  return {
    date: D,
    symbol: 'spx',
    source: 'bars',
    resolutionMinutes: 60,
    windowOpenEt: 570,
    windowCloseEt: 960,
    bars,
    closingPrint: null,
    missingStartsEt: skip.map((i) => 570 + 60 * i),
  };
}

describe('intraday session windows and the bar grid', () => {
  it('SPX: 09:30-16:00 ET, 13:00 on early-close days; ES runs to the options close 15 minutes later', () => {
    expect(intradayWindowEt(D, 'spx')).toEqual({ openEt: 570, closeEt: 960, earlyClose: false });
    expect(intradayWindowEt(EARLY, 'spx')).toEqual({ openEt: 570, closeEt: 780, earlyClose: true });
    expect(intradayWindowEt(D, 'es')).toEqual({ openEt: 570, closeEt: 975, earlyClose: false });
    expect(intradayWindowEt(EARLY, 'es').closeEt).toBe(795);
    expect(() => intradayWindowEt('2024-07-04' as IsoDate, 'spx')).toThrow(/not an exchange trading day/);
    expect(() => intradayWindowEt('2024-06-08' as IsoDate, 'spx')).toThrow(/not an exchange trading day/);
  });

  it('the hourly grid has 7 starts, the last a half hour (15:30-16:00); 5-minute has 78; early close 4 hourly', () => {
    const w = intradayWindowEt(D, 'spx');
    expect(gridStartsEt(w, 60).map(formatEt)).toEqual([
      '09:30',
      '10:30',
      '11:30',
      '12:30',
      '13:30',
      '14:30',
      '15:30',
    ]);
    expect(gridStartsEt(w, 5)).toHaveLength(78);
    expect(gridStartsEt(w, 1)).toHaveLength(390);
    expect(gridStartsEt(intradayWindowEt(EARLY, 'spx'), 60).map(formatEt)).toEqual([
      '09:30',
      '10:30',
      '11:30',
      '12:30',
    ]);
    const day = hourlyDay();
    expect(barEndEt(day, day.bars[6]!)).toBe(960);
    expect(barEndEt(day, day.bars[0]!)).toBe(630);
    expect(() => gridStartsEt(w, 0)).toThrow(/resolutionMinutes/);
  });

  it('bars closed at an instant: only those whose end is at or before it', () => {
    const day = hourlyDay();
    expect(barsClosedCount(day, 629)).toBe(0);
    expect(barsClosedCount(day, 630)).toBe(1);
    expect(barsClosedCount(day, 959)).toBe(6);
    expect(barsClosedCount(day, 960)).toBe(7);
    expect(ctToEt('15:10')).toBe(970); // 16:10 ET
    expect(ctToEt('12:00')).toBe(780);
    expect(formatEt(970)).toBe('16:10');
  });
});

describe('TWAP (time-weighted, not volume-weighted)', () => {
  it('hand-computed: the 15:30 half-hour bar weighs half; only closed bars count', () => {
    const day = hourlyDay();
    // (60 x (101+103+105+107+109+111) + 30 x 113) / 390 = 41550 / 390
    const full = twapAt(day, 960)!;
    expect(full.twap).toBeCloseTo(41550 / 390, 12);
    expect(full).toMatchObject({ fromEt: 570, toEt: 960, barsUsed: 7, minutesCovered: 390, missingBars: 0 });
    // at 12:00 ET the 11:30 bar is still open: (101 + 103) / 2
    expect(twapAt(day, 720)).toMatchObject({ twap: 102, barsUsed: 2, toEt: 690 });
    expect(twapAt(day, 629)).toBeNull();
    // a poisoned bar that has not closed yet does not move the value
    const poisoned = {
      ...day,
      bars: day.bars.map((b, i) => (i >= 2 ? { ...b, open: 1e9, high: 1e9, close: 1e9 } : b)),
    };
    expect(twapAt(poisoned, 720)!.twap).toBe(102);
  });

  it('bar price options: close and (H+L+C)/3', () => {
    const day = hourlyDay();
    expect(twapAt(day, 690, { price: 'close' })!.twap).toBe(103); // (102 + 104) / 2
    expect(twapAt(day, 630, { price: 'hlc3' })!.twap).toBeCloseTo((103 + 99 + 102) / 3, 12);
  });

  it('from a later start, and with a missing bar counted', () => {
    const day = hourlyDay([1]);
    const r = twapAt(day, 810)!; // bars 09:30, 11:30 (10:30 missing), 12:30
    expect(r.barsUsed).toBe(3);
    expect(r.missingBars).toBe(1);
    expect(r.twap).toBeCloseTo((101 + 105 + 107) / 3, 12);
    expect(twapAt(hourlyDay(), 960, { fromEt: 870 })!.twap).toBeCloseTo((60 * 111 + 30 * 113) / 90, 12);
  });

  it('property: bars cut from a linear path give the exact time-average (the path at mid-session)', () => {
    for (const [a, b] of [
      [5000, 5100],
      [5300, 5210.5],
      [4000, 4000],
    ] as const) {
      const p = (t: number) => a + ((b - a) * (t - 570)) / 390;
      for (const res of [1, 5, 60]) {
        const bars: IntradayBar[] = gridStartsEt({ openEt: 570, closeEt: 960, earlyClose: false }, res).map(
          (s) => {
            const e = Math.min(s + res, 960);
            return {
              startEt: s,
              open: p(s),
              close: p(e),
              high: Math.max(p(s), p(e)),
              low: Math.min(p(s), p(e)),
            };
          },
        );
        const day: IntradayDay = { ...hourlyDay(), resolutionMinutes: res, bars };
        expect(twapAt(day, 960)!.twap).toBeCloseTo((a + b) / 2, 9);
      }
    }
  });
});

describe('daily-OHLC approximation: both extremes reached, the adverse one first', () => {
  const ohlc = { open: 5300, high: 5330, low: 5270, close: 5310 };

  it('adverse low: the path reaches the low (at 1/3 of the session) before the high (2/3)', () => {
    expect(ohlcApproximationPath({ openEt: 570, closeEt: 960 }, ohlc, 'low')).toEqual([
      { atEt: 570, price: 5300 },
      { atEt: 700, price: 5270 },
      { atEt: 830, price: 5330 },
      { atEt: 960, price: 5310 },
    ]);
    const day = ohlcApproximationDay(D, ohlc, 'low');
    expect(day.source).toBe('ohlc-approximation');
    expect(day.bars).toHaveLength(78);
    const firstLow = day.bars.findIndex((b) => b.low === 5270);
    const firstHigh = day.bars.findIndex((b) => b.high === 5330);
    expect(firstLow).toBeGreaterThanOrEqual(0);
    expect(firstHigh).toBeGreaterThan(firstLow);
    expect(formatEt(barEndEt(day, day.bars[firstLow]!))).toBe('11:40');
    expect(formatEt(barEndEt(day, day.bars[firstHigh]!))).toBe('13:50');
    // the synthetic day reproduces the daily bar exactly
    expect(day.bars[0]!.open).toBe(5300);
    expect(day.bars.at(-1)!.close).toBe(5310);
    expect(Math.max(...day.bars.map((b) => b.high))).toBe(5330);
    expect(Math.min(...day.bars.map((b) => b.low))).toBe(5270);
    // every bar is consistent and contiguous
    for (let i = 0; i < day.bars.length; i++) {
      const b = day.bars[i]!;
      expect(b.low).toBeLessThanOrEqual(Math.min(b.open, b.close));
      expect(b.high).toBeGreaterThanOrEqual(Math.max(b.open, b.close));
      if (i > 0) expect(b.open).toBe(day.bars[i - 1]!.close);
    }
  });

  it('adverse high: the mirror order', () => {
    const day = ohlcApproximationDay(D, ohlc, 'high');
    const firstLow = day.bars.findIndex((b) => b.low === 5270);
    const firstHigh = day.bars.findIndex((b) => b.high === 5330);
    expect(firstHigh).toBeLessThan(firstLow);
  });

  it('early-close day: thirds of the 09:30-13:00 session; custom fractions; bad bars refused', () => {
    const day = ohlcApproximationDay(EARLY, ohlc, 'low');
    expect(day.windowCloseEt).toBe(780);
    expect(day.bars).toHaveLength(42);
    expect(formatEt(barEndEt(day, day.bars.find((b) => b.low === 5270)!))).toBe('10:40');
    const early = ohlcApproximationPath({ openEt: 570, closeEt: 960 }, ohlc, 'high', {
      extremeFractions: [0.1, 0.2],
      resolutionMinutes: 1,
    });
    expect(early.map((v) => v.atEt)).toEqual([570, 609, 648, 960]);
    expect(() => ohlcApproximationDay(D, { ...ohlc, high: 5305 }, 'low')).toThrow(
      /low <= open, close <= high/,
    );
    expect(() => ohlcApproximationDay(D, { ...ohlc, low: Number.NaN }, 'low')).toThrow(/positive finite/);
    expect(() => ohlcApproximationDay(D, ohlc, 'low', { resolutionMinutes: 200 })).toThrow(/too coarse/);
    expect(() => ohlcApproximationDay('2024-07-04' as IsoDate, ohlc, 'low')).toThrow(/trading day/);
  });
});
