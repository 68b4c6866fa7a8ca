import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, type IsoDate, weekdayOf } from '@vixshield/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  addMonths,
  chooseOnTrain,
  parseWalkForward,
  type SweepJobResult,
  sweepPbo,
  walkForwardFolds,
} from '../../src/index';

/** Weekdays in [from, to]: a stand-in trading calendar for the pure fold tests. */
function weekdays(from: string, to: string): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = from as IsoDate; d <= to; d = addDays(d, 1)) {
    const w = weekdayOf(d);
    if (w !== 0 && w !== 6) out.push(d);
  }
  return out;
}

describe('walk-forward windows', () => {
  it('parses TRAIN:TEST and --step in years or months; step defaults to TEST', () => {
    expect(parseWalkForward('3y:1y')).toMatchObject({ trainMonths: 36, testMonths: 12, stepMonths: 12 });
    expect(parseWalkForward('18m:6m', '1y')).toMatchObject({
      trainMonths: 18,
      testMonths: 6,
      stepMonths: 12,
    });
    expect(() => parseWalkForward('3y')).toThrow(/must be TRAIN:TEST/);
    expect(() => parseWalkForward('3x:1y')).toThrow(/TRAIN '3x'/);
    expect(() => parseWalkForward('0y:1y')).toThrow(/positive whole number/);
    expect(() => parseWalkForward('3y:1y', '6m')).toThrow(/step 6m is shorter than the test window/);
  });

  it('adds calendar months, clamping the day', () => {
    expect(addMonths('2015-01-31' as IsoDate, 1)).toBe('2015-02-28');
    expect(addMonths('2016-01-31' as IsoDate, 1)).toBe('2016-02-29');
    expect(addMonths('2015-11-01' as IsoDate, 14)).toBe('2017-01-01');
    expect(addMonths('2015-03-01' as IsoDate, -3)).toBe('2014-12-01');
  });

  it('3y:1y over 2015-2025: eight folds of calendar years, train before test, test windows back to back', () => {
    const days = weekdays('2015-01-02', '2025-12-31');
    const { folds, dropped } = walkForwardFolds(days, parseWalkForward('3y:1y'));
    expect(dropped).toBeNull();
    expect(folds).toHaveLength(8);
    expect(folds[0]).toMatchObject({
      train: { from: '2015-01-02', to: '2017-12-29' },
      test: { from: '2018-01-01', to: '2018-12-31' },
      partial: false,
    });
    expect(folds[7]).toMatchObject({
      train: { from: '2022-01-03', to: '2024-12-31' },
      test: { from: '2025-01-01', to: '2025-12-31' },
      partial: false,
    });
    folds.forEach((f, k) => {
      expect(f.index).toBe(k);
      // no overlap inside a fold: every train day is before every test day, and they are adjacent
      expect(f.train.to < f.test.from).toBe(true);
      expect(days.indexOf(f.test.from)).toBe(days.indexOf(f.train.to) + 1);
      expect(f.train.tradingDays).toBe(days.filter((d) => d >= f.train.from && d <= f.train.to).length);
      const next = folds[k + 1];
      if (next) {
        // the test windows tile the range: the next one starts on the trading day after this one ends
        expect(days.indexOf(next.test.from)).toBe(days.indexOf(f.test.to) + 1);
        expect(next.train.from > f.train.from).toBe(true);
      }
    });
  });

  it('a step longer than the test leaves gaps between test windows, never overlaps', () => {
    const days = weekdays('2015-01-02', '2020-12-31');
    const { folds } = walkForwardFolds(days, parseWalkForward('1y:6m', '1y'));
    expect(folds.map((f) => [f.test.from, f.test.to])).toEqual([
      ['2016-01-01', '2016-06-30'],
      ['2017-01-02', '2017-06-30'],
      ['2018-01-01', '2018-06-29'],
      ['2019-01-01', '2019-06-28'],
      ['2020-01-01', '2020-06-30'],
    ]);
  });

  it('last partial fold: kept (and marked) with >= 20 trading days, dropped and reported with fewer', () => {
    const spec = parseWalkForward('3y:1y');
    const kept = walkForwardFolds(weekdays('2015-01-02', '2019-06-28'), spec);
    expect(kept.folds).toHaveLength(2);
    expect(kept.folds[1]).toMatchObject({ test: { from: '2019-01-01', to: '2019-06-28' }, partial: true });
    expect(kept.dropped).toBeNull();
    const cut = walkForwardFolds(weekdays('2015-01-02', '2019-01-15'), spec);
    expect(cut.folds).toHaveLength(1);
    expect(cut.folds[0]!.partial).toBe(false);
    expect(cut.dropped).toEqual({ from: '2019-01-01', to: '2019-01-15', tradingDays: 11 });
    // too short for even one train window plus a test
    expect(walkForwardFolds(weekdays('2015-01-02', '2017-12-29'), spec).folds).toHaveLength(0);
  });

  it('a range starting mid-month keeps the month grid (the first train window is shorter)', () => {
    const { folds } = walkForwardFolds(weekdays('2015-01-15', '2016-12-30'), parseWalkForward('1y:6m'));
    expect(folds[0]).toMatchObject({
      train: { from: '2015-01-15', to: '2015-12-31' },
      test: { from: '2016-01-01', to: '2016-06-30' },
    });
    expect(folds[1]).toMatchObject({ train: { from: '2015-07-01' }, test: { to: '2016-12-30' } });
  });
});

