import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli';

describe('vixshield sweep --walk-forward (end to end, 2019, two configurations)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vs-cli-wf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const base = [
    'sweep',
    '--param',
    'sizing.maxLossFractionOfEquity=0.05,0.1',
    '--data-dir',
    join(dir, 'data'),
  ];

  it('prints the folds, the stitched out-of-sample result, the efficiency, DSR and PBO; writes JSON and HTML', () => {
    const json = join(dir, 'wf.json');
    const html = join(dir, 'wf.html');
    const r = runCli([
      ...base,
      '--from',
      '2019-01-02',
      '--to',
      '2019-12-31',
      '--walk-forward',
      '6m:3m',
      '--json',
      json,
      '--html',
      html,
    ]);
    expect(r.stderr).toMatch(/2 folds x 2 variants x \(train \+ test\) = 8 jobs/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/walk-forward sweep over preset vixshield: 2 variants tried/);
    expect(r.stdout).toMatch(/1 \| 2019-01-02 \.\. 2019-06-28 \(124 d\) \| 2019-07-01 \.\. 2019-09-30/);
    expect(r.stdout).toMatch(/stitched out-of-sample \(2019-07-01 \.\. 2019-12-31, 6 months\)/);
    expect(r.stdout).toMatch(/walk-forward efficiency: Sharpe/);
    expect(r.stdout).toMatch(/deflated Sharpe of each fold's train best \(trials = 2\)/);
    expect(r.stdout).toMatch(
      /PBO \(probability of backtest overfitting, CSCV\): [\d.]+% over 20 combinations of 6 blocks/,
    );
    const j = JSON.parse(readFileSync(json, 'utf8'));
    expect(j.kind).toBe('walk-forward');
    expect(j.folds).toHaveLength(2);
    expect(j.folds[0].chosen === 0 || j.folds[0].chosen === 1).toBe(true);
    expect(j.variants).toBe(2);
    expect(typeof j.pbo.pbo).toBe('number');
    expect(j.stitched.equity).toHaveLength(6);
    const h = readFileSync(html, 'utf8');
    expect(h).toMatch(/Stitched out-of-sample/);
    expect(h).toMatch(/PBO \(CSCV\)/);

    // a rerun is served from the cache: the (configuration, window) jobs are keyed with the window
    const again = runCli([...base, '--from', '2019-01-02', '--to', '2019-12-31', '--walk-forward', '6m:3m']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/8 jobs, 8 from cache/);
  });

  it('a plain sweep over a year states variants, deflated Sharpe and a PBO over 12 months', () => {
    const r = runCli([...base, '--from', '2019-01-02', '--to', '2019-12-31', '--pbo-blocks', '12']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/overfitting \(2 variants tried\)/);
    expect(r.stdout).toMatch(/deflated Sharpe of the best: [\d.]+/);
    expect(r.stdout).toMatch(
      /PBO \(probability of backtest overfitting, CSCV\): [\d.]+% over 924 combinations of 12 blocks x 1 month/,
    );
  });

  it('bad walk-forward input is a usage error naming the flag', () => {
    const bad = runCli([...base, '--walk-forward', '3y']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--walk-forward '3y' must be TRAIN:TEST/);
    const step = runCli([...base, '--step', '1y']);
    expect(step.code).toBe(2);
    expect(step.stderr).toMatch(/--step needs --walk-forward/);
    const both = runCli([...base, '--walk-forward', '1y:6m', '--holdout', '2019-06-03']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--holdout and --walk-forward are alternatives/);
    const short = runCli([...base, '--from', '2019-01-02', '--to', '2019-06-28', '--walk-forward', '1y:6m']);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/too short for one train window/);
    const blocks = runCli([...base, '--pbo-blocks', '7']);
    expect(blocks.code).toBe(2);
    expect(blocks.stderr).toMatch(/--pbo-blocks '7' must be an even integer/);
  });
});
