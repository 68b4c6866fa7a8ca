import { describe, expect, it } from 'vitest';
import { type BacktestSummary, computeBacktestSummary, type IsoDate, simpleReturns } from '../../src/index';
import { fromReturns, nonFinite, point, result, trade, weekdays } from './fixtures';

describe('edge cases: undefined ratios are null with a reason, never NaN or Infinity', () => {
  it('no equity points at all', () => {
    const s = computeBacktestSummary(result(100000, []));
    expect(nonFinite(s)).toEqual([]);
    expect(s.totalReturn).toBeNull();
    expect(s.cagr).toBeNull();
    expect(s.sharpe).toBeNull();
    expect(s.maxDrawdown).toBeNull();
    expect(s.exposure).toBeNull();
    expect(s.cvar95).toBeNull();
    expect(s.notes.join(' ')).toMatch(/No equity points/);
  });

  it('a single day: return and drawdown defined, dispersion-based ratios null', () => {
    const s = computeBacktestSummary(
      result(100000, [point({ date: '2024-01-02' as IsoDate, equity: 99000 })]),
    );
    expect(nonFinite(s)).toEqual([]);
    expect(s.totalReturn).toBeCloseTo(-0.01, 12);
    // 1 calendar day: CAGR = 0.99^365.25 - 1
    expect(s.cagr).toBeCloseTo(0.99 ** 365.25 - 1, 12);
    expect(s.annualVolatility).toBeNull();
    expect(s.sharpe).toBeNull();
    expect(s.sortino).toBeNull();
    expect(s.maxDrawdown?.depth).toBeCloseTo(0.01, 12);
    expect(s.maxDrawdown?.recovered).toBe(false);
    expect(s.maxDrawdown?.durationDays).toBe(1);
    expect(s.cvar95).toBeCloseTo(-0.01, 12);
    expect(s.beta).toBeNull();
    expect(s.notes.join(' ')).toMatch(/at least 2 daily returns/);
  });

  it('all-equal equity and no trades', () => {
    const pts = weekdays('2024-03-01', 30).map((date) => point({ date, equity: 50000, spx: 5000 }));
    const s: BacktestSummary = computeBacktestSummary(result(50000, pts), { nTrials: 10 });
    expect(nonFinite(s)).toEqual([]);
    expect(s.totalReturn).toBe(0);
    expect(s.cagr).toBe(0);
    expect(s.annualVolatility).toBe(0);
    expect(s.sharpe).toBeNull();
    expect(s.sortino).toBeNull();
    expect(s.maxDrawdown?.depth).toBe(0);
    expect(s.maxDrawdown?.durationDays).toBe(0);
    expect(s.calmar).toBeNull();
    expect(s.trades).toBe(0);
    expect(s.winRate).toBeNull();
    expect(s.profitFactor).toBeNull();
    expect(s.averageWin).toBeNull();
    expect(s.averageLoss).toBeNull();
    expect(s.worstTrade).toBeNull();
    expect(s.exposure).toBe(0);
    expect(s.beta).toBeNull(); // SPX did not move
    expect(s.deflatedSharpe).toBeNull();
    expect(s.rollChains.shareRecovered).toBeNull();
    expect(s.rollChains.meanRollCredits).toBeNull();
    expect(s.hedge.drawdownReduction).toBeNull();
    expect(s.byTier.every((t) => t.trades === 0 && t.winRate === null)).toBe(true);
    const notes = s.notes.join(' ');
    for (const word of ['Sharpe', 'Sortino', 'Calmar', 'No condor trades', 'Beta', 'Deflated', 'recovered']) {
      expect(notes).toContain(word);
    }
  });

  it('only winning trades: profit factor null (no loss), average loss null', () => {
    const pts = weekdays('2024-03-01', 3).map((date, i) => point({ date, equity: 100000 + i * 100 }));
    const s = computeBacktestSummary(result(100000, pts, { trades: [trade('a', 10), trade('b', 20)] }));
    expect(s.winRate).toBe(1);
    expect(s.profitFactor).toBeNull();
    expect(s.averageLoss).toBeNull();
    expect(s.averageWin).toBe(15);
    expect(s.sortino).toBeNull(); // no down day
    expect(s.maxDrawdown?.depth).toBe(0);
    expect(s.notes.join(' ')).toMatch(/Profit factor is null/);
  });

  it('unrecovered drawdown runs to the last day', () => {
    const pts = weekdays('2024-03-04', 4).map((date, i) =>
      point({ date, equity: [101, 100, 99, 100][i] as number }),
    );
    const s = computeBacktestSummary(result(100, pts));
    // peak 101 on day 1 (value index 1), trough 99 on day 3, never back to 101: duration 4 - 1 = 3
    expect(s.maxDrawdown).toMatchObject({
      peakDate: '2024-03-04',
      troughDate: '2024-03-06',
      recovered: false,
    });
    expect(s.maxDrawdown?.recoveryDate).toBeNull();
    expect(s.maxDrawdown?.durationDays).toBe(3);
    expect(s.maxDrawdown?.depth).toBeCloseTo(2 / 101, 12);
  });

  it('rejects bad inputs at the edge', () => {
    const pts = weekdays('2024-03-04', 2).map((date) => point({ date, equity: 1 }));
    expect(() => computeBacktestSummary(result(0, pts))).toThrow(/initialEquity/);
    expect(() => computeBacktestSummary(result(1, [pts[1], pts[0]] as typeof pts))).toThrow(/increasing/);
  });

  it('ruin: the report still renders; daily statistics stop at the day equity reached zero', () => {
    const d = weekdays('2024-03-04', 4);
    // 100 -> 90 (-10%) -> 0 (-100%) -> 5 -> 6: returns after ruin are undefined and not used
    const pts = [90, 0, 5, 6].map((equity, i) => point({ date: d[i] as IsoDate, equity }));
    const s = computeBacktestSummary(result(100, pts));
    expect(nonFinite(s)).toEqual([]);
    expect(s.totalReturn).toBeCloseTo(-0.94, 12);
    expect(s.worstDay).toMatchObject({ date: '2024-03-05', return: -1 });
    expect(s.cvar99).toBe(-1);
    expect(s.maxDrawdown?.depth).toBe(1);
    expect(s.notes.join(' ')).toMatch(/Equity reached 0 on 2024-03-05/);
    // A wiped-out account reports no Sharpe or Sortino (issue 18), whatever the days before gave; the
    // daily series still stops at the wipe-out: volatility of (-0.1, -1) = 0.45 x sqrt(2) x sqrt(252).
    expect(s.ruinedOn).toBe('2024-03-05');
    expect(s.sharpe).toBeNull();
    expect(s.sortino).toBeNull();
    expect(s.annualVolatility).toBeCloseTo(0.45 * Math.SQRT2 * Math.sqrt(252), 10);
    // the strict primitive still refuses a return from a zero base
    expect(() => simpleReturns([1, 0, 1])).toThrow(/equity reaches 0/);
  });
});