describe('the choice on a train window', () => {
  const r = (sharpe: number | null) => ({ sharpe }) as SweepJobResult;
  it('is the best Sharpe; ties go to the first variant; variants without a Sharpe are never chosen', () => {
    expect(chooseOnTrain([r(0.5), r(1.2), r(1.2), r(-3)])).toBe(1);
    expect(chooseOnTrain([r(null), r(-1), r(-0.5)])).toBe(2);
    expect(chooseOnTrain([r(null), r(null)])).toBeNull();
  });
  it('the sweep PBO is null with its reason when nothing can be selected or the window is too short', () => {
    const m = (returns: number[]) => ({
      periods: returns.map((_, i) => `2019-${String(i + 1).padStart(2, '0')}`),
      returns,
    });
    expect(sweepPbo([m([0.01, 0.02, 0, 0.01])], undefined, 's').note).toMatch(/one variant/);
    expect(sweepPbo([m([0.01, 0.02, 0]), m([0, 0, 0])], undefined, 's').note).toMatch(/at least 4/);
    const same = sweepPbo([m([0.01, 0.02, 0, 0.01]), m([0.01, 0.02, 0, 0.01])], undefined, 's');
    expect(same.pbo).toBeNull();
    expect(same.note).toMatch(/same monthly returns/);
    const few = sweepPbo([m([0.01, 0.02, 0, 0.01, 0.03]), m([0.02, -0.01, 0.01, 0, 0.01])], 16, 's');
    expect(few).toMatchObject({ blocks: 4, blockLength: 1, combinations: 6, periodsUsed: 4 });
    expect(few.note).toMatch(/4 blocks instead of 16: only 5 monthly periods; the oldest 1 month/);
  });
});

describe('walk-forward end to end: a fold sees only its train window', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vs-wf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const opts = {
    params: ['sizing.maxLossFractionOfEquity=0.05,0.1', 'roll.enabled=true,false'],
    from: '2019-01-02',
    to: '2019-12-31',
    walkForward: '6m:3m',
  };

  it('poisoning the data after the first train window changes its test results but not its choice', async () => {
    vi.resetModules();
    const clean = await import('../../src/index');
    const data = await import('@vixshield/data');
    const app = await import('@vixshield/app');
    const a = await clean.runWalkForward(opts);
    expect(a.folds.map((f) => [f.train.from, f.train.to, f.test.from, f.test.to])).toEqual([
      ['2019-01-02', '2019-06-28', '2019-07-01', '2019-09-30'],
      ['2019-04-01', '2019-09-30', '2019-10-01', '2019-12-31'],
    ]);
    expect(a.variants).toBe(4);
    expect(a.jobs).toBe(16);
    expect(a.stitched.months).toBe(6);
    expect(a.pbo.variants).toBe(4);

    // Poison SPX from the first test day on: +-4% every day (condors there lose their full width).
    const md = app.marketData();
    const rows = md.snapshots
      .filter((s) => s.date >= '2019-07-01' && s.date <= '2019-12-31')
      .map((s, i) => {
        const c = s.spx.close * (i % 2 === 0 ? 1.04 : 0.96);
        return `${s.date},${c},${c * 1.001},${c * 0.999},${c},${c},0`;
      });
    const file = join(dir, 'spx-poison.csv');
    writeFileSync(file, `Date,Open,High,Low,Close,Adj Close,Volume\n${rows.join('\n')}\n`);
    const dataDir = join(dir, 'data');
    data.importUserSeries({
      dataDir,
      series: 'spx',
      file,
      mode: 'extend',
      isTradingDay: data.exchangeIsTradingDay,
    });

    vi.resetModules();
    const poisoned = await import('../../src/index');
    const b = await poisoned.runWalkForward({ ...opts, dataDir });
    expect(b.dataVersion).not.toBe(a.dataVersion);
    const f0a = a.folds[0]!;
    const f0b = b.folds[0]!;
    // the train window's data are the same, so is everything decided on it
    expect(f0b.chosen).toBe(f0a.chosen);
    expect(f0b.inSample).toEqual(f0a.inSample);
    expect(b.variantResults.map((v) => v.trainSharpe[0])).toEqual(
      a.variantResults.map((v) => v.trainSharpe[0]),
    );
    // ... while the test window (after the poison date) really changed
    expect(f0b.outOfSample).not.toEqual(f0a.outOfSample);
    expect(b.variantResults.map((v) => v.testSharpe[0])).not.toEqual(
      a.variantResults.map((v) => v.testSharpe[0]),
    );
  });
});
