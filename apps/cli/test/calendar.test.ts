import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = resolve(repoRoot, 'apps/cli/bin/vixshield.js');

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('vixshield calendar', () => {
  it('--json prints one object per trading day with New York times and expiry flags', () => {
    const r = run('calendar', '--from', '2019-04-17', '--to', '2019-04-23', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      {
        date: '2019-04-17',
        open: '09:30',
        close: '16:00',
        earlyClose: false,
        spxwExpiry: true,
        spxMonthlyExpiry: false,
      },
      {
        date: '2019-04-18',
        open: '09:30',
        close: '16:00',
        earlyClose: false,
        spxwExpiry: true,
        spxMonthlyExpiry: true,
      },
      {
        date: '2019-04-22',
        open: '09:30',
        close: '16:00',
        earlyClose: false,
        spxwExpiry: true,
        spxMonthlyExpiry: false,
      },
      {
        date: '2019-04-23',
        open: '09:30',
        close: '16:00',
        earlyClose: false,
        spxwExpiry: false,
        spxMonthlyExpiry: false,
      },
    ]);
  });

  it('shows early closes', () => {
    const r = run('calendar', '--from', '2024-12-23', '--to', '2024-12-27', '--json');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ date: string; close: string; earlyClose: boolean }>;
    expect(rows.map((x) => [x.date, x.close, x.earlyClose])).toEqual([
      ['2024-12-23', '16:00', false],
      ['2024-12-24', '13:00', true],
      ['2024-12-26', '16:00', false],
      ['2024-12-27', '16:00', false],
    ]);
  });

  it('prints a readable table without --json', () => {
    const r = run('calendar', '--from', '2023-11-22', '--to', '2023-11-24');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^date\s+open ET\s+close ET\s+early\s+SPXW expiry\s+SPX AM monthly$/);
    expect(lines[2]).toMatch(/^2023-11-22\s+09:30\s+16:00\s+yes$/);
    expect(lines[3]).toMatch(/^2023-11-24\s+09:30\s+13:00\s+yes\s+yes$/);
    expect(lines.at(-1)).toBe('2 trading day(s)');
  });

  it('exits 2 with a clear message on bad input', () => {
    const bad = run('calendar', '--from', '2024-02-30', '--to', '2024-03-05', '--json');
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain("'2024-02-30' is not a valid date");
    const range = run('calendar', '--from', '1989-12-01', '--to', '1990-01-05');
    expect(range.code).toBe(2);
    expect(range.stderr).toContain('outside the supported calendar 1990-2030');
    const missing = run('calendar', '--from', '2024-03-01');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing --to');
    const reversed = run('calendar', '--from', '2024-03-05', '--to', '2024-03-01');
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toContain('is after --to');
  });
});

describe('vixshield calendar expirations', () => {
  it('--json lists SPX and SPXW expirations listed on the date with DTE', () => {
    const r = run('calendar', 'expirations', '--date', '2019-04-15', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(list.slice(0, 4)).toEqual([
      { expiry: '2019-04-15', root: 'SPXW', settlement: 'PM', kind: 'daily', dteTrading: 0, dteCalendar: 0 },
      { expiry: '2019-04-17', root: 'SPXW', settlement: 'PM', kind: 'daily', dteTrading: 2, dteCalendar: 2 },
      { expiry: '2019-04-18', root: 'SPX', settlement: 'AM', kind: 'monthly', dteTrading: 3, dteCalendar: 3 },
      {
        expiry: '2019-04-18',
        root: 'SPXW',
        settlement: 'PM',
        kind: 'monthly',
        dteTrading: 3,
        dteCalendar: 3,
      },
    ]);
    expect(list.filter((e) => e.root === 'SPX')).toHaveLength(13);
  });

  it('prints a table without --json', () => {
    const r = run('calendar', 'expirations', '--date', '2024-03-25');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2024-03-28\s+SPXW\s+PM\s+eom\s+3\s+3/);
    expect(r.stdout).toMatch(/2024-04-19\s+SPX\s+AM\s+monthly\s+18\s+25/);
  });

  it('exits 2 on a bad or missing date', () => {
    const bad = run('calendar', 'expirations', '--date', 'tomorrow', '--json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'tomorrow' is not a valid date");
    const missing = run('calendar', 'expirations');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing --date');
    const range = run('calendar', 'expirations', '--date', '2031-01-02');
    expect(range.code).toBe(2);
  });
});

describe('vixshield calendar | head (issue 15 case 10)', () => {
  it('case 10: a reader that closes the pipe early (head) ends the command quietly, exit 0, no EPIPE trace', () => {
    // bash with pipefail reports the CLI's own exit status; head -2 closes the pipe after two lines.
    const r = spawnSync(
      'bash',
      [
        '-o',
        'pipefail',
        '-c',
        `"${process.execPath}" "${bin}" calendar --from 1990-01-01 --to 2030-12-31 | head -2 >/dev/null`,
      ],
      { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.stderr).not.toMatch(/EPIPE/);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
