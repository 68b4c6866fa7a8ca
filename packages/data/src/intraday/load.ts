import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type IntradayDay, type IntradaySymbol, type IsoDate, weekdayOf } from '@vixshield/core';
import { parseCsv } from '../csv';
import { DataError } from '../errors';
import { EMBEDDED_DATA_DIR } from '../files';
import {
  buildDays,
  INTRADAY_RULES,
  type IntradayLoadReport,
  newIntradayReport,
  RuleLog,
  recordRules,
  resolutionLabel,
  seriesId,
} from './days';
import { dateOfFileName, parseBarFile } from './parse';
import { INTRADAY_USER_DIR, readIntradayManifest } from './store';

/** The embedded intraday folder (`data/intraday`) and its resolution folders, coarsest first. */
export const EMBEDDED_INTRADAY_DIR = join(EMBEDDED_DATA_DIR, 'intraday');
export const EMBEDDED_INTRADAY_FOLDERS: ReadonlyArray<{ readonly folder: string; readonly minutes: number }> =
  [
    { folder: 'spx-1h', minutes: 60 },
    { folder: 'spx-5m', minutes: 5 },
    { folder: 'spx-1m', minutes: 1 },
  ];

/** The days of one symbol at one resolution, ascending dates. */
export interface IntradaySeries {
  readonly id: string;
  readonly symbol: IntradaySymbol;
  readonly resolutionMinutes: number;
  readonly days: readonly IntradayDay[];
  readonly origin: 'embedded' | 'embedded+user' | 'user';
}

export interface IntradayData {
  readonly series: readonly IntradaySeries[];
  /**
   * The bars of `date`: at `resolutionMinutes` when given, else the finest resolution that has the
   * day (the upstream index's rule). `symbol` defaults to 'spx'.
   */
  day(
    date: IsoDate,
    opts?: { readonly symbol?: IntradaySymbol; readonly resolutionMinutes?: number },
  ): IntradayDay | undefined;
  /** Dates with bars of `symbol` at any resolution, ascending. */
  dates(symbol?: IntradaySymbol): readonly IsoDate[];
  readonly report: IntradayLoadReport;
  /** Wall time of the load (read + validate), milliseconds. */
  readonly loadMs: number;
}

export interface IntradayLoadOptions {
  /** Directory of the embedded bars; defaults to the repo's `data/intraday`. */
  readonly embeddedDir?: string;
  /** Embedded resolutions to load (minutes); default all three. */
  readonly resolutions?: readonly number[];
  /** User data directory (imports under `<dataDir>/intraday`); absent = embedded bars only. */
  readonly dataDir?: string;
  /** Check `index.csv` against the bar files (default true when every embedded folder is loaded). */
  readonly checkIndex?: boolean;
}

/**
 * Loads and validates the embedded SPX bars (plus user imports from `dataDir`). Every file is read
 * and checked against the calendar (see days.ts); a malformed row throws a DataError naming file,
 * line, field and fix. Documented quirks are applied by named rules and listed in `report`.
 */
