import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bsmGreeks, impliedVolBsm, yearFraction } from '@vixshield/core';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli';
import { REPO_ROOT } from '../../../test/support/paths';
import { type ChainOutput, defaultDataDir } from '../src/commands/chains';

const HOD = join(REPO_ROOT, 'data/spx-options-eod-2018-01-02_historicaloptiondata-format.csv');
const DATASHOP = join(REPO_ROOT, 'data/spx-options-cboe-datashop-format-sample.csv');
const BAD = join(REPO_ROOT, 'packages/chains/test/fixtures/chains-bad/hod-bad-type.csv');
const tmp = mkdtempSync(join(tmpdir(), 'vixshield-cli-chains-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('vixshield chain (embedded 2018 sample, no DuckDB)', () => {
  it('--json: 175 strikes of SPXW 2018-02-28 on 2018-02-05 with our IV and Greeks from the mid', () => {
    const r = runCli(['chain', '--date', '2018-02-05', '--expiry', '2018-02-28', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout) as ChainOutput;
    expect(o).toMatchObject({
      asOf: '2018-02-05',
      expiry: '2018-02-28',
      root: 'SPXW',
      settlement: 'PM',
      underlying: 2648.98,
      from: 'embedded',
      quoteTimeUtc: '2018-02-05T21:00:00.000Z',
      settlementUtc: '2018-02-28T21:00:00.000Z',
      source: { kind: 'real', vendor: 'HistoricalOptionData' },
      rate: { origin: 'embedded DGS3MO of 2018-02-02' },
      dividendYield: { origin: 'embedded Shiller' },
    });
    // r and q come from the embedded market data of that day (3-month bill of the prior day, Shiller)
    expect(o.rate.value).toBeCloseTo(0.014773, 6);
    expect(o.dividendYield.value).toBeCloseTo(0.018198, 6);
    expect(o.rows.length).toBe(175);
    expect(o.years).toBeCloseTo(23 / 365, 12);
    const row = o.rows.find((x) => x.strike === 2650)!;
    expect(row.put).toMatchObject({ bid: 85, ask: 95, mid: 90, vendorIv: 0.3479, ivStatus: 'ok' });
    const T = yearFraction(Date.UTC(2018, 1, 5, 21), Date.UTC(2018, 1, 28, 21));
    const put2650 = {
      isCall: false,
      spot: 2648.98,
      strike: 2650,
      yearsToExpiry: T,
      riskFreeRate: o.rate.value,
      dividendYield: o.dividendYield.value,
    };
    const iv = impliedVolBsm({ ...put2650, price: 90 }).iv!;
    expect(row.put.iv).toBeCloseTo(iv, 12);
    expect(row.put.iv).toBeCloseTo(0.3366, 3); // with r 1.48% and q 1.82% (0.3384 with r 2%, q 1.8%)
    const g = bsmGreeks({ ...put2650, vol: iv });
    expect(row.put.delta).toBeCloseTo(g.delta, 12);
    expect(row.put.thetaPerYear).toBeCloseTo(g.theta, 9);
    expect(row.put.vegaPer1).toBeCloseTo(g.vega, 9);
    // bid = ask = 0: no two-sided market, no mid, no IV.
    const z = o.rows.find((x) => x.strike === 2600)!.put;
    expect(z).toMatchObject({
      bid: 0,
      ask: 0,
      mid: null,
      iv: null,
      flags: 12,
      ivStatus: 'no two-sided market',
    });
  });

  it('text: says where the quotes and r/q came from; --rate/--yield override', () => {
    const r = runCli([
      'chain',
      '--date',
      '2018-02-05',
      '--expiry',
      '2018-02-28',
      '--rate',
      '0.015',
      '--yield',
      '0.02',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('real quotes, HistoricalOptionData');
    expect(r.stdout).toContain('from the embedded CSV');
    expect(r.stdout).toContain('r = 0.0150 (--rate), q = 0.0200 (--yield)');
    expect(r.stdout).toMatch(
      /^\s+64\.00\s+74\.00\s+69\.00\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+2650\s+85\.00\s+95\.00\s+90\.00 /m,
    );
  });

  it('--source model prints the surface-model chain; an unknown expiry lists the quoted ones; bad dates exit 2', () => {
    const m = runCli([
      'chain',
      '--date',
      '2018-02-05',
      '--expiry',
      '2018-02-28',
      '--source',
      'model',
      '--json',
    ]);
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    const mo = JSON.parse(m.stdout) as {
      source: { kind: string; model: string };
      from: string;
      rows: unknown[];
      rate: { origin: string };
    };
    expect(mo.source.kind).toBe('modelled');
    expect(mo.source.model).toBe('vixshield-surface');
    expect(mo.from).toBe('model');
    expect(mo.rows.length).toBeGreaterThan(20);
    expect(mo.rate.origin).toMatch(/embedded DGS3MO/);
    // Asked for real quotes explicitly: refused, naming what is quoted.
    const e = runCli(['chain', '--date', '2018-02-05', '--expiry', '2018-02-16', '--source', 'real']);
    expect(e.code).toBe(1);
    expect(e.stderr).toContain('expiries quoted that day: 2018-02-28');
    // By default (auto): the model answers where no real quote exists, and says so and why (issue 18).
    const auto = runCli(['chain', '--date', '2018-02-05', '--expiry', '2018-02-16', '--json']);
    expect(auto.code).toBe(0);
    const ao = JSON.parse(auto.stdout) as { from: string; note: string };
    expect(ao.from).toBe('model');
    expect(ao.note).toContain('expiries quoted that day: 2018-02-28');
    const later = runCli([
      'chain',
      '--date',
      '2022-06-13',
      '--expiry',
      '2022-06-15',
      '--data-dir',
      join(tmp, 'empty'),
    ]);
    expect(later.code).toBe(0);
    expect(later.stdout).toContain('modelled: no real quotes for 2022-06-13');
    const b = runCli(['chain', '--date', '2018-02-30', '--expiry', '2018-02-28']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("--date must be a calendar date YYYY-MM-DD, got '2018-02-30'");
  });

  it('a modelled short-dated chain says where its one-day vol came from: the published VIX1D or the model', () => {
    const env = { VIXSHIELD_DATA_DIR: join(tmp, 'none') };
    const real = runCli(['chain', '--date', '2025-02-21', '--expiry', '2025-02-24', '--source', 'model'], {
      env,
    });
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(
      /\none-day vol 18\.16 \(the published VIX1D close\); the 0-2 session expiries are priced from it, in business time as VIX1D is quoted \(one session = 1\/252 year\)\n/,
    );
    const modelled = runCli(
      ['chain', '--date', '2025-09-03', '--expiry', '2025-09-04', '--source', 'model', '--json'],
      { env },
    );
    const o = JSON.parse(modelled.stdout) as ChainOutput;
    expect(o.source).toMatchObject({ kind: 'modelled', inputs: { oneDayVixSource: 'model', vix1d: null } });
    expect(o.regime).toEqual({ regime: 'short', sessions: 1, atmFloorLift: 1 });
  });

  it('a modelled chain names its regime, and the no-calendar-arbitrage floor when it binds (surface 1.8.0)', () => {
    const env = { VIXSHIELD_DATA_DIR: join(tmp, 'none') };
    const chain = (date: string, expiry: string) =>
      runCli(['chain', '--date', date, '--expiry', expiry, '--source', 'model'], { env });
    // 2024-08-05: the one-day vol above the term structure's front; the 3-session expiry is floored
    const floored = chain('2024-08-05', '2024-08-08');
    expect(floored.code).toBe(0);
    expect(floored.stdout).toMatch(
      /\nthis expiry: 3 sessions out, priced from the VIX-family term structure in variance time; floored at the 2-session expiry's variance, ATM vol x 1\.\d{3}: /,
    );
    const lift = Number(/ATM vol x (1\.\d{3})/.exec(floored.stdout)![1]);
    expect(lift).toBeGreaterThan(1.1);
    // a calm front (2024-06-03): the same regime, no floor
    const calm = chain('2024-06-03', '2024-06-06');
    expect(calm.stdout).toMatch(
      /\nthis expiry: 3 sessions out, priced from the VIX-family term structure in variance time\n/,
    );
    expect(chain('2024-08-05', '2024-08-06').stdout).toContain(
      'this expiry: 1 session out, priced from the one-day vol (the short regime)',
    );
  });
});

describe('vixshield chains import/export and chain from the store', () => {
  const dataDir = join(tmp, 'data');
  it('imports CSVs idempotently, exports Parquet, imports it into another dir, serves chain from the store', () => {
    const a = runCli(['chains', 'import', DATASHOP, '--layout', 'datashop', '--data-dir', dataDir, '--json']);
    expect(a.stderr).toBe('');
    expect(JSON.parse(a.stdout)).toMatchObject({ rows: 6, replaced: 0, totalRows: 6 });
    const b = runCli(['chains', 'import', HOD, '--data-dir', dataDir]);
    expect(b.code).toBe(0);
    expect(b.stdout).toContain('imported 14,438 rows');
    const again = runCli(['chains', 'import', HOD, '--data-dir', dataDir, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 14_438, replaced: 14_438, totalRows: 14_444 });

    const info = runCli(['chains', 'info', '--data-dir', dataDir, '--json']);
    expect(info.stderr).toBe('');
    expect(JSON.parse(info.stdout)).toMatchObject({
      rows: 14_444,
      sources: [
        { vendor: 'Cboe DataShop', rows: 6 },
        { vendor: 'HistoricalOptionData', rows: 14_438 },
      ],
    });
    expect(runCli(['chains', 'info', '--data-dir', dataDir]).stdout).toMatch(
      /14,444 quotes on \d+ quote dates[\s\S]*flagged quotes/,
    );

    const pq = join(tmp, 'all.parquet');
    const ex = runCli(['chains', 'export', '--out', pq, '--data-dir', dataDir]);
    expect(ex.stdout).toContain('exported 14,444 rows');
    // The env variable picks the data dir when --data-dir is absent.
    const other = join(tmp, 'other');
    const im = runCli(['chains', 'import', pq, '--json'], { env: { VIXSHIELD_DATA_DIR: other } });
    expect(im.stderr).toBe('');
    expect(JSON.parse(im.stdout)).toMatchObject({
      rows: 14_444,
      totalRows: 14_444,
      store: join(other, 'chains.duckdb'),
    });

    const c = runCli([
      'chain',
      '--date',
      '2016-01-04',
      '--expiry',
      '2016-01-08',
      '--json',
      '--data-dir',
      other,
    ]);
    expect(c.stderr).toBe('');
    const o = JSON.parse(c.stdout) as ChainOutput;
    expect(o).toMatchObject({
      from: 'store',
      root: 'SPXW',
      underlying: 2003.82,
      quoteTimeUtc: '2016-01-04T20:45:00.000Z',
    });
    expect(o.source).toEqual({
      kind: 'real',
      vendor: 'Cboe DataShop',
      file: 'spx-options-cboe-datashop-format-sample.csv',
    });
    expect(o.rows.map((x) => [x.strike, x.call.bid, x.put.ask])).toEqual([[700, 1299.6, 0.05]]);
  });

  it('a bad file is refused whole, naming file, line, field and value (exit 2)', () => {
    const d = join(tmp, 'bad');
    const r = runCli(['chains', 'import', BAD, '--data-dir', d]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("hod-bad-type.csv:4: type = 'cal': is not a call or put code");
    expect(r.stderr).toContain('nothing was imported');
  });

  it('a failed import into a data dir with no store leaves no store file (nor the dir it made)', () => {
    const d = join(tmp, 'fresh', 'data');
    const r = runCli(['chains', 'import', BAD, '--data-dir', d]);
    expect(r.code).toBe(2);
    expect(existsSync(join(d, 'chains.duckdb'))).toBe(false);
    expect(existsSync(join(d, 'chains.duckdb.wal'))).toBe(false);
    expect(existsSync(d)).toBe(false);
    // A dir that existed stays, still without a store.
    const kept = join(tmp, 'kept');
    mkdirSync(kept);
    expect(runCli(['chains', 'import', BAD, '--data-dir', kept]).code).toBe(2);
    expect(readdirSync(kept)).toEqual([]);
  }, 180_000);

  it('a failed import into an existing store leaves it as it was (rows, sources, info)', () => {
    const d = join(tmp, 'existing');
    expect(runCli(['chains', 'import', DATASHOP, '--layout', 'datashop', '--data-dir', d]).code).toBe(0);
    const before = runCli(['chains', 'info', '--data-dir', d, '--json']).stdout;
    const bad = runCli(['chains', 'import', BAD, '--data-dir', d]);
    expect(bad.code).toBe(2);
    expect(runCli(['chains', 'info', '--data-dir', d, '--json']).stdout).toBe(before);
    expect(readdirSync(d).sort()).toEqual(['chains.duckdb']);
  }, 180_000);

  it('a crossed quote (bid > ask) is refused naming file, line and field; --allow-crossed imports it flagged with a warning', () => {
    const lines = readFileSync(HOD, 'utf8').split('\n').slice(0, 6);
    const f = lines[3]!.split(',');
    [f[10], f[11]] = ['12.5', '11.0']; // bid, ask
    lines[3] = f.join(',');
    const file = join(tmp, 'crossed.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const d = join(tmp, 'crossed-store');
    const r = runCli(['chains', 'import', file, '--data-dir', d]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "crossed.csv:4: ask = '11.0': is below the bid 12.5: a crossed quote (bid > ask)",
    );
    expect(r.stderr).toContain('--allow-crossed');
    const ok = runCli(['chains', 'import', file, '--data-dir', d, '--allow-crossed', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ rows: 5, crossed: 1 });
    expect(ok.stderr).toContain(
      "warning: 1 crossed quote (bid > ask) imported because of --allow-crossed, stored flagged 'crossed'",
    );
    const info = JSON.parse(runCli(['chains', 'info', '--data-dir', d, '--json']).stdout);
    expect(info.flagged.crossed).toBe(1);
  }, 180_000);

  it('--layout map needs --map; a date outside the sample without a store says how to import', () => {
    const r = runCli(['chains', 'import', HOD, '--layout', 'map', '--data-dir', join(tmp, 'm')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--layout map needs --map');
    const n = runCli([
      'chain',
      '--date',
      '2019-01-02',
      '--expiry',
      '2019-01-04',
      '--data-dir',
      join(tmp, 'none'),
      '--source',
      'real',
    ]);
    expect(n.code).toBe(1);
    expect(n.stderr).toContain('vixshield chains import');
  });

  it('defaultDataDir: env variable, else ~/.vixshield/data', () => {
    expect(defaultDataDir({ VIXSHIELD_DATA_DIR: '/x/y' })).toBe('/x/y');
    expect(defaultDataDir({})).toMatch(/\.vixshield\/data$/);
  });
});