describe('maximum drawdown: equally deep episodes', () => {
  // fast-check's counterexample (CI, 2026-11-27): two falls of -1e-6 whose depths differ only by
  // rounding; before the tie tolerance, scaling the account by 0.01 picked the other episode.
  const rs = [0.000001, -0.000001, 0, 0.00007357852922840191, -0.000001, 0];
  const scaledBy = (k: number) => {
    const base = fromReturns(100000, rs);
    return {
      ...base,
      initialEquity: base.initialEquity * k,
      equity: base.equity.map((p) => ({ ...p, equity: p.equity * k })),
    };
  };

  it('the first of two equal episodes is reported, whatever the scale of the account', () => {
    const a = computeBacktestSummary(scaledBy(1)).maxDrawdown!;
    for (const k of [0.01000000000000001, 0.3, 7, 1000]) {
      const b = computeBacktestSummary(scaledBy(k)).maxDrawdown!;
      expect([b.peakDate, b.troughDate, b.durationDays]).toEqual([a.peakDate, a.troughDate, a.durationDays]);
    }
    // The first episode: peak at point 0, trough at point 1, back above the peak at point 3 (the
    // second episode, peak 3 and trough 4, never recovers: duration 2 to the end).
    expect(a.depth).toBeCloseTo(1e-6, 12);
    expect(a.durationDays).toBe(3);
  });
});