export function loadIntradayBars(opts: IntradayLoadOptions = {}): IntradayData {
  const t0 = performance.now();
  const dir = opts.embeddedDir ?? EMBEDDED_INTRADAY_DIR;
  const report = newIntradayReport();
  const wanted = EMBEDDED_INTRADAY_FOLDERS.filter(
    (f) => opts.resolutions === undefined || opts.resolutions.includes(f.minutes),
  );
  const bySeries = new Map<
    string,
    { symbol: IntradaySymbol; res: number; days: Map<string, IntradayDay>; origin: IntradaySeries['origin'] }
  >();
  const rawRows = new Map<string, number>(); // `${folder}/${date}` -> data rows in the file
  for (const { folder, minutes } of wanted) {
    const fdir = join(dir, folder);
    const log = new RuleLog();
    const days = new Map<string, IntradayDay>();
    for (const name of readdirSync(fdir).sort()) {
      const file = join(fdir, name);
      if (dateOfFileName(name) === undefined) {
        throw new DataError(
          file,
          1,
          'file name',
          name,
          'not a YYYY-MM-DD.csv bar file',
          'keep only per-day bar files in the folder',
        );
      }
      const parsed = parseBarFile(readFileSync(file, 'utf8'), file);
      if (parsed.layout !== 'per-day') {
        throw new DataError(
          file,
          1,
          'header',
          parsed.layout,
          'embedded bar files are per-day',
          'use time,open,high,low,close',
        );
      }
      rawRows.set(`${folder}/${name.slice(0, 10)}`, parsed.rows.length);
      for (const d of buildDays(parsed.rows, file, 'spx', minutes, log)) days.set(d.date, d);
    }
    const id = seriesId('spx', minutes);
    recordRules(report, id, log, `data/intraday/${folder}`);
    bySeries.set(id, { symbol: 'spx', res: minutes, days, origin: 'embedded' });
  }
  if (opts.checkIndex ?? wanted.length === EMBEDDED_INTRADAY_FOLDERS.length) {
    checkIndex(join(dir, 'index.csv'), bySeries, rawRows);
  }

  if (opts.dataDir !== undefined && existsSync(join(opts.dataDir, INTRADAY_USER_DIR))) {
    const manifest = readIntradayManifest(opts.dataDir);
    for (const [id, entry] of Object.entries(manifest.series)) {
      let s = bySeries.get(id);
      if (!s) {
        s = { symbol: entry.symbol, res: entry.resolutionMinutes, days: new Map(), origin: 'user' };
        bySeries.set(id, s);
      } else if (s.origin === 'embedded') s.origin = 'embedded+user';
      for (const f of entry.files) {
        const path = join(opts.dataDir, INTRADAY_USER_DIR, f.file);
        const log = new RuleLog();
        const parsed = parseBarFile(readFileSync(path, 'utf8'), path);
        const overlap: IsoDate[] = [];
        for (const d of buildDays(parsed.rows, path, entry.symbol, entry.resolutionMinutes, log)) {
          if (s.days.has(d.date)) overlap.push(d.date);
          s.days.set(d.date, d);
        }
        recordRules(report, id, log, path);
        if (overlap.length > 0) {
          report.quirks.push({
            series: id,
            rule: INTRADAY_RULES.userDaysWin,
            dates: overlap,
            note: `${path}: these days replace the earlier bars of the same day (whole days, never mixed)`,
          });
        }
      }
    }
  }

  const series: IntradaySeries[] = [...bySeries.entries()].map(([id, s]) => ({
    id,
    symbol: s.symbol,
    resolutionMinutes: s.res,
    days: [...s.days.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    origin: s.origin,
  }));
  const index = new Map<string, Map<string, IntradayDay>>();
  for (const s of series) index.set(s.id, new Map(s.days.map((d) => [d.date, d])));
  const finestFirst = [...series].sort((a, b) => a.resolutionMinutes - b.resolutionMinutes);
  const loadMs = performance.now() - t0;
  return {
    series,
    day(date, o = {}) {
      const symbol = o.symbol ?? 'spx';
      if (o.resolutionMinutes !== undefined)
        return index.get(seriesId(symbol, o.resolutionMinutes))?.get(date);
      for (const s of finestFirst) {
        if (s.symbol !== symbol) continue;
        const d = index.get(s.id)?.get(date);
        if (d) return d;
      }
      return undefined;
    },
    dates(symbol = 'spx') {
      const all = new Set<IsoDate>();
      for (const s of series) if (s.symbol === symbol) for (const d of s.days) all.add(d.date);
      return [...all].sort();
    },
    report,
    loadMs,
  };
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * `index.csv` (upstream's manifest: one row per date, the finest resolution, the number of rows and
 * the day's OHLC over every row, closing print included) must describe the bar files exactly: every
 * date of every folder is listed once, at its finest folder, with that file's row count, and the
 * open/high/low/close/range/net agree to the 0.01 the index is written with.
 */
function checkIndex(
  file: string,
  bySeries: ReadonlyMap<string, { res: number; days: Map<string, IntradayDay> }>,
  rawRows: ReadonlyMap<string, number>,
): void {
  const table = parseCsv(readFileSync(file, 'utf8'), file);
  const want = ['date', 'dow', 'resolution', 'bars', 'open', 'high', 'low', 'close', 'range_pts', 'net_pts'];
  if (table.header.join(',') !== want.join(',')) {
    throw new DataError(
      file,
      1,
      'header',
      table.header.join(','),
      'not the intraday index layout',
      `use ${want.join(',')}`,
    );
  }
  const fix =
    'data/intraday must be the upstream files byte for byte (see data/PROVENANCE.md and SHA256SUMS)';
  const finest = new Map<string, { label: string; day: IntradayDay; folder: string }>();
  for (const { folder, minutes } of EMBEDDED_INTRADAY_FOLDERS) {
    const s = bySeries.get(seriesId('spx', minutes));
    for (const d of s?.days.values() ?? [])
      finest.set(d.date, { label: resolutionLabel(minutes), day: d, folder });
  }
  const listed = new Set<string>();
  let prev = '';
  for (const r of table.rows) {
    const [date, dow, res, bars, ...nums] = r.fields as string[];
    const bad = (field: string, value: string, problem: string) =>
      new DataError(file, r.line, field, value, problem, fix);
    if (date === undefined || date <= prev) throw bad('date', date ?? '', 'not after the previous row');
    prev = date;
    listed.add(date);
    const f = finest.get(date);
    if (!f) throw bad('date', date, 'no bar file for this date');
    if (dow !== WEEKDAYS[weekdayOf(date as IsoDate)])
      throw bad('dow', dow ?? '', `not the weekday of ${date}`);
    if (res !== f.label) throw bad('resolution', res ?? '', `the finest folder with ${date} is ${f.folder}`);
    const n = rawRows.get(`${f.folder}/${date}`);
    if (String(n) !== bars) throw bad('bars', bars ?? '', `${f.folder}/${date}.csv has ${n} rows`);
    const d = f.day;
    const cp = d.closingPrint;
    const hi = Math.max(...d.bars.map((b) => b.high), cp ?? 0);
    const lo = Math.min(...d.bars.map((b) => b.low), cp ?? Number.POSITIVE_INFINITY);
    const open = (d.bars[0] as { open: number }).open;
    const close = cp ?? (d.bars.at(-1) as { close: number }).close;
    const expect: Array<[string, number]> = [
      ['open', open],
      ['high', hi],
      ['low', lo],
      ['close', close],
      ['range_pts', hi - lo],
      ['net_pts', close - open],
    ];
    expect.forEach(([field, v], i) => {
      const got = Number(nums[i]);
      if (!(Math.abs(got - v) <= 0.005 + 1e-9))
        throw bad(field, nums[i] ?? '', `the bar file gives ${v.toFixed(2)}`);
    });
  }
  for (const date of finest.keys()) {
    if (!listed.has(date))
      throw new DataError(
        file,
        table.rows.length + 1,
        'date',
        date,
        'a bar file of this date is not listed',
        fix,
      );
  }
}
