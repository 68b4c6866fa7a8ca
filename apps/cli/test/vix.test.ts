import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IsoDate } from '@vixshield/core';
import { InvalidInputError } from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import { formatVixText, runVix } from '../src/commands/vix';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, '../bin/vixshield.js');
const FILE = resolve(here, '../../../data/spx-options-eod-2018-01-02_historicaloptiondata-format.csv');
const D = (s: string) => s as IsoDate;

describe('vixshield vix (in process)', () => {
  it('2018-01-05 with --rate: one EOM term, 26 days, the note says single term', () => {
    const o = runVix({ chain: FILE, date: D('2018-01-05'), rate: 0.014 });
    expect(o.terms).toHaveLength(1);
    expect(o.terms[0]!.expiry).toBe('2018-01-31');
    expect(o.terms[0]!.minutesToExpiry).toBe(26 * 1440);
    expect(o.vix).toBeGreaterThan(8);
    expect(o.vix).toBeLessThan(9.5); // published close 9.22
    expect(o.k0).toBe(2740);
    expect(o.rateSource).toBe('--rate');
    expect(o.note).toMatch(/single-term/);
    expect(formatVixText(o)).toMatch(/^VIX 2018-01-05: 8\.\d\d/);
  });

  it('uses the injected rate when --rate is absent, and names its source', () => {
    const o = runVix(
      { chain: FILE, date: D('2018-01-05'), near: D('2018-01-31') },
      { rateOn: () => ({ r: 0.01408, source: 'test rate' }) },
    );
    expect(o.rate).toBe(0.01408);
    expect(o.rateSource).toBe('test rate');
    expect(o.note).toMatch(/one term only/);
  });

  it('2018-02-05 by default reads the bid = ask = 0 rows as missing quotes: 39.83 against 37.32 published', () => {
    const o = runVix(
      { chain: FILE, date: D('2018-02-05') },
      { rateOn: () => ({ r: 0.01477, source: 'test rate' }) },
    );
    expect(Math.abs(o.vix - 37.32)).toBeLessThan(3);
    expect(o.terms[0]!.strikesUsed).toBe(108); // 39 when the no-market rows stop the walk
    expect(o.terms[0]!.lowestStrike).toBe(1800);
  });

  it('fails with an InvalidInputError naming the option for a missing date, expiry or rate', () => {
    expect(() => runVix({ chain: FILE, date: D('2018-03-05'), rate: 0.01 })).toThrow(
      /no quotes on 2018-03-05/,
    );
    expect(() => runVix({ chain: FILE, date: D('2018-01-05'), near: D('2018-02-28'), rate: 0.01 })).toThrow(
      /--near: no 2018-02-28 chain/,
    );
    expect(() => runVix({ chain: FILE, date: D('2018-01-05') })).toThrow(InvalidInputError);
    expect(() => runVix({ chain: '/nonexistent.csv', date: D('2018-01-05'), rate: 0.01 })).toThrow(/--chain/);
  });
});

