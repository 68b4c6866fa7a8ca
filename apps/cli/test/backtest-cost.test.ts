import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeBacktestSummary } from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import { fromReturns } from '../../../packages/core/test/metrics/fixtures';
import { runCli } from '../../../test/support/cli';
import { formatCostSensitivity, formatModelSensitivity } from '../src/commands/backtest';

describe('the cost-sensitivity table (npm start prints the five runs it announces)', () => {
  it('one row per spread share with final equity, CAGR, Sharpe, drawdown, win rate, trades and ruin', () => {
    const good = computeBacktestSummary(fromReturns(100_000, [0.01, -0.005, 0.02, 0.01]));
    const wiped = computeBacktestSummary(fromReturns(100_000, [0.01, -0.5, -1.2, 0]));
    const text = formatCostSensitivity([
      { spreadShare: 0, summary: good },
      { spreadShare: 0.5, summary: good },
      { spreadShare: 1, summary: wiped },
    ]);
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe(
      'Cost sensitivity (share of the bid-ask spread paid on every fill, from the favourable side: 0% = the far side, better than mid; 50% = mid; 100% = natural):',
    );
    expect(lines).toHaveLength(5); // title, header, three runs
    // 0 is the far side (fractionFill(0) sells at the ask), 0.5 the mid: the labels said 0% was mid.
    expect(lines[2]).toMatch(/^ {2}0% \(far side\) +\d+ USD +[\d.]+% +[\d.-]+ +[\d.]+% +- +0 +-$/);
    expect(lines[3]).toContain('50% (mid)');
    // 100000 x 1.01 x 0.5 x (1 - 1.2) < 0: ruined the day equity went below zero, no Sharpe.
    expect(lines[4]).toMatch(/^ {2}100% \(natural\) .* -100\.00% +- .* \d{4}-\d{2}-\d{2}$/);
    expect(wiped.ruinedOn).not.toBeNull();
    // Columns line up: every row as wide as the header.
    expect(new Set(lines.slice(1).map((l) => l.length)).size).toBe(1);
  });
});

describe('the model-sensitivity table: the result at the bounds of the measured one-day level error', () => {
  it('one row per level, the model marked, columns aligned', () => {
    const good = computeBacktestSummary(fromReturns(100_000, [0.01, -0.005, 0.02, 0.01]));
    const text = formatModelSensitivity([
      { oneDayLevelScale: 0.88, summary: good },
      { oneDayLevelScale: 1, summary: good },
      { oneDayLevelScale: 1.23, summary: good },
    ]);
    const lines = text.trim().split('\n');
    expect(lines[0]).toContain(
      "real 1-2 day SPXW chains traded at 0.88 to 1.23 times the model's one-day vol level",
    );
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/^ {2}0\.88 x +\d+ USD/);
    expect(lines[3]).toContain('1.00 x (the model)');
    expect(new Set(lines.slice(1).map((l) => l.length)).size).toBe(1);
  });

  it('backtest prints it by default on modelled chains, and --no-model-sensitivity skips it', () => {
    const args = ['backtest', '--from', '2024-06-03', '--to', '2024-07-31', '--no-cost-sensitivity'];
    const out = mkdtempSync(join(tmpdir(), 'vixshield-model-sens-'));
    const on = runCli([...args, '--out', out]);
    expect(on.code).toBe(0);
    expect(on.stdout).toContain('Model sensitivity');
    expect(on.stdout).toMatch(/1\.00 x \(the model\) +82757 USD/); // the golden window's final equity
    const json = JSON.parse(readFileSync(join(out, 'backtest-vixshield.json'), 'utf8'));
    expect(json.modelSensitivity.map((p: { oneDayLevelScale: number }) => p.oneDayLevelScale)).toEqual([
      0.88, 1, 1.23,
    ]);
    const html = readFileSync(join(out, 'backtest-vixshield.html'), 'utf8');
    expect(html).toContain('id="model-sensitivity"');
    expect(html).toContain('Real 1-2 day SPXW chains traded at 0.88 to 1.23 times');
    const off = runCli([...args, '--no-model-sensitivity', '--out', out]);
    expect(off.code).toBe(0);
    expect(off.stdout).not.toContain('Model sensitivity');
  });
});

describe('backtest output directory checked before the run (issue 18)', () => {
  it.each([
    ['/etc/passwd/x', 'a part of the path is a file'],
    ['/proc/vixshield-nope', 'cannot be created there'],
  ])('--out %s: exit 1 at once with the reason, no stack, no spin', (out, reason) => {
    const r = runCli(['backtest', '--from', '2024-01-02', '--to', '2024-01-31', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`report directory ${out}`);
    expect(r.stderr).toContain(reason);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.stdout).not.toContain('trades / win rate'); // refused before running, not after
  });
});

describe('backtest --max-mark-quote-age', () => {
  it.each(['0', '-3', 'five'])('%s: exit 2 naming the option, before any run', (age) => {
    const r = runCli(['backtest', '--from', '2024-01-02', '--to', '2024-01-31', '--max-mark-quote-age', age]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('max-mark-quote-age');
    expect(r.stderr).toContain('must be a number of minutes > 0, e.g. 5');
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.stdout).not.toContain('trades / win rate');
  });
});
