import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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

describe('vixshield data import spx-bars / data bars (real bin)', { timeout: 120_000 }, () => {
  it('imports a directory of 5-minute files into the data dir and data bars shows them beside the embedded bars', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vixshield-bars-cli-'));
    const src = join(dir, 'in');
    mkdirSync(src);
    writeFileSync(
      join(src, '2026-08-24.csv'),
      'time,open,high,low,close\n09:30,7000,7010,6995,7005\n09:35,7005,7012,7001,7010\n',
    );
    const dataDir = join(dir, 'data');
    const imp = run(['data', 'import', 'spx-bars', src, '--resolution', '5m', '--data-dir', dataDir]);
    expect(imp.stderr).toBe('');
    expect(imp.code).toBe(0);
    expect(imp.stdout).toMatch(
      /imported 2 5m SPX bars on 1 day\(s\) \(2026-08-24 \.\. 2026-08-24\) from 1 file\(s\)/,
    );
    expect(imp.stdout).toMatch(/missing-bars: 1 day\(s\)\..*09:40-15:55 \(76 bars\)/);
    expect(existsSync(join(dataDir, 'intraday', 'spx-5m.1.csv'))).toBe(true);
    const info = run(['data', 'bars', '--json', '--data-dir', dataDir]);
    expect(info.code).toBe(0);
    const j = JSON.parse(info.stdout) as {
      series: Array<{ id: string; days: number; last: string; origin: string }>;
    };
    expect(j.series.find((s) => s.id === 'spx-1h')).toMatchObject({ days: 736, origin: 'embedded' });
    expect(j.series.find((s) => s.id === 'spx-5m')).toMatchObject({
      days: 67,
      last: '2026-08-24',
      origin: 'embedded+user',
    });
    const table = run(['data', 'bars', '--data-dir', dataDir]);
    expect(table.stdout).toMatch(/^spx-1h\s+2023-09-15 2026-08-21\s+736\s+5122\s+embedded$/m);
    expect(table.stdout).toMatch(/missing bars 2026-01-30: 11:30-15:30 \(5 bars\)/);
  });

  it('bad input exits 2 with file, line, field and fix, and nothing is stored', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vixshield-bars-cli-'));
    const f = join(dir, '2026-08-24.csv');
    writeFileSync(f, 'time,open,high,low,close\n09:30,7000,7010,6995,7005\n17:00,7005,7012,7001,7010\n');
    const dataDir = join(dir, 'data');
    const r = run(['data', 'import', 'spx-bars', f, '--resolution', '5m', '--data-dir', dataDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /2026-08-24\.csv:3: field 'time' has bad value '17:00': after the close \(16:00\)/,
    );
    expect(r.stderr).toMatch(/--symbol es/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(existsSync(join(dataDir, 'intraday'))).toBe(false);
    expect(run(['data', 'import', 'spx-bars', f, '--symbol', 'nq', '--data-dir', dataDir]).code).toBe(2);
    const es = run([
      'data',
      'import',
      'spx-bars',
      f,
      '--symbol',
      'es',
      '--resolution',
      '1h',
      '--data-dir',
      dataDir,
    ]);
    expect(es.code).toBe(2);
    expect(es.stderr).toMatch(/not accepted for ES bars.*16:15 ET options close/);
    expect(run(['data', 'import', 'vix', f, '--resolution', '5m', '--data-dir', dataDir]).stderr).toMatch(
      /--resolution and --symbol apply to spx-bars only/,
    );
  });

  it('config show lists the intraday exit parameters with their sources', () => {
    const r = run(['config', 'show', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { sources: Record<string, string> };
    for (const p of [
      'stopCreditMultiple',
      'profitTakePct',
      'timeExitCt',
      'shortStrikeTouch',
      'daysWithoutBars',
    ]) {
      expect(j.sources[`exits.intraday.${p}`]).toMatch(/^default: .{20,}/);
    }
    expect(j.sources['exits.intraday.stopCreditMultiple']).toContain('R10');
  });
});
