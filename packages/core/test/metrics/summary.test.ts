import { describe, expect, it } from 'vitest';
import { computeBacktestSummary, type IsoDate, vixBandOf } from '../../src/index';
import { chain, naive, point, result, trade } from './fixtures';

/*
 * Hand-computed 5-day fixture. Initial equity V0 = 100 000; daily returns +1%, -1%, +3%, -2%, +3%:
 *   V1 = 101 000            (2023-12-28)
 *   V2 =  99 990            (2023-12-29)  101 000 x 0.99
 *   V3 = 102 989.7          (2024-01-02)   99 990 x 1.03
 *   V4 = 100 929.906        (2024-01-03)  102 989.7 x 0.98
 *   V5 = 103 957.80318      (2024-01-04)  100 929.906 x 1.03
 * total return = 1.01 x 0.99 x 1.03 x 0.98 x 1.03 - 1 = 0.0395780318
 * mean r = 0.04 / 5 = 0.008; deviations 0.002, -0.018, 0.022, -0.028, 0.022;
 *   squares 0.000004 + 0.000324 + 0.000484 + 0.000784 + 0.000484 = 0.00208; / (5 - 1) = 0.00052;
 *   sd = sqrt(0.00052) = 0.0228035085; vol = sd x sqrt(252) = 0.3619944751
 * Sharpe (rf 0) = 0.008 / 0.0228035085 x sqrt(252) = 0.35082320 x 15.87450787 = 5.5691457707
 * Sortino: downside squares 0.0001 + 0.0004 = 0.0005; / 5 = 0.0001; sqrt = 0.01;
 *   0.008 / 0.01 x sqrt(252) = 12.6996062931
 * Max drawdown: peak V3 = 102 989.7 (2024-01-02), trough V4 (2024-01-03): 1 - 100 929.906 / 102 989.7 = 0.02;
 *   recovered at V5 (2024-01-04) >= V3: duration 2 trading days (the earlier -1% dip is smaller).
 * CAGR: calendar days 2023-12-28..2024-01-04 inclusive = 8; years = 8 / 365.25;
 *   1.0395780318^(365.25 / 8) - 1 = 4.8834446806; Calmar = 4.8834446806 / 0.02 = 244.1722340
 * CVaR: n = 5; k95 = ceil(0.05 x 5) = 1, k99 = ceil(0.01 x 5) = 1: both = worst day = -0.02.
 * Worst day 2024-01-03: -2%, 100 929.906 - 102 989.7 = -2 059.794 USD.
 * SPX 4000 then returns -2.2%, +5.8%, -4.2%, +5.8% (levels 3912, 4138.896, 3965.062368, 4195.035985344):
 *   strategy returns on days 2..5 are -1%, +3%, -2%, +3% = 0.001 + 0.5 x SPX return exactly,
 *   so beta = 0.5, daily alpha = 0.001, annualised alpha = 0.252, correlation 1.
 * Exposure: condor open (margin 5 000) on days 1-3, flat on days 4-5: 3 / 5 = 0.6.
 * Hedge P&L to date 0, -100, -200, +1 500, +1 400:
 *   2023 hedge P&L = -100 (to 2023-12-29); 2024 = 1 400 - (-100) = 1 500.
 *   2023 mean equity (101 000 + 99 990) / 2 = 100 495 -> -100 / 100 495 = -0.000995074;
 *   2024 mean equity (102 989.7 + 100 929.906 + 103 957.80318) / 3 = 102 625.80306 -> 0.0146162.
 *   Annualised: 1 400 / (8 / 365.25) / 101 773.481836 (mean of all 5 days) = 0.62804916.
 * Without the hedge U = V - hedgePnlToDate: 101 000, 100 090, 103 189.7, 99 429.906, 102 557.80318;
 *   deepest fall 1 - 99 429.906 / 103 189.7 = 0.0364357489; reduction 1 - 0.02 / 0.0364357489 = 0.4510885437.
 * Years: 2023 return V2 / V0 - 1 = -0.0001; 2024 return V5 / V2 - 1 = 1.03 x 0.98 x 1.03 - 1 = 0.039682.
 * Trades: +300 (conservative, VIX 14, closed 2023), -500 (balanced, VIX 15.00 -> band 15-20), +200
 *   (aggressive, VIX 22), 0 (conservative, VIX 30): win rate 2/4 = 0.5, profit factor 500/500 = 1,
 *   average win 250, average loss -500, worst trade -500.
 * Chains: one never rolled; rolled twice (+3.0 pts, pnl +100, recovered); rolled once (+2.0, pnl -400);
 *   rolled once and still open (+5.0, pnl -50): rolled 3, closed rolled 2, recovered 1 -> share 0.5,
 *   mean roll credits (3 + 2 + 5) / 3 = 3.3333, mean rolls 4/3.
 */
