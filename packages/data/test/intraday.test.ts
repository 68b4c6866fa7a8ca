import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  formatEt,
  gridStartsEt,
  type IntradayBar,
  type IntradayDay,
  type IsoDate,
  intradayWindowEt,
  twapAt,
} from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import {
  DataError,
  EMBEDDED_INTRADAY_DIR,
  exchangeIsTradingDay,
  importIntradayBars,
  inferResolutionMinutes,
  loadEmbeddedMarketData,
  loadIntradayBars,
  parseBarFile,
  parseResolution,
  readIntradayManifest,
} from '../src/index';

const FIX = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/intraday');
const tmp = () => mkdtempSync(join(tmpdir(), 'vixshield-bars-'));
const embedded = loadIntradayBars();
const series = (id: string) => embedded.series.find((s) => s.id === id)!;
const quirk = (id: string, rule: string) =>
  embedded.report.quirks.find((q) => q.series === id && q.rule === rule);

/** Aggregates finer bars into [start, start + minutes) of the coarser grid. */
function aggregate(day: IntradayDay, start: number, minutes: number): Omit<IntradayBar, 'startEt'> | null {
  const inside = day.bars.filter((b) => b.startEt >= start && b.startEt < start + minutes);
  if (inside.length === 0) return null;
  return {
    open: inside[0]!.open,
    high: Math.max(...inside.map((b) => b.high)),
    low: Math.min(...inside.map((b) => b.low)),
    close: inside.at(-1)!.close,
  };
}

