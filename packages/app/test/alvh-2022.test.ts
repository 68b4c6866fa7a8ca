import { describe, expect, it } from 'vitest';
import { runCliBacktest } from '../src/index';

describe('ALVH over 2022 (issue 15 case 4)', () => {
  it('ALVH case 4: a hedge is held on every session of the 2022 default backtest (VIX never fell below 15 that year)', () => {
    const run = runCliBacktest({ from: '2022-01-03', to: '2022-12-30', preset: 'vixshield', quiet: true });
    const days = run.result.equity;
    expect(days.length).toBeGreaterThan(240);
    const unhedged = days.filter((p) => !(p.hedgeValue > 0)).map((p) => p.date);
    expect(unhedged).toEqual([]);
    // the yearly cost is reported and stays near the 1.5%-of-equity budget (M§3, R28 claims 1-2%)
    const y2022 = run.summary.hedge.byYear.find((y) => y.year === 2022);
    expect(y2022).toBeDefined();
    expect(Math.abs(y2022?.pnlPctOfAverageEquity ?? 1)).toBeLessThan(0.03);
  });
});