const dates = ['2023-12-28', '2023-12-29', '2024-01-02', '2024-01-03', '2024-01-04'] as IsoDate[];
const eqs = [101000, 99990, 102989.7, 100929.906, 103957.80318];
const spx = [4000, 3912, 4138.896, 3965.062368, 4195.035985344];
const hedgePnl = [0, -100, -200, 1500, 1400];
const handFixture = result(
  100000,
  dates.map((date, i) =>
    point({
      date,
      equity: eqs[i] as number,
      spx: spx[i] as number,
      marginUsed: i < 3 ? 5000 : 0,
      condorValue: i < 3 ? -150 : 0,
      hedgePnlToDate: hedgePnl[i] as number,
    }),
  ),
  {
    trades: [
      trade('t1', 300, { tier: 'conservative', vix: 14, closedOn: '2023-12-29' }),
      trade('t2', -500, { tier: 'balanced', vix: 15, closedOn: '2024-01-02' }),
      trade('t3', 200, { tier: 'aggressive', vix: 22, closedOn: '2024-01-03' }),
      trade('t4', 0, { tier: 'conservative', vix: 30, closedOn: '2024-01-04' }),
    ],
    chains: [
      chain('a', 0, 0, 50),
      chain('b', 2, 3, 100),
      chain('c', 1, 2, -400),
      chain('d', 1, 5, -50, false),
    ],
  },
);

