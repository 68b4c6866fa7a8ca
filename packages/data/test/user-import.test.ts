import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IsoDate } from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import {
  checkMarketData,
  DataError,
  importUserSeries,
  listUserImports,
  loadEmbeddedMarketData,
  readManifest,
  removeUserImport,
} from '../src/index';
import { standInIsTradingDay } from './helpers/stand-in-calendar';

const cal = standInIsTradingDay();

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'vixshield-user-'));
}

describe('user imports', () => {
  it('auto-detects Stooq/Yahoo, FRED and Cboe layouts', () => {
    const dir = tmp();
    const yahoo = join(dir, 'yahoo.csv');
    writeFileSync(
      yahoo,
      'Date,Open,High,Low,Close,Adj Close,Volume\n2026-08-24,7671.0,7690.0,7630.5,7680.25,7680.25,123\n2026-08-25,7680.0,7720.0,7670.0,7710.5,7710.5,456\n',
    );
    const r = importUserSeries({
      dataDir: join(dir, 'd'),
      series: 'spx',
      file: yahoo,
      mode: 'extend',
      isTradingDay: cal,
    });
    expect(r).toMatchObject({ rows: 2, first: '2026-08-24', last: '2026-08-25', mode: 'extend' });

    const fred = join(dir, 'dgs.csv');
    writeFileSync(fred, 'observation_date,DGS3MO\n2025-06-25,4.36\n2025-06-26,\n2025-06-27,4.35\n');
    const g = importUserSeries({
      dataDir: join(dir, 'd'),
      series: 'dgs3mo',
      file: fred,
      mode: 'extend',
      isTradingDay: cal,
    });
    expect(g.rows).toBe(2);

    const md = loadEmbeddedMarketData({ dataDir: join(dir, 'd'), isTradingDay: cal });
    expect(md.snapshots.at(-1)!.date).toBe('2026-08-25');
    expect(md.byDate('2026-08-24' as IsoDate)!.spx).toEqual({
      open: 7671,
      high: 7690,
      low: 7630.5,
      close: 7680.25,
      closeOnly: false,
    });
    // DGS3MO now extends to 2025-06-27, so 2025-06-30 uses it (asOf strictly before the date)
    const rate = md.byDate('2025-06-30' as IsoDate)!.rate!;
    expect(rate).toMatchObject({ source: 'DGS3MO', asOf: '2025-06-27', quotedPct: 4.35 });
    expect(md.series.find((s) => s.id === 'dgs3mo')!.origin).toBe('embedded+user');
  });

  it('successive extends stack (newest wins); replace drops the embedded series and earlier files', () => {
    const dir = tmp();
    const dataDir = join(dir, 'd');
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    writeFileSync(a, 'DATE,VIX9D\n08/24/2026,15.00\n08/25/2026,16.00\n');
    writeFileSync(b, 'DATE,VIX9D\n08/25/2026,17.00\n08/26/2026,18.00\n');
    importUserSeries({
      dataDir,
      series: 'vix9d',
      file: a,
      mode: 'extend',
      isTradingDay: cal,
      dateFormat: 'MM/DD/YYYY',
    });
    importUserSeries({
      dataDir,
      series: 'vix9d',
      file: b,
      mode: 'extend',
      isTradingDay: cal,
      dateFormat: 'MM/DD/YYYY',
    });
    let md = loadEmbeddedMarketData({ dataDir, isTradingDay: cal });
    expect(md.data.vix9d.slice(-4)).toEqual([
      { date: '2026-08-21', value: expect.any(Number) },
      { date: '2026-08-24', value: 15 },
      { date: '2026-08-25', value: 17 },
      { date: '2026-08-26', value: 18 },
    ]);
    const wins = md.loadReport.quirks.filter((q) => q.series === 'vix9d' && q.rule === 'user-rows-win');
    expect(wins.map((q) => q.dates)).toEqual([[], ['2026-08-25']]);

    importUserSeries({
      dataDir,
      series: 'vix9d',
      file: b,
      mode: 'replace',
      isTradingDay: cal,
      dateFormat: 'MM/DD/YYYY',
    });
    expect(readManifest(dataDir).series.vix9d!.files.map((f) => f.file)).toEqual(['vix9d.3.csv']);
    expect(readdirSync(dataDir).sort()).toEqual(['manifest.json', 'vix9d.3.csv']);
    md = loadEmbeddedMarketData({ dataDir, isTradingDay: cal });
    expect(md.data.vix9d).toEqual([
      { date: '2026-08-25', value: 17 },
      { date: '2026-08-26', value: 18 },
    ]);
    expect(md.series.find((s) => s.id === 'vix9d')!.origin).toBe('user');
  });

  it('validates the whole file before writing anything', () => {
    const dir = tmp();
    const dataDir = join(dir, 'd');
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      'DATE,OPEN,HIGH,LOW,CLOSE\n07/24/2026,18.7,19.0,17.9,18.1\n07/27/2026,18.0,18.4,17.2,-1\n',
    );
    expect(() =>
      importUserSeries({
        dataDir,
        series: 'vix',
        file: bad,
        mode: 'extend',
        isTradingDay: cal,
        dateFormat: 'MM/DD/YYYY',
      }),
    ).toThrow(DataError);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('dates: ISO only unless the format is declared, real dates, inside the calendar; errors name file, line, field, fix', () => {
    const dir = tmp();
    const dataDir = join(dir, 'd');
    const errOf = (text: string, dateFormat?: 'MM/DD/YYYY'): DataError => {
      const f = join(dir, 'v.csv');
      writeFileSync(f, text);
      try {
        importUserSeries({
          dataDir,
          series: 'vix9d',
          file: f,
          mode: 'extend',
          isTradingDay: cal,
          dateFormat,
        });
      } catch (e) {
        if (e instanceof DataError) return e;
        throw e;
      }
      throw new Error('expected a DataError');
    };
    // Beyond the calendar (issue 18: 2031-02-12 imported with exit 0, then `signal` failed).
    const late = errOf('DATE,VIX9D\n2026-08-24,15.00\n2031-02-12,16.00\n');
    expect(late).toMatchObject({ line: 3, field: 'DATE', value: '2031-02-12' });
    expect(late.message).toContain('outside the market calendar (1990-01-01 .. 2030-12-31)');
    // 02/12/2026 in a hand-made file is ambiguous: refused unless declared.
    const us = errOf('Date,VIX9D\n02/12/2026,15.00\n');
    expect(us).toMatchObject({ line: 2, field: 'Date', value: '02/12/2026' });
    expect(us.message).toContain('ambiguous');
    expect(us.message).toContain('--date-format MM/DD/YYYY');
    // Declared: read as month/day/year; a 13th month is not a date.
    const bad = errOf('DATE,VIX9D\n02/12/2026,15.00\n13/02/2026,16.00\n', 'MM/DD/YYYY');
    expect(bad).toMatchObject({ line: 3, value: '13/02/2026' });
    expect(bad.message).toContain('is not a date in the format MM/DD/YYYY');
    expect(errOf('DATE,VIX9D\n2026-02-30,15.00\n')).toMatchObject({ line: 2, value: '2026-02-30' });
    expect(existsSync(dataDir)).toBe(false);
    const f = join(dir, 'ok.csv');
    writeFileSync(f, 'DATE,VIX9D\n02/12/2026,15.00\n02/13/2026,16.00\n');
    const r = importUserSeries({
      dataDir,
      series: 'vix9d',
      file: f,
      mode: 'extend',
      isTradingDay: cal,
      dateFormat: 'MM/DD/YYYY',
    });
    expect([r.first, r.last]).toEqual(['2026-02-12', '2026-02-13']);
    // Cboe's own index-history layout (DATE in capitals, as Cboe publishes it) documents month/day/year:
    // read as such without the flag, as `data update` writes and `--from-dir` reads those files.
    const cboe = join(dir, 'cboe.csv');
    writeFileSync(cboe, 'DATE,VIX9D\n02/17/2026,15.00\n');
    const rc = importUserSeries({ dataDir, series: 'vix9d', file: cboe, mode: 'extend', isTradingDay: cal });
    expect([rc.first, rc.last]).toEqual(['2026-02-17', '2026-02-17']);
  });

  it('listUserImports lists each import; removeUserImport drops one id or a whole series, manifest first', () => {
    const dir = tmp();
    const dataDir = join(dir, 'd');
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    writeFileSync(a, 'DATE,VIX9D\n2026-08-24,15.00\n2026-08-25,16.00\n');
    writeFileSync(b, 'DATE,VIX9D\n2026-08-25,17.00\n2026-08-26,18.00\n2026-08-27,18.50\n');
    const at = (iso: string) => ({ now: new Date(iso) });
    importUserSeries({
      dataDir,
      series: 'vix9d',
      file: a,
      mode: 'extend',
      isTradingDay: cal,
      ...at('2026-09-01T10:00:00Z'),
    });
    importUserSeries({
      dataDir,
      series: 'vix9d',
      file: b,
      mode: 'extend',
      isTradingDay: cal,
      ...at('2026-09-02T10:00:00Z'),
    });
    importUserSeries({
      dataDir,
      series: 'vvix',
      file: a.replace('a.csv', 'a.csv'),
      mode: 'replace',
      isTradingDay: cal,
      ...at('2026-09-03T10:00:00Z'),
    });
    expect(listUserImports(dataDir)).toEqual([
      {
        id: 'vix9d.1',
        series: 'vix9d',
        mode: 'extend',
        file: 'a.csv',
        storedFile: join(dataDir, 'vix9d.1.csv'),
        rows: 2,
        first: '2026-08-24',
        last: '2026-08-25',
        importedAt: '2026-09-01T10:00:00.000Z',
      },
      expect.objectContaining({ id: 'vix9d.2', rows: 3, first: '2026-08-25', last: '2026-08-27' }),
      expect.objectContaining({
        id: 'vvix.1',
        series: 'vvix',
        mode: 'replace',
        importedAt: '2026-09-03T10:00:00.000Z',
      }),
    ]);
    // One id: the other import of the series stays, its file is gone.
    expect(removeUserImport(dataDir, 'vix9d.1').map((e) => e.id)).toEqual(['vix9d.1']);
    expect(existsSync(join(dataDir, 'vix9d.1.csv'))).toBe(false);
    expect(listUserImports(dataDir).map((e) => e.id)).toEqual(['vix9d.2', 'vvix.1']);
    // A series: all of it; the embedded vvix is used again.
    expect(removeUserImport(dataDir, 'vvix').map((e) => e.id)).toEqual(['vvix.1']);
    expect(readManifest(dataDir).series.vvix).toBeUndefined();
    expect(readdirSync(dataDir).sort()).toEqual(['manifest.json', 'vix9d.2.csv']);
    // Unknown: a DataError naming what exists; nothing changes.
    expect(() => removeUserImport(dataDir, 'vix.7')).toThrow(
      /no user import is named 'vix\.7' \(imports: vix9d\.2\)/,
    );
    expect(listUserImports(dataDir).map((e) => e.id)).toEqual(['vix9d.2']);
  });

  it('rejects SPX rows on a closed day (not a documented quirk for user files)', () => {
    const dir = tmp();
    const f = join(dir, 'spx.csv');
    writeFileSync(f, 'observation_date,SP500\n2026-02-12,6950.25\n2026-02-16,6960.00\n'); // 02-16 Presidents' Day
    let err: unknown;
    try {
      importUserSeries({
        dataDir: join(dir, 'd'),
        series: 'spx',
        file: f,
        mode: 'extend',
        isTradingDay: cal,
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect(err).toMatchObject({ file: f, line: 3, field: 'observation_date', value: '2026-02-16' });
    expect(existsSync(join(dir, 'd'))).toBe(false);
  });

  it('a tampered manifest is a DataError naming the field', () => {
    const dataDir = tmp();
    writeFileSync(
      join(dataDir, 'manifest.json'),
      JSON.stringify({ version: 1, series: { nope: { mode: 'extend', files: [] } } }),
    );
    let err: unknown;
    try {
      readManifest(dataDir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).file).toBe(join(dataDir, 'manifest.json'));
    expect((err as DataError).field).toMatch(/series/);
  });
  it('FRED VIX downloads: empty holiday values are skipped and recorded; an empty trading day is a NEW gap', () => {
    const dir = tmp();
    const dataDir = join(dir, 'd');
    const f = join(dir, 'VIXCLS.csv');
    // 2026-08-24 (Mon) empty on a trading day; 2026-08-25 value
    writeFileSync(f, 'observation_date,VIXCLS\n2026-08-24,\n2026-08-25,15.5\n');
    const r = importUserSeries({ dataDir, series: 'vix', file: f, mode: 'extend', isTradingDay: cal });
    expect(r.rows).toBe(1);
    expect(r.report.quirks.find((q) => q.rule === 'empty-value-skipped')!.dates).toEqual(['2026-08-24']);
    const md = loadEmbeddedMarketData({ dataDir, isTradingDay: cal });
    const res = checkMarketData(md);
    expect(res.ok).toBe(false);
    expect(res.findings.filter((x) => !x.documented)).toEqual([
      {
        series: 'vix',
        check: 'gap',
        documented: false,
        dates: ['2026-08-24'],
        message: 'trading days without a row',
      },
    ]);
  });
});
