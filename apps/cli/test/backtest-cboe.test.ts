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
    expect(r.stderr).toMatch(/--strategy 'cboe-xyz' is not one of vixshield, cboe-bxm, cboe-put/);
  });
});