describe('embedded intraday SPX bars (data/intraday)', () => {
  it('loads every file: 736 hourly, 66 five-minute and 26 one-minute days, index.csv agreeing', () => {
    expect(series('spx-1h')).toMatchObject({ resolutionMinutes: 60, origin: 'embedded' });
    expect(series('spx-1h').days).toHaveLength(736);
    expect(series('spx-1h').days[0]!.date).toBe('2023-09-15');
    expect(series('spx-1h').days.at(-1)!.date).toBe('2026-08-21');
    expect(series('spx-5m').days).toHaveLength(66);
    expect(series('spx-5m').days[0]!.date).toBe('2026-05-19');
    expect(series('spx-1m').days).toHaveLength(26);
    expect(series('spx-1m').days[0]!.date).toBe('2026-07-17');
    expect(embedded.dates()).toHaveLength(736);
    // the finest day by default, any resolution on request
    expect(embedded.day('2026-08-20' as IsoDate)!.resolutionMinutes).toBe(1);
    expect(embedded.day('2026-06-01' as IsoDate)!.resolutionMinutes).toBe(5);
    expect(embedded.day('2026-08-20' as IsoDate, { resolutionMinutes: 60 })!.bars).toHaveLength(7);
    expect(embedded.day('2023-09-14' as IsoDate)).toBeUndefined();
    expect(embedded.day('2026-08-20' as IsoDate, { symbol: 'es' })).toBeUndefined();
  });

  it('every bar lies on its grid inside the calendar session, in order, OHLC consistent', () => {
    let bars = 0;
    const bad: string[] = [];
    for (const s of embedded.series) {
      for (const d of s.days) {
        const w = intradayWindowEt(d.date, 'spx');
        const grid = new Set(gridStartsEt(w, s.resolutionMinutes));
        if (d.windowOpenEt !== w.openEt || d.windowCloseEt !== w.closeEt)
          bad.push(`${s.id} ${d.date} window`);
        let prev = -1;
        for (const b of d.bars) {
          const at = `${s.id} ${d.date} ${formatEt(b.startEt)}`;
          if (!grid.has(b.startEt)) bad.push(`${at} off grid`);
          if (!(b.startEt > prev)) bad.push(`${at} order`);
          if (!(b.low <= Math.min(b.open, b.close) && b.high >= Math.max(b.open, b.close) && b.low > 0)) {
            bad.push(`${at} ohlc`);
          }
          prev = b.startEt;
          bars++;
        }
        if (d.bars.length + d.missingStartsEt.length !== grid.size) bad.push(`${s.id} ${d.date} count`);
      }
    }
    expect(bad).toEqual([]);
    expect(bars).toBe(5122 + 5147 + 10128);
  });

  it('named rules: early-close hourly bars restamped, closing prints kept apart, missing bars named', () => {
    // the upstream README's half days
    const half = [
      '2023-11-24',
      '2024-07-03',
      '2024-11-29',
      '2024-12-24',
      '2025-07-03',
      '2025-11-28',
      '2025-12-24',
    ];
    expect(quirk('spx-1h', 'bar-stamped-at-close')!.dates).toEqual(half);
    for (const date of half) {
      const d = embedded.day(date as IsoDate, { resolutionMinutes: 60 })!;
      expect(d.windowCloseEt).toBe(780);
      expect(d.bars.map((b) => formatEt(b.startEt))).toEqual(['09:30', '10:30', '11:30', '12:30']);
      // the reading: the 12:30 bar continues the 11:30 bar (open within 0.15 of its close)
      expect(Math.abs(d.bars[3]!.open - d.bars[2]!.close)).toBeLessThan(0.15);
      expect(d.missingStartsEt).toEqual([]);
    }
    const prints = ['2026-08-13', '2026-08-18', '2026-08-19', '2026-08-20', '2026-08-21'];
    for (const id of ['spx-1h', 'spx-5m', 'spx-1m'])
      expect(quirk(id, 'closing-print')!.dates).toEqual(prints);
    const d13 = embedded.day('2026-08-13' as IsoDate, { resolutionMinutes: 60 })!;
    expect(d13.closingPrint).toBe(7798.99);
    expect(d13.bars).toHaveLength(7);
    expect(quirk('spx-1h', 'missing-bars')!.dates).toEqual(['2026-01-30', '2026-02-02']);
    expect(quirk('spx-1h', 'missing-bars')!.note).toContain('2026-01-30: 11:30-15:30 (5 bars)');
    expect(quirk('spx-1h', 'missing-bars')!.note).toContain('2026-02-02: 09:30-12:30 (4 bars)');
    expect(
      embedded.day('2026-08-14' as IsoDate, { resolutionMinutes: 5 })!.missingStartsEt.map(formatEt),
    ).toEqual(['13:15']);
    expect(quirk('spx-1m', 'missing-bars')!.note).toContain('2026-08-13: 12:47-12:52 (6 bars)');
    expect(quirk('spx-1m', 'missing-bars')!.note).toContain('2026-08-14: 13:15-13:20 (6 bars)');
    expect(embedded.report.quirks.map((q) => `${q.series} ${q.rule}`)).toEqual([
      'spx-1h closing-print',
      'spx-1h bar-stamped-at-close',
      'spx-1h missing-bars',
      'spx-5m closing-print',
      'spx-5m missing-bars',
      'spx-1m closing-print',
      'spx-1m missing-bars',
    ]);
  });

  it('independent check of the bar-start labels: hourly bars equal the 5-minute bars aggregated, exactly', () => {
    let compared = 0;
    for (const fine of series('spx-5m').days) {
      const hour = embedded.day(fine.date, { resolutionMinutes: 60 })!;
      for (const b of hour.bars) {
        const agg = aggregate(fine, b.startEt, 60);
        expect(agg, `${fine.date} ${formatEt(b.startEt)}`).toEqual({
          open: b.open,
          high: b.high,
          low: b.low,
          close: b.close,
        });
        compared++;
      }
    }
    expect(compared).toBe(462);
    // 5-minute vs 1-minute: highs and lows agree wherever no 1-minute bar is missing
    let five = 0;
    for (const fine of series('spx-1m').days) {
      const d5 = embedded.day(fine.date, { resolutionMinutes: 5 })!;
      for (const b of d5.bars) {
        if (fine.missingStartsEt.some((t) => t >= b.startEt && t < b.startEt + 5)) continue;
        const agg = aggregate(fine, b.startEt, 5)!;
        expect(agg.high).toBe(b.high);
        expect(agg.low).toBe(b.low);
        expect(agg.close).toBe(b.close);
        five++;
      }
    }
    expect(five).toBeGreaterThan(2000);
  });

  it('hourly highs and lows agree with the daily bar (Stooq to 2025-10-06, Yahoo-derived after); the last bar close is not the official close', () => {
    const md = loadEmbeddedMarketData({ isTradingDay: exchangeIsTradingDay });
    const hi: number[] = [];
    const lo: number[] = [];
    const close: number[] = [];
    for (const d of series('spx-1h').days) {
      const s = md.byDate(d.date);
      if (!s || s.spx.closeOnly || d.missingStartsEt.length > 0) continue;
      hi.push(Math.abs(Math.max(...d.bars.map((b) => b.high)) - (s.spx.high as number)));
      lo.push(Math.abs(Math.min(...d.bars.map((b) => b.low)) - (s.spx.low as number)));
      close.push(Math.abs(d.bars.at(-1)!.close - s.spx.close));
    }
    // 516 days against Stooq, 218 against the Yahoo-derived daily bars (2025-10-07..2026-08-21)
    expect(hi).toHaveLength(734);
    expect(Math.max(...hi, ...lo)).toBeLessThan(1.35);
    expect(hi.filter((x) => x > 0.011).length).toBe(15);
    expect(lo.filter((x) => x > 0.011).length).toBe(9);
    expect(close.filter((x) => x > 0.011).length).toBeGreaterThan(650);
    expect(Math.max(...close)).toBeCloseTo(16.21, 6);
  });

  it('TWAP on real bars: hourly within 4 bp of the 1-minute TWAP, 5-minute within 0.5 bp (26 days)', () => {
    for (const d1 of series('spx-1m').days) {
      const t1 = twapAt(d1, 960)!.twap;
      const th = twapAt(embedded.day(d1.date, { resolutionMinutes: 60 })!, 960)!.twap;
      const t5 = twapAt(embedded.day(d1.date, { resolutionMinutes: 5 })!, 960)!.twap;
      expect(Math.abs(th / t1 - 1)).toBeLessThan(4e-4);
      expect(Math.abs(t5 / t1 - 1)).toBeLessThan(0.5e-4);
    }
  });
});

