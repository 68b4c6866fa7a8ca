import { describe, expect, it } from 'vitest';
import { compareIndexSeries, type IsoDate, isSpxMonthlyExpiry } from '../../core/src/index';
import { marketData, runCboeBacktest } from '../src/index';

/*
 * The BXM replication against the published Cboe BXM (data/cboe-BXM_History.csv), 2008-01-02 to the
 * last embedded day. Measured (docs/validation.md): monthly-return correlation 0.990, tracking error
 * 1.7%/yr, annualised difference -0.3%/yr. The S&P 500 total return alone correlates 0.88 with BXM
 * monthly (tracking error 7.8%), so the thresholds below (0.97, 3%) can only be met when the modelled
 * call premiums and the roll/settlement arithmetic are right, and leave room for model changes.
 */
describe('Cboe BXM replication vs the published BXM', () => {
  const bxm = runCboeBacktest({ strategy: 'cboe-bxm', from: '2008-01-02' });

  it('monthly returns correlate > 0.97 with BXM, tracking error < 3%/yr, annualised gap < 1%/yr', () => {
    const c = bxm.comparison!;
    expect(c.from).toBe('2008-01-02');
    expect(c.months).toBeGreaterThan(200);
    expect(c.monthlyCorrelation).toBeGreaterThan(0.97);
    expect(c.trackingError).toBeLessThan(0.03);
    expect(Math.abs(c.annualisedDifference)).toBeLessThan(0.01);
  });

  it('the index alone does much worse (so the threshold tests the option overlay)', () => {
    const md = marketData();
    let v = 1;
    const tr: Array<{ date: IsoDate; level: number }> = [];
    let prev: (typeof md.snapshots)[number] | undefined;
    for (const s of md.snapshots) {
      if (s.date < '2008-01-02' || !s.dividendYield) continue;
      if (prev?.dividendYield)
        v *=
          (s.spx.close / prev.spx.close) *
          Math.exp((prev.dividendYield.q * (Date.parse(s.date) - Date.parse(prev.date))) / 86_400_000 / 365);
      tr.push({ date: s.date, level: v });
      prev = s;
    }
    const c = compareIndexSeries(
      tr,
      md.data.bxm.map((x) => ({ date: x.date, level: x.value })),
    );
    expect(c.monthlyCorrelation).toBeLessThan(0.92);
    expect(c.trackingError).toBeGreaterThan(0.05);
  });

  it('starts at the BXM level of the start date and rolls on SPX monthly expiries', () => {
    expect(bxm.result.levels[0]!.level).toBe(845.66);
    for (const r of bxm.result.rolls.slice(1)) expect(isSpxMonthlyExpiry(r.date)).toBe(true);
    expect(bxm.result.notes).toEqual([]);
  });

  it('PUT replication and fill variants run over the same window (no PUT history is embedded)', () => {
    const put = runCboeBacktest({ strategy: 'cboe-put', from: '2008-01-02' });
    expect(put.comparison).toBeNull();
    expect(put.result.levels[0]!.level).toBe(845.66);
    expect(put.result.rolls.length).toBe(bxm.result.rolls.length);
    const putVsBxm = compareIndexSeries(put.result.levels, bxm.result.levels);
    expect(putVsBxm.monthlyCorrelation).toBeGreaterThan(0.95); // put-call parity: near-twins
    const filled = runCboeBacktest({
      strategy: 'cboe-bxm',
      from: '2020-01-02',
      to: '2020-12-31',
      fill: 'orats-like',
    });
    const mid = runCboeBacktest({ strategy: 'cboe-bxm', from: '2020-01-02', to: '2020-12-31' });
    expect(filled.result.levels.at(-1)!.level).toBeLessThan(mid.result.levels.at(-1)!.level);
  });
});
