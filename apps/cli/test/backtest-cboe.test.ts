import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli';

describe('vixshield backtest --strategy cboe-bxm|cboe-put (end to end)', () => {
  it('cboe-bxm prints the comparison with the published BXM and writes the JSON', () => {
    const json = join(mkdtempSync(join(tmpdir(), 'vixshield-cboe-')), 'bxm.json');
    const r = runCli([
      'backtest',
      '--strategy',
      'cboe-bxm',
      '--from',
      '2019-01-02',
      '--to',
      '2019-12-31',
      '--json',
      json,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Cboe BXM replication/);
    expect(r.stdout).toMatch(/base level\s+BXM \d+(\.\d+)? on 2019-01-02/);
    expect(r.stdout).toMatch(/monthly \/ daily correlation\s+0\.9\d+/);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.result.strategy).toBe('cboe-bxm');
    expect(out.result.levels[0].date).toBe('2019-01-02');
    expect(out.result.rolls.length).toBe(13);
    expect(out.fill).toEqual({ name: 'mid' });
    expect(out.comparison.months).toBe(12);
  });

  it('cboe-put with a fill variant says that no PUT history is embedded', () => {
    const r = runCli([
      'backtest',
      '--strategy',
      'cboe-put',
      '--from',
      '2019-01-02',
      '--to',
      '2019-03-29',
      '--fill',
      'orats-like',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Cboe PUT replication/);
    expect(r.stdout).toMatch(/option sale\s+orats-like/);
    expect(r.stdout).toMatch(/no PUT history is embedded/);
  });

  it('an unknown strategy is a usage error (exit 2)', () => {
    const r = runCli(['backtest', '--strategy', 'cboe-xyz']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--strategy 'cboe-xyz' is not one of vixshield, cboe-bxm, cboe-put, cboe-cndr/);
  });

  it('cboe-cndr prints the condor summary and writes the JSON with the rolls and the monthly series', () => {
    const json = join(mkdtempSync(join(tmpdir(), 'vixshield-cndr-')), 'cndr.json');
    const r = runCli([
      'backtest',
      '--strategy',
      'cboe-cndr',
      '--from',
      '2019-01-02',
      '--to',
      '2019-12-31',
      '--json',
      json,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Cboe CNDR \(iron condor\) replication/);
    expect(r.stdout).toMatch(/base level\s+100 on 2019-01-02/);
    expect(r.stdout).toMatch(/no CNDR history is embedded/);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.result.strategy).toBe('cboe-cndr');
    expect(out.result.levels[0]).toMatchObject({ date: '2019-01-02', level: 100 });
    expect(out.result.rolls.length).toBe(13);
    const roll = out.result.rolls[1];
    expect(roll.date).toBe('2019-01-18');
    expect(roll.strikes.longPut).toBeLessThan(roll.strikes.shortPut);
    expect(roll.strikes.shortCall).toBeLessThan(roll.strikes.longCall);
    expect(Math.abs(roll.deltas.shortPut + 0.2)).toBeLessThan(0.03);
    expect(Math.abs(roll.deltas.longCall - 0.05)).toBeLessThan(0.02);
    expect(out.monthly.length).toBe(12);
    expect(out.monthly[0].return).toBeNull();
    expect(out.monthly[1].level / out.monthly[0].level - 1).toBeCloseTo(out.monthly[1].return, 12);
  });
});