describe('bad bar files: file, line, field and fix; nothing imported', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    [
      '2026-08-24.csv',
      'time,open,high,low,close\n09:30,7000,7010,6990,abc\n',
      'close',
      /:2: field 'close' has bad value 'abc': not a number/,
    ],
    [
      '2026-08-24.csv',
      'time,open,high,low,close\n09:30,7000,7010,6990,-1\n',
      'close',
      /must be greater than 0/,
    ],
    [
      '2026-08-24.csv',
      'time,open,high,low,close\n09:30,7000,7004,6990,7005\n',
      'high',
      /:2: field 'high' .*below the open or close/,
    ],
    [
      '2026-08-24.csv',
      'time,open,high,low,close\n09:30,7000,7010,7001,7005\n',
      'low',
      /above the open or close/,
    ],
    [
      '2026-08-24.csv',
      'time,open,high,low,close\n09:30,7000,7010,6990,7005\n09:37,7005,7010,7000,7006\n',
      'time',
      /:3: field 'time' has bad value '09:37': not on the 5m grid/,
    ],
    [
      '2026-08-24.csv',
      'time,open,high,low,close\n09:25,7000,7010,6990,7005\n09:30,7005,7010,7000,7006\n',
      'time',
      /:2: .*before the 09:30 open/,
    ],
    [
      '2026-08-24.csv',
      'time,open,high,low,close\n09:30,7000,7010,6990,7005\n16:05,7005,7010,7000,7006\n',
      'time',
      /after the close \(16:00\)/,
    ],
    [
      '2024-07-03.csv',
      'time,open,high,low,close\n09:30,7000,7010,6990,7005\n13:30,7005,7010,7000,7006\n',
      'time',
      /after the close \(13:00, an early close\)/,
    ],
    [
      '2026-09-07.csv',
      'time,open,high,low,close\n09:30,7000,7010,6990,7005\n',
      'date',
      /not an exchange trading day \(Labor Day\)/,
    ],
    [
      '2026-08-24.csv',
      'time,open,high,low,close\n09:30,7000,7010,6990,7005\n09:30,7005,7010,7000,7006\n',
      'time',
      /:3: .*not after the previous bar \(09:30, line 2\)/,
    ],
    [
      '2026-08-24.csv',
      'time,open,high,low,close\n09:35,7000,7010,6990,7005\n09:40,7005,7010,7000,7006\n16:00,7006,7010,7000,7007\n',
      'time',
      /look like bar ENDS/,
    ],
    [
      '2026-08-24.csv',
      'time,open,high,low,close,vwap\n09:30,7000,7010,6990,7005,7001\n',
      'header',
      /unknown column\(s\) 'vwap'/,
    ],
    ['2026-08-24.csv', 'time,open,high,close\n09:30,7000,7010,7005\n', 'header', /missing column 'low'/],
    [
      'bars.csv',
      'time,open,high,low,close\n09:30,7000,7010,6990,7005\n',
      'file name',
      /must be named after its date/,
    ],
    ['2026-08-24.csv', 'time,open,high,low,close\n', 'rows', /no bars/],
    ['2026-08-24.csv', 'time,open,high,low,close\n9:30:15,7000,7010,6990,7005\n', 'time', /whole minutes/],
    [
      'm.csv',
      'date,time,open,high,low,close\n2026-08-25,09:30,1,2,1,2\n2026-08-24,09:30,1,2,1,2\n',
      'date',
      /comes after 2026-08-25/,
    ],
    ['s.csv', 'datetime,open,high,low,close\n2026-08-24 25:00,1,2,1,2\n', 'datetime', /not a date and time/],
  ];

  for (const [name, text, field, message] of cases) {
    it(`${name}: ${message.source.slice(0, 60)}`, () => {
      const dir = tmp();
      const src = join(dir, 'in');
      mkdirSync(src);
      // a good file next to the bad one: the import is all or nothing
      writeFileSync(
        join(src, '2026-08-17.csv'),
        'time,open,high,low,close\n09:30,7000,7010,6990,7005\n09:35,7005,7010,7000,7006\n',
      );
      writeFileSync(join(src, name), text);
      const dataDir = join(dir, 'data');
      let err: unknown;
      try {
        importIntradayBars({ dataDir, path: src, symbol: 'spx', resolutionMinutes: 5 });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DataError);
      const e = err as DataError;
      expect(e.message).toMatch(message);
      expect(e.field).toBe(field);
      expect(e.message).toContain(name);
      expect(e.message).toContain('(fix: ');
      expect(existsSync(join(dataDir, 'intraday', 'manifest.json'))).toBe(false);
      expect(existsSync(join(dataDir, 'intraday')) ? readdirSync(join(dataDir, 'intraday')) : []).toEqual([]);
    });
  }

  it('a damaged embedded file or index row fails the load, naming it', () => {
    const dir = tmp();
    cpSync(EMBEDDED_INTRADAY_DIR, dir, { recursive: true });
    const idx = join(dir, 'index.csv');
    writeFileSync(
      idx,
      readFileSync(idx, 'utf8').replace('2023-09-15,Fri,1h,7,4497.98', '2023-09-15,Fri,1h,7,4497.99'),
    );
    expect(() => loadIntradayBars({ embeddedDir: dir })).toThrow(
      /index\.csv:2: field 'open' has bad value '4497\.99'.*4497\.98/,
    );
    cpSync(join(EMBEDDED_INTRADAY_DIR, 'index.csv'), idx);
    writeFileSync(join(dir, 'spx-1h', '2023-09-16.csv'), 'time,open,high,low,close\n09:30,1,2,1,2\n');
    expect(() => loadIntradayBars({ embeddedDir: dir, resolutions: [60] })).toThrow(
      /2023-09-16\.csv:2: field 'date'.*not an exchange trading day/,
    );
  });
});

