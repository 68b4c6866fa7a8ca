import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marketData, sessionsUpTo } from '@vixshield/app';
import { computeBacktestSummary, ORATS_LIKE_FILL, resolveConfig, runBacktest } from '@vixshield/core';
import { embeddedPorts } from '@vixshield/data';
import { afterAll, describe, expect, it } from 'vitest';
import {
  formatSweep,
  gridSize,
  overridesOf,
  parseSweepParam,
  renderSweepHtml,
  runJobs,
  runSweep,
  runSweepJob,
  type SweepJob,
  spearman,
  sweepKey,
  sweepPoints,
} from '../../src/index';

describe('sweep space from the zod schema', () => {
  it('parses and coerces values by the leaf type', () => {
    expect(parseSweepParam('hedge.unitContracts=1,2.5')).toEqual({
      path: 'hedge.unitContracts',
      values: [1, 2.5],
    });
    expect(parseSweepParam('roll.enabled=true,false').values).toEqual([true, false]);
    expect(parseSweepParam('roll.rollbackMode=back-to-short,next-weekly').values).toHaveLength(2);
  });
  it('errors name the path', () => {
    expect(() => parseSweepParam('hedge.nope=1')).toThrow(
      /param hedge\.nope: no field 'nope' under 'hedge'; fields there: .*unitContracts/,
    );
    expect(() => parseSweepParam('nothing=1')).toThrow(/param nothing: no field 'nothing' at the top level/);
    expect(() => parseSweepParam('roll.maxRolls=1,2.5')).toThrow(
      /param roll\.maxRolls: value '2\.5' is invalid/,
    );
    expect(() => parseSweepParam('sizing.maxLossFractionOfEquity=0.1,2')).toThrow(
      /sizing\.maxLossFractionOfEquity: value '2'/,
    );
    expect(() => parseSweepParam('roll.enabled=yes')).toThrow(
      /param roll\.enabled: 'yes' is not true or false/,
    );
    expect(() => parseSweepParam('roll.rollbackMode=sideways')).toThrow(/one of back-to-short, next-weekly/);
    expect(() => parseSweepParam('hedge.unitContracts=abc')).toThrow(/'abc' is not a number/);
    expect(() => parseSweepParam('hedge=1')).toThrow(/param hedge: is a group of fields/);
    expect(() => parseSweepParam('hedge.layers=1')).toThrow(/param hedge\.layers: is a array/);
    expect(() => parseSweepParam('hedge.unitContracts')).toThrow(/must look like path=v1,v2/);
    expect(() => parseSweepParam('hedge.unitContracts=1,1')).toThrow(/repeated/);
  });
  it('grid enumerates every combination; random draws distinct points deterministically', () => {
    const ps = [parseSweepParam('hedge.unitContracts=1,2,3'), parseSweepParam('roll.enabled=true,false')];
    expect(gridSize(ps)).toBe(6);
    const grid = sweepPoints('vixshield', ps);
    expect(grid).toHaveLength(6);
    expect(new Set(grid.map((p) => JSON.stringify(p.values))).size).toBe(6);
    expect(grid[0]!.config.hedge.unitContracts).toBe(1);
    const a = sweepPoints('vixshield', ps, { random: 4, seed: 7 });
    const b = sweepPoints('vixshield', ps, { random: 4, seed: 7 });
    expect(a.map((p) => p.values)).toEqual(b.map((p) => p.values));
    expect(new Set(a.map((p) => JSON.stringify(p.values))).size).toBe(4);
    expect(sweepPoints('vixshield', ps, { random: 100 })).toHaveLength(6);
    expect(
      overridesOf([
        ['a.b', 1],
        ['a.c', true],
      ]),
    ).toEqual({ a: { b: 1, c: true } });
  });
});

