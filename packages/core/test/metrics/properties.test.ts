import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BacktestResult, computeBacktestSummary, historicalCvar, mean } from '../../src/index';
import { fromReturns, naive, nonFinite } from './fixtures';

/**
 * Daily returns: 0 or |r| in [1e-6, 8%]. Returns of 1e-13 make every ratio with a drawdown or deviation
 * denominator ill-conditioned in floating point (relative error ~ 1e-16 / denominator), which is noise,
 * not a property violation.
 */
const dailyReturn = fc.oneof(
  fc.constant(0),
  fc.double({ min: 1e-6, max: 0.08, noNaN: true }),
  fc.double({ min: -0.08, max: -1e-6, noNaN: true }),
);
const returnsArb = fc.array(dailyReturn, { minLength: 2, maxLength: 120 });
const RUNS = { numRuns: 150 };

function scaled(r: BacktestResult, k: number): BacktestResult {
  return {
    ...r,
    initialEquity: r.initialEquity * k,
    equity: r.equity.map((p) => ({
      ...p,
      equity: p.equity * k,
      cash: p.cash * k,
      condorValue: p.condorValue * k,
      hedgeValue: p.hedgeValue * k,
      marginUsed: p.marginUsed * k,
      hedgePnlToDate: p.hedgePnlToDate * k,
    })),
  };
}

const relClose = (a: number | null, b: number | null, tol = 1e-9): boolean =>
  a === null || b === null ? a === b : Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

describe('metric properties (fast-check)', () => {
  it('max drawdown is in [0, 1] and equals a naive O(n^2) scan', () => {
    fc.assert(
      fc.property(returnsArb, (rs) => {
        const res = fromReturns(100000, rs);
        const dd = computeBacktestSummary(res).maxDrawdown?.depth as number;
        expect(dd).toBeGreaterThanOrEqual(0);
        expect(dd).toBeLessThanOrEqual(1);
        expect(dd).toBeCloseTo(naive.maxDrawdown([100000, ...res.equity.map((p) => p.equity)]), 12);
      }),
      RUNS,
    );
  });

  it('Sharpe and Sortino agree with naive implementations', () => {
    fc.assert(
      fc.property(returnsArb, (rs) => {
        const s = computeBacktestSummary(fromReturns(100000, rs));
        // recompute returns from the stored curve as the naive side sees it
        const m = mean(rs) as number;
        const hasSpread = rs.some((r) => Math.abs(r - m) > 1e-12);
        if (hasSpread && s.sharpe !== null) expect(relClose(s.sharpe, naive.sharpe(rs), 1e-6)).toBe(true);
        if (rs.some((r) => r < -1e-12) && s.sortino !== null) {
          expect(relClose(s.sortino, naive.sortino(rs), 1e-6)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('scaling the whole account by a constant leaves return-based metrics unchanged', () => {
    fc.assert(
      fc.property(returnsArb, fc.double({ min: 0.01, max: 1000, noNaN: true }), (rs, k) => {
        const base = fromReturns(100000, rs);
        const a = computeBacktestSummary(base);
        const b = computeBacktestSummary(scaled(base, k));
        for (const key of [
          'totalReturn',
          'cagr',
          'annualVolatility',
          'sharpe',
          'sortino',
          'calmar',
          'cvar95',
        ] as const) {
          expect(relClose(a[key], b[key], 1e-7), `${key}: ${a[key]} vs ${b[key]}`).toBe(true);
        }
        expect(relClose(a.maxDrawdown?.depth ?? null, b.maxDrawdown?.depth ?? null, 1e-9)).toBe(true);
        expect(b.maxDrawdown?.durationDays).toBe(a.maxDrawdown?.durationDays);
      }),
      RUNS,
    );
  });

  it('adding a positive constant to every daily return raises CAGR', () => {
    fc.assert(
      fc.property(returnsArb, fc.double({ min: 1e-4, max: 0.01, noNaN: true }), (rs, c) => {
        const lo = computeBacktestSummary(fromReturns(100000, rs)).cagr as number;
        const hi = computeBacktestSummary(
          fromReturns(
            100000,
            rs.map((r) => r + c),
          ),
        ).cagr as number;
        expect(hi).toBeGreaterThan(lo);
      }),
      RUNS,
    );
  });

  it('beta recovers k for a strategy that is k x SPX plus a constant; alpha is that constant x 252', () => {
    fc.assert(
      fc.property(
        fc.array(dailyReturn, { minLength: 3, maxLength: 80 }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: -0.001, max: 0.001, noNaN: true }),
        (spxReturns, k, a) => {
          fc.pre(new Set(spxReturns).size > 1);
          const strat = [0, ...spxReturns].map((s, i) => (i === 0 ? 0 : k * s + a));
          const base = fromReturns(100000, strat);
          let spx = 4000;
          const equity = base.equity.map((p, i) => {
            if (i > 0) spx *= 1 + (spxReturns[i - 1] as number);
            return { ...p, spx };
          });
          fc.pre(equity.every((p) => p.equity > 0));
          const s = computeBacktestSummary({ ...base, equity });
          expect(s.beta).toBeCloseTo(k, 6);
          expect(s.alpha).toBeCloseTo(a * 252, 6);
        },
      ),
      RUNS,
    );
  });

  it('exposure is a share in [0, 1], drawdown duration fits in the sample', () => {
    fc.assert(
      fc.property(returnsArb, fc.array(fc.boolean(), { minLength: 120, maxLength: 120 }), (rs, open) => {
        const base = fromReturns(100000, rs);
        const equity = base.equity.map((p, i) => ({ ...p, marginUsed: open[i] ? 1000 : 0 }));
        const s = computeBacktestSummary({ ...base, equity });
        const expected = equity.filter((p) => p.marginUsed > 0).length / equity.length;
        expect(s.exposure).toBeCloseTo(expected, 12);
        expect(s.maxDrawdown?.durationDays).toBeLessThanOrEqual(s.tradingDays);
      }),
      RUNS,
    );
  });

  it('CVaR99 <= CVaR95 <= mean daily return', () => {
    fc.assert(
      fc.property(fc.array(dailyReturn, { minLength: 1, maxLength: 300 }), (rs) => {
        const c95 = historicalCvar(rs, 0.95) as number;
        const c99 = historicalCvar(rs, 0.99) as number;
        const m = mean(rs) as number;
        expect(c99).toBeLessThanOrEqual(c95 + 1e-15);
        expect(c95).toBeLessThanOrEqual(m + 1e-15);
      }),
      RUNS,
    );
  });

  it('total return is the compounded daily returns, and nothing is ever NaN or Infinity', () => {
    fc.assert(
      fc.property(fc.array(dailyReturn, { minLength: 0, maxLength: 60 }), (rs) => {
        const s = computeBacktestSummary(fromReturns(100000, rs), { nTrials: 5, riskFreeAnnual: 0.03 });
        expect(nonFinite(s)).toEqual([]);
        if (rs.length > 0) {
          const compounded = rs.reduce((acc, r) => acc * (1 + r), 1) - 1;
          expect(s.totalReturn).toBeCloseTo(compounded, 10);
        }
      }),
      RUNS,
    );
  });
});