describe('vixshield vix (spawning the real bin)', () => {
  it('--json prints vix, terms, forward, k0 with the embedded DGS3MO rate', () => {
    const r = spawnSync(process.execPath, [bin, 'vix', '--chain', FILE, '--date', '2018-02-02', '--json'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      vix: number;
      terms: unknown[];
      forward: number;
      k0: number;
      rateSource: string;
    };
    expect(out.terms).toHaveLength(1);
    expect(Math.abs(out.vix - 17.31)).toBeLessThan(0.5); // published close 17.31
    expect(out.k0).toBeLessThanOrEqual(out.forward);
    expect(out.rateSource).toMatch(/^DGS3MO/);
  });

  it('exits 2 on a bad --date', () => {
    const r = spawnSync(process.execPath, [bin, 'vix', '--chain', FILE, '--date', '2018-13-01'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--date/);
  });
});

describe('vixshield vix --source model (issue 14)', () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, [bin, 'vix', '--source', 'model', ...args], {
      encoding: 'utf8',
      timeout: 120_000,
    });

  it('--days 1 --json: the VIX1D calculation on the modelled front chain gives back the one-day vol', () => {
    const r = run(['--date', '2025-08-01', '--days', '1', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const o = JSON.parse(r.stdout) as {
      vix: number;
      days: number;
      terms: { expiry: string }[];
      published: number | null;
      oneDayVix: { value: number; source: string };
      note: string;
    };
    expect(o.days).toBe(1);
    // Friday 2025-08-01 at 15:10 CT: the front expiry is Monday's, alone.
    expect(o.terms.map((t) => t.expiry)).toEqual(['2025-08-04']);
    // three calendar days, one session: annualised in business time as Cboe's VIX1D is
    expect(o.note).toMatch(/annualised in business time \(1\.00 session \/ 252\)/);
    expect(o.oneDayVix.source).toBe('model');
    expect(o.published).toBeNull();
    expect(Math.abs(Math.log(o.vix / o.oneDayVix.value))).toBeLessThan(0.03);
  });

  it('--days 30 on a VIX1D training day reports the published VIX next to the modelled one', () => {
    const r = run(['--date', '2024-10-01', '--days', '30', '--json']);
    expect(r.status).toBe(0);
    const o = JSON.parse(r.stdout) as { vix: number; published: number; terms: unknown[] };
    expect(o.published).toBe(19.26);
    expect(o.terms.length).toBeGreaterThanOrEqual(1);
    // 22.74: one of the largest misses of the sample (docs/validation.md, "The modelled chains' own VIX")
    expect(o.vix).toBeCloseTo(22.74, 2);
    expect(Math.log(o.vix / o.published)).toBeLessThan(0.18);
  });

  it('rejects --chain with --source model and --days other than 1 or 30, without a stack trace', () => {
    const a = run(['--date', '2025-08-01', '--days', '1', '--chain', FILE]);
    expect(a.status).not.toBe(0);
    expect(a.stderr).toMatch(/--chain cannot be used with --source model/);
    expect(a.stderr).not.toMatch(/\n\s+at /);
    const b = run(['--date', '2025-08-01', '--days', '7']);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/--days must be 1/);
    // a weekend and a day after the data are bad input, named as the backtest names them
    const c = run(['--date', '2025-09-06', '--days', '1']);
    expect(c.status).toBe(2);
    expect(c.stderr).toMatch(/--date 2025-09-06 is not a trading day \(weekend or exchange holiday\)/);
    const e = run(['--date', '2030-01-02', '--days', '30']);
    expect(e.status).toBe(2);
    expect(e.stderr).toMatch(/--date 2030-01-02 is outside the data \(1990-01-02 \.\. /);
    expect(c.stderr + e.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('vixshield vix --source model --data-dir: a VIX1D close in the data directory', () => {
  it('is the one-day vol of its day: the modelled VIX1D gives it back and reports it as published', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vixshield-vix-dd-'));
    const file = join(dir, 'VIX1D_History.csv');
    // Cboe's history layout with its MM/DD/YYYY dates; the close is made up for the test
    writeFileSync(file, 'DATE,OPEN,HIGH,LOW,CLOSE\n07/15/2026,13.90,14.40,7.20,7.50\n');
    const dataDir = join(dir, 'data');
    const imp = spawnSync(
      process.execPath,
      [bin, 'data', 'import', 'vix1d', file, '--date-format', 'MM/DD/YYYY', '--data-dir', dataDir],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(imp.stderr).toBe('');
    expect(imp.status).toBe(0);
    const run = (extra: string[]) =>
      spawnSync(
        process.execPath,
        [bin, 'vix', '--source', 'model', '--date', '2026-07-15', '--days', '1', '--json', ...extra],
        { encoding: 'utf8', timeout: 120_000, env: { ...process.env, VIXSHIELD_DATA_DIR: '' } },
      );
    type Out = { vix: number; published: number | null; oneDayVix: { value: number; source: string } };
    const withDir = JSON.parse(run(['--data-dir', dataDir]).stdout) as Out;
    const without = JSON.parse(run([]).stdout) as Out;
    expect(withDir.oneDayVix).toEqual({ value: 7.5, source: 'VIX1D' });
    expect(withDir.published).toBe(7.5);
    expect(Math.abs(Math.log(withDir.vix / 7.5))).toBeLessThan(0.03);
    expect(without.oneDayVix.source).toBe('model');
    expect(without.published).toBeNull();
    expect(Math.abs(without.vix - withDir.vix)).toBeGreaterThan(1);
  });

  it('--data-dir with --source real is refused, without a stack trace', () => {
    const r = spawnSync(
      process.execPath,
      [bin, 'vix', '--chain', FILE, '--date', '2018-01-05', '--data-dir', '/tmp/x'],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/--data-dir applies to --source model only/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
