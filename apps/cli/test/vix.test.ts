import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
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