describe('data import spx-bars: layouts, storage beside the daily series, merge', () => {
  it('a directory of per-day files: resolution inferred, gaps named, closing print kept, non-csv listed', () => {
    const dataDir = join(tmp(), 'data');
    const r = importIntradayBars({ dataDir, path: join(FIX, 'per-day'), symbol: 'spx' });
    expect(r).toMatchObject({
      series: 'spx-5m',
      resolutionMinutes: 5,
      resolutionInferred: true,
      files: 2,
      days: 2,
      bars: 81,
    });
    expect(r.notImported).toEqual(['README.txt']);
    expect(r.report.quirks.map((q) => q.rule)).toEqual(['closing-print', 'missing-bars']);
    expect(r.report.quirks[1]!.note).toContain('2026-08-24: 09:40, 09:50-15:55 (74 bars)');
    const m = readIntradayManifest(dataDir);
    expect(m.series['spx-5m']!.files[0]).toMatchObject({
      file: 'spx-5m.1.csv',
      importedFrom: ['2026-08-24.csv', '2026-08-25.csv'],
      days: 2,
      bars: 81,
    });
    expect(m.series['spx-5m']!.files[0]!.sourceSha256[0]).toMatch(/^[0-9a-f]{64}$/);
    // the stored file is normalised and loads with the same rules; user days extend the embedded series
    const all = loadIntradayBars({ dataDir, resolutions: [5], checkIndex: false });
    const s5 = all.series.find((s) => s.id === 'spx-5m')!;
    expect(s5.origin).toBe('embedded+user');
    expect(s5.days).toHaveLength(68);
    const d24 = all.day('2026-08-24' as IsoDate)!;
    expect(d24.closingPrint).toBe(7003.1);
    expect(d24.bars.map((b) => b.open)).toEqual([7000.5, 7005, 7010]);
    expect(all.day('2026-08-25' as IsoDate)!.bars).toHaveLength(78);
  });

  it('multi-day 1-minute file with volume (ignored, recorded); UTC-stamped hourly file converted to New York (EST and EDT)', () => {
    const dataDir = join(tmp(), 'data');
    const m = importIntradayBars({
      dataDir,
      path: join(FIX, 'multi-day-1m.csv'),
      symbol: 'spx',
      resolutionMinutes: 1,
    });
    expect(m).toMatchObject({ series: 'spx-1m', days: 2, bars: 20, first: '2026-08-26', last: '2026-08-27' });
    expect(m.report.quirks.map((q) => q.rule)).toContain('volume-column-ignored');
    const s = importIntradayBars({ dataDir, path: join(FIX, 'stamped-1h.csv'), symbol: 'spx' });
    expect(s).toMatchObject({ series: 'spx-1h', resolutionMinutes: 60, days: 2, bars: 14 });
    const bars = loadIntradayBars({ dataDir, resolutions: [], checkIndex: false });
    const jan = bars.day('2026-01-15' as IsoDate)!;
    expect(jan.bars.map((b) => formatEt(b.startEt))).toEqual([
      '09:30',
      '10:30',
      '11:30',
      '12:30',
      '13:30',
      '14:30',
      '15:30',
    ]);
    expect(jan.bars[0]!.open).toBe(6900);
    expect(bars.day('2026-08-28' as IsoDate)!.bars[0]).toMatchObject({ startEt: 570, open: 7100 });
  });

  it('a later import of the same day wins the whole day (rule user-days-win), over the embedded bars too', () => {
    const dir = tmp();
    const dataDir = join(dir, 'data');
    const f = join(dir, 'day.csv');
    writeFileSync(
      f,
      'date,time,open,high,low,close\n2026-08-20,09:30,1000,1001,999,1000.5\n2026-08-20,09:35,1000.5,1002,1000,1001\n',
    );
    importIntradayBars({ dataDir, path: f, symbol: 'spx', resolutionMinutes: 5 });
    const bars = loadIntradayBars({ dataDir, resolutions: [5], checkIndex: false });
    const d = bars.day('2026-08-20' as IsoDate, { resolutionMinutes: 5 })!;
    expect(d.bars).toHaveLength(2);
    expect(d.missingStartsEt).toHaveLength(76);
    expect(bars.report.quirks.find((q) => q.rule === 'user-days-win')).toMatchObject({
      series: 'spx-5m',
      dates: ['2026-08-20'],
    });
  });

  it('ES futures bars: their own window (09:30 to the 16:15 ET options close), outside bars and the holiday recorded, kept apart from SPX', () => {
    const dataDir = join(tmp(), 'data');
    const r = importIntradayBars({ dataDir, path: join(FIX, 'es-5m.csv'), symbol: 'es' });
    expect(r).toMatchObject({ series: 'es-5m', days: 1, bars: 81, first: '2026-09-04' });
    const rules = Object.fromEntries(r.report.quirks.map((q) => [q.rule, q]));
    expect(rules['es-outside-window-not-used']!.note).toContain('2026-09-04: 27 bars');
    expect(rules['es-non-trading-day-not-used']!.dates).toEqual(['2026-09-07']);
    const bars = loadIntradayBars({ dataDir, resolutions: [], checkIndex: false });
    const es = bars.day('2026-09-04' as IsoDate, { symbol: 'es' })!;
    expect(es.windowCloseEt).toBe(975);
    expect(formatEt(es.bars.at(-1)!.startEt)).toBe('16:10'); // prints after the SPX close
    expect(bars.day('2026-09-04' as IsoDate)).toBeUndefined(); // never served as SPX
    // hourly ES bars are refused, with the reason
    expect(() =>
      importIntradayBars({ dataDir, path: join(FIX, 'es-5m.csv'), symbol: 'es', resolutionMinutes: 60 }),
    ).toThrow(/grid ends at the 16:15 ET options close/);
    expect(parseResolution('1h', 'es')).toBeUndefined();
    expect(parseResolution('5m', 'es')).toBe(5);
  });

  it('resolution inference: from the bar starts; undefined when the bars cannot tell', () => {
    const p = parseBarFile(
      'date,time,open,high,low,close\n2026-08-24,09:30,1,2,1,2\n2026-08-25,09:30,1,2,1,2\n',
      'x.csv',
    );
    expect(inferResolutionMinutes(p.rows, 'spx')).toBeUndefined();
    const dir = tmp();
    const f = join(dir, 'x.csv');
    writeFileSync(f, 'date,time,open,high,low,close\n2026-08-24,09:30,1,2,1,2\n');
    expect(() => importIntradayBars({ dataDir: join(dir, 'd'), path: f, symbol: 'spx' })).toThrow(
      /give --resolution/,
    );
  });
});
