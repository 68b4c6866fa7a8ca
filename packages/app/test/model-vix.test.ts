import type { IsoDate } from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import { marketData, modelledVix } from '../src/index';

/*
 * Issue 14, deliverable 2: `vix --source model --days 30` is the Cboe VIX method on the modelled chains,
 * a consistency check of the surface against the published VIX it is built from. The figures are in
 * docs/validation.md ("The modelled chains' own VIX"); this recomputes them on the same sample.
 */
describe('the modelled chains give back the published VIX (every 40th session 2007-2026)', () => {
  const md = marketData();
  const sample = md.snapshots
    .filter((s) => s.date >= '2007-01-03' && s.vix !== null)
    .filter((_, i) => i % 40 === 0)
    .map((s) => ({ date: s.date, vix: s.vix!, model: modelledVix(md, s.date, 30).vix }));
  const median = (xs: readonly number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  const logRatio = (r: (typeof sample)[number]) => Math.log(r.model / r.vix);
  const bucket = (lo: number, hi: number) => sample.filter((r) => r.vix >= lo && r.vix < hi).map(logRatio);

  it('124 days; the median log ratio is +0.022 and the median miss 3.8%', () => {
    expect(sample).toHaveLength(124);
    expect(median(sample.map(logRatio))).toBeCloseTo(0.0217, 3);
    expect(median(sample.map((r) => Math.abs(logRatio(r))))).toBeCloseTo(0.0376, 3);
  });

  it('the modelled VIX runs low when the VIX is low and high when it is high', () => {
    expect(median(bucket(0, 13))).toBeCloseTo(-0.028, 3);
    expect(median(bucket(13, 16))).toBeCloseTo(0.006, 3);
    expect(median(bucket(16, 20))).toBeCloseTo(0.034, 3);
    expect(median(bucket(20, 30))).toBeCloseTo(0.052, 3);
    expect(median(bucket(30, 100))).toBeCloseTo(0.07, 3);
    // within 18% of the published close on every sampled day
    for (const r of sample) expect(Math.abs(logRatio(r)), r.date).toBeLessThan(0.18);
  });

  it('the issue 14 check day 2025-09-03: 17.79 against 16.35 published', () => {
    const r = modelledVix(md, '2025-09-03' as IsoDate, 30);
    expect(r.published).toBe(16.35);
    expect(r.vix).toBeCloseTo(17.79, 2);
  });
});
