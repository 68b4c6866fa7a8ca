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

/*
 * The CNDR replication over 2007-2025 on the modelled chains. No CNDR history is embedded (the
 * comparison with the published index is kept outside the repository), so these are the rules' own
 * properties on real SPX paths: roll dates, deltas near their targets, the 10x collateral bounding
 * every cycle's loss, and the level against Options Jive's published figures (docs/validation.md).
 */
describe('Cboe CNDR replication on the embedded data', () => {
  const cndr = runCboeBacktest({ strategy: 'cboe-cndr', from: '2007-01-03', to: '2025-12-31' });
  const rolls = cndr.result.rolls as ReadonlyArray<import('../../core/src/index').CndrRoll>;

  it('rolls on every SPX monthly expiry, strikes near their target deltas, no gaps', () => {
    expect(cndr.result.notes).toEqual([]);
    expect(rolls.length).toBe(229);
    for (const r of rolls.slice(1)) expect(isSpxMonthlyExpiry(r.date)).toBe(true);
    for (const r of rolls) {
      expect(Math.abs(r.deltas.shortPut + 0.2)).toBeLessThan(0.03);
      expect(Math.abs(r.deltas.shortCall - 0.2)).toBeLessThan(0.03);
      expect(Math.abs(r.deltas.longPut + 0.05)).toBeLessThan(0.02);
      expect(Math.abs(r.deltas.longCall - 0.05)).toBeLessThan(0.02);
      expect(r.credit).toBeGreaterThan(0);
      expect(r.credit).toBeLessThan(r.maxLoss);
    }
  });

  it('every roll-to-roll cycle loses at most 10% of the account net of its credit (the 10x collateral)', () => {
    const lv = new Map(cndr.result.levels.map((l) => [l.date, l.level]));
    let worst = 0;
    for (let i = 1; i < rolls.length; i++) {
      const a = lv.get(rolls[i - 1]!.date);
      const b = lv.get(rolls[i]!.date);
      if (a === undefined || b === undefined) continue;
      // From the previous roll's close to this roll's close: the settled cycle plus a few hours of the new one.
      const bound = -(1 - rolls[i - 1]!.credit / rolls[i - 1]!.maxLoss) / 10;
      expect(b / a - 1).toBeGreaterThan(bound - 0.01);
      worst = Math.min(worst, b / a - 1);
    }
    expect(worst).toBeLessThan(-0.05); // some cycles do hit the wings (2008, 2020)
  });

  it('2010-2024 annualised within 1.5 points of the published figure (Options Jive: about -0.7%/yr)', () => {
    const l = cndr.result.levels;
    const a = l.find((x) => x.date >= '2010-01-04')!;
    const b = [...l].reverse().find((x) => x.date <= '2024-01-31')!;
    const years = (Date.parse(b.date) - Date.parse(a.date)) / 86_400_000 / 365.25;
    const ann = (b.level / a.level) ** (1 / years) - 1;
    expect(Math.abs(ann - -0.0072)).toBeLessThan(0.015);
  });
});