describe('cache keying', () => {
  it('is the same for the same configuration in any key order, and changes with config, window, data and bars', () => {
    const c1 = resolveConfig('vixshield', { hedge: { unitContracts: 2 }, roll: { maxRolls: 2 } });
    const c2 = resolveConfig('vixshield', { roll: { maxRolls: 2 }, hedge: { unitContracts: 2 } });
    const k = sweepKey(c1, '2019-01-02', '2019-06-28', 'v1', 'b1');
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(sweepKey(c2, '2019-01-02', '2019-06-28', 'v1', 'b1')).toBe(k);
    expect(sweepKey(resolveConfig('vixshield'), '2019-01-02', '2019-06-28', 'v1', 'b1')).not.toBe(k);
    expect(sweepKey(c1, '2019-01-03', '2019-06-28', 'v1', 'b1')).not.toBe(k);
    expect(sweepKey(c1, '2019-01-02', '2019-06-28', 'v2', 'b1')).not.toBe(k);
    // Imported or corrected intraday bars (issue 16) miss the disk cache too.
    expect(sweepKey(c1, '2019-01-02', '2019-06-28', 'v1', 'b2')).not.toBe(k);
  });
  it('spearman of identical rankings is 1 and of reversed is -1', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1);
  });
});

function sessionsOf(job: SweepJob) {
  return sessionsUpTo(
    marketData(),
    job.to,
    job.config.entry.timeCt,
    job.config.hedge.trigger.zLookbackDays,
  ).sessions.filter((s) => s.date >= job.from);
}

describe('worker pool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vs-sweep-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const jobs: SweepJob[] = [1, 2].map((u) => ({
    config: resolveConfig('vixshield', { hedge: { unitContracts: u } }),
    from: '2019-01-02' as SweepJob['from'],
    to: '2019-02-28' as SweepJob['to'],
  }));
  it('gives the same results as a serial run (elapsed time aside), and the cache serves a rerun', async () => {
    const serial = await runJobs(jobs, { workers: 1 });
    const pooled = await runJobs(jobs, { workers: 2, cache: dir });
    const strip = (rs: typeof serial.results) => rs.map(({ elapsedMs: _e, ...rest }) => rest);
    expect(strip(pooled.results)).toEqual(strip(serial.results));
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(2);
    const again = await runJobs(jobs, { workers: 2, cache: dir });
    expect(again.cacheHits).toBe(2);
    expect(again.results).toEqual(pooled.results);
  });
  it('jobs sharing a thread share its chains without changing any result (cold replay = warm replay)', () => {
    const md = marketData();
    const [a, b] = jobs as [SweepJob, SweepJob];
    // Reference: job b on fresh ports, nothing cached.
    const cold = runBacktest(
      sessionsOf(b),
      embeddedPorts(md, { quoteTimeCt: b.config.entry.timeCt }),
      b.config,
      {
        initialEquity: 100_000,
        fill: ORATS_LIKE_FILL,
        pricesSource: { kind: 'modelled', detail: 't' },
      },
    );
    const coldSummary = computeBacktestSummary(cold);
    runSweepJob(a); // warms this thread's shared chains
    const warm = runSweepJob(b);
    expect(warm.trades).toBe(coldSummary.trades);
    expect(warm.totalReturn).toBe(coldSummary.totalReturn);
    expect(warm.sharpe).toBe(coldSummary.sharpe);
    expect(warm.maxDrawdown).toBe(coldSummary.maxDrawdown?.depth ?? null);
    expect(runSweepJob(b)).toEqual({ ...warm, elapsedMs: expect.any(Number) });
  });
  it('runSweep with a hold-out reports variants, both windows and the overfitting estimate', async () => {
    const r = await runSweep({
      params: ['hedge.unitContracts=1,2'],
      from: '2019-01-02',
      to: '2019-04-30',
      holdout: '2019-03-01',
      cacheDataDir: dir,
    });
    expect(r.variants).toBe(2);
    expect(r.jobs).toBe(4);
    expect(r.holdoutWindow?.from).toBe('2019-03-01');
    expect(r.rows.every((x) => x.outOfSample !== null)).toBe(true);
    expect(r.overfitting.bestIndex).not.toBeNull();
    // two months in the ranking window: the PBO says why it is missing; the report states it
    expect(r.pbo).toMatchObject({ pbo: null, variants: 2, periods: 2 });
    expect(r.pbo.note).toMatch(/2 monthly periods: CSCV needs at least 4/);
    const text = formatSweep(r);
    expect(text).toMatch(/overfitting \(2 variants tried\)/);
    expect(text).toMatch(/deflated Sharpe of the best/);
    expect(text).toMatch(/PBO: n\/a/);
    expect(renderSweepHtml(r)).toMatch(/PBO \(CSCV\)/);
  });
});
