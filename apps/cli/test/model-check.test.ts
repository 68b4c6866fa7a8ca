import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, '../bin/vixshield.js');

describe('vixshield model check (issue 14)', () => {
  it('prices the embedded real chains, reports buckets and the condor zone, writes the SVG', () => {
    const out = mkdtempSync(join(tmpdir(), 'model-check-'));
    const r = spawnSync(process.execPath, [bin, 'model', 'check', '--json', '--out', out], {
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const o = JSON.parse(r.stdout) as {
      chains: { file: string; asOf: string }[];
      buckets: { dte: string; moneyness: string; n: number; medianAbsMidError: number }[];
      condorZone: { n: number; medianAbsMidError: number };
      plot: string;
    };
    expect(o.chains.length).toBe(41); // 40 quote days of the 2018 file and the 2019-06-26 snapshot
    expect(o.chains.some((c) => c.asOf === '2019-06-26')).toBe(true);
    // Measured (surface 1.5.0): 111 quotes, 33.3% (2018 near-expiry 29.5%, 2019-06-26 2DTE 64.6%);
    // packages/app/test/model-check.test.ts pins them to MODEL_MEASURED_ERROR.
    expect(o.condorZone.n).toBe(111);
    expect(o.condorZone.medianAbsMidError).toBeGreaterThan(0.25);
    expect(o.condorZone.medianAbsMidError).toBeLessThan(0.45);
    const month = o.buckets.find((b) => b.dte === '11-20' && b.moneyness === '0.5-2.5%')!;
    expect(month.medianAbsMidError).toBeLessThan(0.15);
    expect(existsSync(o.plot)).toBe(true);
    expect(readFileSync(o.plot, 'utf8')).toMatch(/^<svg /);
  });

  it('an --out that cannot be created is refused before the work, naming it (no spin under /proc)', () => {
    const r = spawnSync(process.execPath, [bin, 'model', 'check', '--out', '/proc/vixshield-nope'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'plot directory /proc/vixshield-nope cannot be written (it cannot be created there)',
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing --chain file is a clear error, not a stack trace', () => {
    const r = spawnSync(process.execPath, [bin, 'model', 'check', '--chain', '/nonexistent/x.csv'], {
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/--chain: cannot read \/nonexistent\/x\.csv/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--data-dir: the chains of the store (an imported file) are checked too, at their own instant', () => {
    const dir = mkdtempSync(join(tmpdir(), 'model-check-store-'));
    // One day of the embedded 2018 file, imported into the data dir's chain store under another name.
    const src = readFileSync(
      resolve(here, '../../../data/spx-options-eod-2018-01-02_historicaloptiondata-format.csv'),
      'utf8',
    );
    const lines = src.split('\n');
    const day = [lines[0], ...lines.filter((l) => l.includes(',01/30/2018,'))].join('\n');
    const file = join(dir, 'spxw-2018-01-30.csv');
    writeFileSync(file, `${day}\n`);
    const imp = spawnSync(
      process.execPath,
      [bin, 'chains', 'import', file, '--layout', 'hod', '--data-dir', dir],
      {
        encoding: 'utf8',
        timeout: 180_000,
      },
    );
    expect(imp.status, imp.stderr).toBe(0);
    const r = spawnSync(
      process.execPath,
      [bin, 'model', 'check', '--json', '--out', dir, '--data-dir', dir],
      {
        encoding: 'utf8',
        timeout: 180_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const o = JSON.parse(r.stdout) as { chains: { file: string; asOf: string; compared: number }[] };
    expect(o.chains.length).toBe(42);
    const stored = o.chains.find((c) => c.file === 'spxw-2018-01-30.csv')!;
    const embedded = o.chains.find((c) => c.file !== stored.file && c.asOf === '2018-01-30')!;
    expect(stored.asOf).toBe('2018-01-30');
    // The same quotes, so the same comparisons as the embedded copy of that day.
    expect(stored.compared).toBeGreaterThan(0);
    expect(stored.compared).toBe(embedded.compared);
  });
});
