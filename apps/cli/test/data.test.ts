import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../bin/vixshield.js');

function run(args: string[], env: Record<string, string> = {}) {
  const home = mkdtempSync(join(tmpdir(), 'vixshield-home-'));
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOME: home, VIXSHIELD_DATA_DIR: '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('vixshield data (real bin)', { timeout: 120_000 }, () => {
  it('data info --json lists every series with first/last/rows/gaps', () => {
    const r = run(['data', 'info', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      snapshots: number;
      first: string;
      last: string;
      series: Array<{ id: string; first: string; last: string; rows: number; gaps: number | null }>;
    };
    expect(j.snapshots).toBe(9227);
    expect(j.first).toBe('1990-01-02');
    expect(j.last).toBe('2026-08-21');
    const by = Object.fromEntries(j.series.map((s) => [s.id, s]));
    expect(by.spx).toMatchObject({ first: '1990-01-02', last: '2026-08-21', rows: 9227, gaps: 0 });
    expect(by.vix).toMatchObject({ first: '1990-01-02', last: '2026-08-21', rows: 9223, gaps: 4 });
    expect(by.vixFutures).toMatchObject({ first: '2004-03-26', last: '2017-05-11', rows: 3305, gaps: 0 });
    expect(by.dff!.gaps).toBeNull();
  });

  it('data info prints a table', () => {
    const r = run(['data', 'info']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^vix\s+1990-01-02 2026-08-21\s+9223\s+4\s+embedded/m);
    expect(r.stdout).toMatch(/9227 snapshots 1990-01-02 \.\. 2026-08-21/);
  });

  it('data check exits 0 with only documented quirks and lists the quirks applied', () => {
    const r = run(['data', 'check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/stooq-2021-08-11-close-from-fred: 1 date\(s\) \[2021-08-11\]/);
    expect(r.stdout).toMatch(/vvix-before-2007-not-used: 150 date\(s\)/);
    expect(r.stdout).toMatch(/OK: only documented quirks\./);
    expect(r.stdout).not.toMatch(/NEW /);
  });

  it('data import extends a series (env VIXSHIELD_DATA_DIR), and data check then fails on a new outlier', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vixshield-import-'));
    const dataDir = join(dir, 'data');
    const good = join(dir, 'vix.csv');
    writeFileSync(
      good,
      'DATE,OPEN,HIGH,LOW,CLOSE\n08/24/2026,15.7,16.0,14.9,15.1\n08/25/2026,15.0,15.4,14.2,14.5\n',
    );
    const imp = run(['data', 'import', 'vix', good, '--date-format', 'MM/DD/YYYY'], {
      VIXSHIELD_DATA_DIR: dataDir,
    });
    expect(imp.code).toBe(0);
    expect(imp.stdout).toMatch(/imported 2 rows of vix \(2026-08-24 \.\. 2026-08-25\), mode extend/);
    const info = JSON.parse(run(['data', 'info', '--json'], { VIXSHIELD_DATA_DIR: dataDir }).stdout) as {
      series: Array<{ id: string; last: string; origin: string }>;
    };
    expect(info.series.find((s) => s.id === 'vix')).toMatchObject({
      last: '2026-08-25',
      origin: 'embedded+user',
    });

    // a FRED-layout VIX extension with an absurd value is valid CSV but an undocumented outlier
    const spike = join(dir, 'vix-spike.csv');
    writeFileSync(spike, 'observation_date,VIXCLS\n2026-08-24,15.1\n2026-08-25,900\n');
    expect(run(['data', 'import', 'vix', spike, '--data-dir', dataDir]).code).toBe(0);
    const chk = run(['data', 'check', '--data-dir', dataDir]);
    expect(chk.code).toBe(1);
    expect(chk.stdout).toMatch(/NEW\s+vix\s+outlier: 1 date\(s\) \[2026-08-25\]/);
  });

  it('data import rejects a bad file with file:line:field and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vixshield-bad-'));
    const dataDir = join(dir, 'data');
    const bad = join(dir, 'spx.csv');
    writeFileSync(
      bad,
      'Date,Open,High,Low,Close\n2024-01-02,4745.20,4754.33,4722.67,4742.83\n2024-01-03,4725.07,4729.29,4699.71,n/a\n',
    );
    const r = run(['data', 'import', 'spx', bad, '--data-dir', dataDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:3: field 'Close' has bad value 'n/a': not a number`);
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
  });

  it('data import: an ambiguous or out-of-calendar date exits 2 naming file, line, field and fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vixshield-dates-'));
    const dataDir = join(dir, 'data');
    const f = join(dir, 'vix9d.csv');
    writeFileSync(f, 'DATE,VIX9D\n2026-08-24,15.0\n02/12/2026,16.0\n');
    const r = run(['data', 'import', 'vix9d', f, '--data-dir', dataDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${f}:3: field 'DATE' has bad value '02/12/2026'`);
    expect(r.stderr).toContain('--date-format MM/DD/YYYY');
    writeFileSync(f, 'DATE,VIX9D\n2031-02-12,16.0\n');
    const late = run(['data', 'import', 'vix9d', f, '--data-dir', dataDir]);
    expect(late.code).toBe(2);
    expect(late.stderr).toContain('outside the market calendar');
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
  });

  it('data imports lists user imports (series, file, rows, range, imported at); data remove drops one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vixshield-imports-'));
    const dataDir = join(dir, 'data');
    const f = join(dir, 'my-vix9d.csv');
    writeFileSync(f, 'DATE,VIX9D\n2026-08-24,15.0\n2026-08-25,16.0\n');
    expect(run(['data', 'imports', '--data-dir', dataDir]).stdout).toContain('no user imports');
    expect(run(['data', 'import', 'vix9d', f, '--data-dir', dataDir]).code).toBe(0);
    const list = run(['data', 'imports', '--data-dir', dataDir]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^id\s+series\s+mode\s+file\s+rows\s+range\s+imported at$/m);
    expect(list.stdout).toMatch(
      /^vix9d\.1\s+vix9d\s+extend\s+my-vix9d\.csv\s+2\s+2026-08-24 \.\. 2026-08-25\s+\d{4}-\d\d-\d\dT/m,
    );
    const json = JSON.parse(run(['data', 'imports', '--json', '--data-dir', dataDir]).stdout);
    expect(json).toMatchObject([{ id: 'vix9d.1', series: 'vix9d', rows: 2 }]);
    const bad = run(['data', 'remove', 'vix', '--data-dir', dataDir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("no user import is named 'vix' (imports: vix9d.1)");
    const rm = run(['data', 'remove', 'vix9d.1', '--data-dir', dataDir]);
    expect(rm.code).toBe(0);
    expect(rm.stdout).toContain('removed vix9d.1: 2 rows of vix9d from my-vix9d.csv');
    expect(readdirSync(dataDir)).toEqual(['manifest.json']);
    expect(run(['data', 'imports', '--data-dir', dataDir]).stdout).toContain('no user imports');
  });

  it('data import rejects an unknown series', () => {
    const r = run(['data', 'import', 'nope', 'x.csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown series 'nope'/);
  });
});
