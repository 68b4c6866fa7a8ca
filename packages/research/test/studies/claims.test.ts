import type { BacktestSession, IsoDate, MarketSnapshot } from '@vixshield/core';
import { resolveConfig } from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import {
  bootstrapStatistic,
  bothVerdicts,
  classifyRollReason,
  drawdownReductionInterval,
  edrDays,
  type Interval,
  meanInterval,
  splitDate,
  verdictOf,
  verdictRule,
} from '../../src/studies/index';

const ci = (estimate: number, lower: number, upper: number, n = 100): Interval => ({
  estimate,
  lower,
  upper,
  n,
  level: 0.95,
  iterations: 1000,
  seed: 1,
  blockLength: 1,
  method: 'test',
});

describe('claim verdicts', () => {
  const range = { kind: 'range', low: 0.85, high: 0.95 } as const;
  const above = { kind: 'above', threshold: 0.8 } as const;
  it('range claims: estimate in range -> supported; interval outside -> not supported; else inconclusive', () => {
    expect(verdictOf(range, ci(0.9, 0.88, 0.92))).toBe('supported');
    expect(verdictOf(range, ci(0.86, 0.8, 0.9))).toBe('supported');
    expect(verdictOf(range, ci(0.83, 0.81, 0.86))).toBe('inconclusive');
    expect(verdictOf(range, ci(0.7, 0.6, 0.8))).toBe('not supported');
    expect(verdictOf(range, ci(0.99, 0.97, 1))).toBe('not supported');
  });
  it('threshold claims need the whole interval above the threshold', () => {
    expect(verdictOf(above, ci(0.85, 0.81, 0.9))).toBe('supported');
    expect(verdictOf(above, ci(0.8, 0.78, 0.82))).toBe('inconclusive');
    expect(verdictOf(above, ci(0.7, 0.65, 0.8))).toBe('not supported');
  });
  it('small samples and missing intervals are inconclusive', () => {
    expect(verdictOf(range, ci(0.9, 0.88, 0.92, 29))).toBe('inconclusive');
    expect(verdictOf(range, ci(0.9, 0.88, 0.92, 10), 5)).toBe('supported');
    expect(verdictOf(range, null)).toBe('inconclusive');
  });
  it('two-part claims need both parts', () => {
    expect(bothVerdicts('supported', 'supported')).toBe('supported');
    expect(bothVerdicts('supported', 'inconclusive')).toBe('inconclusive');
    expect(bothVerdicts('inconclusive', 'not supported')).toBe('not supported');
  });
  it('the printed rule names the range and the minimum sample', () => {
    expect(verdictRule(range)).toContain('[0.85, 0.95]');
    expect(verdictRule(above, 7)).toContain('fewer than 7');
  });
});

describe('bootstrap', () => {
  const xs = Array.from({ length: 300 }, (_, i) => ((i * 7919) % 13) / 13);
  it('is deterministic for a seed and changes with the seed', () => {
    const a = meanInterval(xs, { iterations: 500, seed: 42, blockLength: 5 });
    const b = meanInterval(xs, { iterations: 500, seed: 42, blockLength: 5 });
    const c = meanInterval(xs, { iterations: 500, seed: 43, blockLength: 5 });
    expect(a).toEqual(b);
    expect(a?.lower).not.toBe(c?.lower);
    expect(a!.lower).toBeLessThanOrEqual(a!.estimate);
    expect(a!.upper).toBeGreaterThanOrEqual(a!.estimate);
  });
  it('a constant series has a zero-width interval; an empty one none', () => {
    const k = meanInterval([1, 1, 1, 1], { iterations: 200, seed: 1, blockLength: 2 });
    expect(k).toMatchObject({ estimate: 1, lower: 1, upper: 1 });
    expect(meanInterval([], { iterations: 200, seed: 1, blockLength: 1 })).toBeNull();
    expect(bootstrapStatistic(0, () => 0, { iterations: 10, seed: 1, blockLength: 1 })).toBeNull();
  });
  it('drawdown reduction: identical series give 0, halving the losses cuts the drawdown substantially', () => {
    const r = [0.01, -0.05, 0.02, -0.04, 0.03, 0.01, -0.02, 0.02];
    expect(
      drawdownReductionInterval(r, r, { iterations: 200, seed: 1, blockLength: 2 })?.estimate,
    ).toBeCloseTo(0, 12);
    const half = r.map((x) => (x < 0 ? x / 2 : x));
    const d = drawdownReductionInterval(half, r, { iterations: 200, seed: 1, blockLength: 2 })!;
    expect(d.estimate).toBeGreaterThan(0.4);
    expect(d.estimate).toBeLessThan(0.8);
    expect(d.lower).toBeLessThanOrEqual(d.upper);
  });
});

describe('roll reasons', () => {
  it('classifies the TTM reason texts', () => {
    expect(classifyRollReason('forward roll c1 -> 2020-01-03 (1 DTE) 3000p/3100c: x')).toBe('forward');
    expect(classifyRollReason('rollback roll c1 -> x')).toBe('rollback');
    expect(
      classifyRollReason(
        'c1: threatened (SPX 1 vs shorts 2/3) but EDR 0.5% <= 0.94% and VIX 12 <= 16: it settles',
      ),
    ).toMatch(/trigger not met/);
    expect(classifyRollReason('c1: chain k has used its 3 rolls; it settles')).toMatch(/maximum rolls/);
    expect(classifyRollReason('c1: why, but the VIX gate says no trades: no roll')).toMatch(/VIX gate/);
    expect(classifyRollReason('c1: why, but no roll target: none')).toMatch(/no roll target/);
    expect(classifyRollReason('c1: why, but cannot price the close: no chain')).toMatch(/priced/);
    expect(classifyRollReason('something else')).toBeNull();
  });
});

describe('EDR containment on constructed days', () => {
  const cfg = resolveConfig('vixshield');
  const session = (date: string, spx: number, vix: number): BacktestSession =>
    ({
      date: date as IsoDate,
      instantUtcMs: 0,
      spxOpen: null,
      market: { spx, vix, vix9d: vix, hv20: null },
    }) as unknown as BacktestSession;
  const snap = (date: string, close: number, high: number | null, low: number | null): MarketSnapshot =>
    ({
      date,
      spx: { open: null, high, low, close, closeOnly: high === null },
    }) as unknown as MarketSnapshot;
  it('counts a next-day close inside / outside the EDR band, and the intraday range', () => {
    const days = [session('2020-01-02', 4000, 18), session('2020-01-03', 4000, 18)];
    const next = new Map<string, MarketSnapshot>([
      ['2020-01-02', snap('2020-01-03', 4010, 4020, 3995)],
      ['2020-01-03', snap('2020-01-06', 3800, null, null)],
    ]);
    const out = edrDays(days, (d) => next.get(d), cfg.edr);
    expect(out).toHaveLength(2);
    // EDR at VIX 18 is about 1.16% of 4000 = 46 points.
    expect(out[0]!.edrPts).toBeGreaterThan(40);
    expect(out[0]!.edrPts).toBeLessThan(50);
    expect(out[0]).toMatchObject({ closeInside: true, rangeInside: true });
    expect(out[1]).toMatchObject({ closeInside: false, rangeInside: null });
    expect(edrDays(days.slice(0, 1), (d) => next.get(d), cfg.edr, 0.1)[0]).toMatchObject({
      closeInside: false,
      rangeInside: false,
    });
  });
  it('splits a window in two halves by calendar date', () => {
    expect(splitDate('2015-01-01' as IsoDate, '2015-01-31' as IsoDate)).toBe('2015-01-16');
  });
});