describe('computeBacktestSummary on the hand-computed 5-day fixture', () => {
  const s = computeBacktestSummary(handFixture);

  it('returns and annualisation', () => {
    expect(s.tradingDays).toBe(5);
    expect(s.calendarDays).toBe(8);
    expect(s.totalReturn).toBeCloseTo(0.0395780318, 10);
    expect(s.cagr).toBeCloseTo(4.8834446806, 8);
    expect(s.annualVolatility).toBeCloseTo(0.3619944751, 9);
    expect(s.sharpe).toBeCloseTo(5.5691457707, 8);
    expect(s.sortino).toBeCloseTo(12.6996062931, 8);
  });

  it('max drawdown, its dates and duration, Calmar', () => {
    expect(s.maxDrawdown?.depth).toBeCloseTo(0.02, 12);
    expect(s.maxDrawdown?.peakDate).toBe('2024-01-02');
    expect(s.maxDrawdown?.troughDate).toBe('2024-01-03');
    expect(s.maxDrawdown?.recoveryDate).toBe('2024-01-04');
    expect(s.maxDrawdown?.durationDays).toBe(2);
    expect(s.maxDrawdown?.recovered).toBe(true);
    expect(s.calmar).toBeCloseTo(244.172234, 5);
  });

  it('tails, worst day, exposure, beta and alpha', () => {
    expect(s.cvar95).toBeCloseTo(-0.02, 12);
    expect(s.cvar99).toBeCloseTo(-0.02, 12);
    expect(s.worstDay?.date).toBe('2024-01-03');
    expect(s.worstDay?.return).toBeCloseTo(-0.02, 12);
    expect(s.worstDay?.pnl).toBeCloseTo(-2059.794, 6);
    expect(s.exposure).toBeCloseTo(0.6, 12);
    expect(s.beta).toBeCloseTo(0.5, 10);
    expect(s.alpha).toBeCloseTo(0.252, 9);
    expect(s.correlation).toBeCloseTo(1, 10);
  });

  it('trade statistics and breakdowns', () => {
    expect(s.trades).toBe(4);
    expect(s.winRate).toBe(0.5);
    expect(s.profitFactor).toBe(1);
    expect(s.averageWin).toBe(250);
    expect(s.averageLoss).toBe(-500);
    expect(s.worstTrade).toEqual({ id: 't2', closedOn: '2024-01-02', pnl: -500 });
    expect(s.byVixBand.map((b) => [b.band, b.trades, b.pnl])).toEqual([
      ['<15', 1, 300],
      ['15-20', 1, -500],
      ['20-25', 1, 200],
      ['>25', 1, 0],
    ]);
    expect(s.byTier.map((t) => [t.tier, t.trades, t.wins, t.pnl])).toEqual([
      ['conservative', 2, 1, 300],
      ['balanced', 1, 0, -500],
      ['aggressive', 1, 1, 200],
    ]);
    const [y23, y24] = s.byYear;
    expect(y23).toMatchObject({ year: 2023, trades: 1, wins: 1, winRate: 1, pnl: 300, hedgePnl: -100 });
    expect(y23?.return).toBeCloseTo(-0.0001, 12);
    expect(y24).toMatchObject({ year: 2024, trades: 3, wins: 1, pnl: -300, hedgePnl: 1500 });
    expect(y24?.winRate).toBeCloseTo(1 / 3, 12);
    expect(y24?.return).toBeCloseTo(0.039682, 12);
  });

  it('roll-chain statistics', () => {
    expect(s.rollChains).toMatchObject({
      chains: 4,
      rolled: 3,
      rolledOpen: 1,
      recovered: 1,
      shareRecovered: 0.5,
    });
    expect(s.rollChains.meanRollCredits).toBeCloseTo(10 / 3, 12);
    expect(s.rollChains.meanRolls).toBeCloseTo(4 / 3, 12);
    expect(s.rollChains.rolledPnl).toBe(-350);
  });

  it('hedge cost per year and drawdown with and without the hedge', () => {
    expect(s.hedge.totalPnl).toBe(1400);
    expect(s.hedge.byYear.map((y) => [y.year, y.pnl])).toEqual([
      [2023, -100],
      [2024, 1500],
    ]);
    expect(s.hedge.byYear[0]?.averageEquity).toBeCloseTo(100495, 8);
    expect(s.hedge.byYear[0]?.pnlPctOfAverageEquity).toBeCloseTo(-0.000995074, 9);
    expect(s.hedge.byYear[1]?.pnlPctOfAverageEquity).toBeCloseTo(0.0146162, 7);
    expect(s.hedge.annualisedPnlPctOfAverageEquity).toBeCloseTo(0.62804916, 7);
    expect(s.hedge.maxDrawdownWithHedge).toBeCloseTo(0.02, 12);
    expect(s.hedge.maxDrawdownWithoutHedge).toBeCloseTo(0.0364357489, 9);
    expect(s.hedge.drawdownReduction).toBeCloseTo(0.4510885437, 9);
  });

  it('agrees with naive reference implementations of Sharpe, Sortino and max drawdown', () => {
    const r = [0.01, -0.01, 0.03, -0.02, 0.03];
    expect(s.sharpe).toBeCloseTo(naive.sharpe(r), 10);
    expect(s.sortino).toBeCloseTo(naive.sortino(r), 10);
    expect(s.maxDrawdown?.depth).toBeCloseTo(naive.maxDrawdown([100000, ...eqs]), 12);
  });

  it('a risk-free rate lowers Sharpe by the excess; a daily series is used as given', () => {
    const rfDaily = 0.001;
    const withRf = computeBacktestSummary(handFixture, {
      riskFreeDaily: [0.001, 0.001, 0.001, 0.001, 0.001],
    });
    // excess mean 0.007, same sd: 0.007 / 0.0228035085 x sqrt(252)
    expect(withRf.sharpe).toBeCloseTo(((0.008 - rfDaily) / 0.0228035085) * Math.sqrt(252), 7);
    const annual = computeBacktestSummary(handFixture, { riskFreeAnnual: 0.05 });
    const d = 1.05 ** (1 / 252) - 1;
    expect(annual.sharpe).toBeCloseTo(((0.008 - d) / 0.0228035085) * Math.sqrt(252), 7);
    expect(() => computeBacktestSummary(handFixture, { riskFreeDaily: [0] })).toThrow(/riskFreeDaily/);
  });
});

describe('VIX bands', () => {
  it('lower bound inclusive', () => {
    expect([14.99, 15, 19.99, 20, 24.99, 25, 80].map(vixBandOf)).toEqual([
      '<15',
      '15-20',
      '15-20',
      '20-25',
      '20-25',
      '>25',
      '>25',
    ]);
  });
});
