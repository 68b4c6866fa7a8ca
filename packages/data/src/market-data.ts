import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSnapshots,
  type DatedValue,
  EVENT_COVERAGE,
  type EventCoverageEntry,
  extendEventCoverage,
  fromDayNumber,
  type IsoDate,
  type MarketSnapshot,
  type MonthlyDividendRow,
  type SnapshotInputs,
  snapshotOn,
  toDayNumber,
  type VixFuturesRow,
} from '@vixshield/core';
import { extendDffFromFile, extendIndexFromFile, extendSpxFromYahoo } from './embedded-extensions';
import { EMBEDDED_DATA_DIR, EMBEDDED_FILES } from './files';
import { type IsTradingDay, type LoadReport, newReport, recordQuirk, type SeriesId } from './load-report';
import {
  type IndexSeriesId,
  loadCpiDates,
  loadDff,
  loadDgs3mo,
  loadFomcDates,
  loadFomcDecisionDates,
  loadFredSp500,
  loadIndexCloses,
  loadReleaseDates,
  loadShillerDividends,
  loadSpx,
  loadUnscheduledFomcDates,
  loadVixFutures,
  type SpxRow,
} from './loaders';
import { parseStoredVx, vxFuturesRows } from './providers/daily/cfe-vx';
import { parseFomcCalendar } from './providers/daily/events';
import { type ImportableSeries, parseUserSeries, readManifest } from './user-store';

/** Summary of one loaded series (after quirk rules and user overrides). */
export interface SeriesInfo {
  readonly id: SeriesId;
  readonly files: readonly string[];
  readonly first: IsoDate | null;
  readonly last: IsoDate | null;
  readonly rows: number;
  /**
   * Trading days between first and last with no row. `null` for series not on the exchange calendar
   * (monthly Shiller, event lists, DFF which has every calendar day).
   */
  readonly gaps: readonly IsoDate[] | null;
  readonly origin: 'embedded' | 'embedded+user' | 'user';
}

/** The loaded series themselves (for checks and studies), each sorted by strictly increasing date. */
export interface LoadedSeries {
  readonly spx: readonly SpxRow[];
  readonly spxFred: readonly DatedValue[];
  readonly vix: readonly DatedValue[];
  /**
   * VIX1D closes: the embedded training file, then `data import vix1d` files and `data update`'s
   * Cboe history (later files win). The one-day vol of a day that has one (short-dated.ts).
   */
  readonly vix1d: readonly DatedValue[];
  readonly vix9d: readonly DatedValue[];
  readonly vix3m: readonly DatedValue[];
  readonly vix6m: readonly DatedValue[];
  readonly vix1y: readonly DatedValue[];
  readonly vvix: readonly DatedValue[];
  readonly skew: readonly DatedValue[];
  readonly bxm: readonly DatedValue[];
  readonly vixFutures: readonly VixFuturesRow[];
  readonly dgs3mo: readonly DatedValue[];
  readonly dff: readonly DatedValue[];
  readonly shiller: readonly MonthlyDividendRow[];
  readonly fomc: readonly IsoDate[];
  /** FOMC decisions that were not scheduled (known only on the day; kept out of the forward calendar). */
  readonly fomcUnscheduled: readonly IsoDate[];
  readonly cpi: readonly IsoDate[];
  readonly ppi: readonly IsoDate[];
  readonly payrolls: readonly IsoDate[];
  /** Where each event kind is known: the embedded calendars' coverage, extended by stored ones. */
  readonly eventCoverage: readonly EventCoverageEntry[];
}

export interface MarketData {
  /** One snapshot per SPX trading day, 1990-01-02 onwards, increasing dates. */
  readonly snapshots: readonly MarketSnapshot[];
  byDate(d: IsoDate): MarketSnapshot | undefined;
  readonly series: readonly SeriesInfo[];
  readonly data: LoadedSeries;
  readonly loadReport: LoadReport;
  /** Wall time of the load in milliseconds (read + validate + build). */
  readonly loadMs: number;
}

export interface LoadOptions {
  /** User data directory (imports); absent = embedded data only. */
  readonly dataDir?: string;
  /** Port: the exchange trading calendar. */
  readonly isTradingDay: IsTradingDay;
  /** Directory of the embedded files; defaults to the repo's `data/`. */
  readonly embeddedDir?: string;
}

function mergeByDate<T extends { date: IsoDate }>(
  embedded: readonly T[],
  user: readonly T[],
): { rows: T[]; overlap: IsoDate[] } {
  const by = new Map<string, T>();
  for (const r of embedded) by.set(r.date, r);
  const overlap: IsoDate[] = [];
  for (const r of user) {
    if (by.has(r.date)) overlap.push(r.date);
    by.set(r.date, r);
  }
  const rows = [...by.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { rows, overlap };
}

/** Trading days in [first, last] on which `dates` has no entry. */
export function tradingDayGaps(dates: readonly IsoDate[], isTradingDay: IsTradingDay): IsoDate[] {
  if (dates.length === 0) return [];
  return gapsAgainst(dates, tradingDaysBetween(dates[0]!, dates.at(-1)!, isTradingDay));
}

/** All trading days in [first, last], ascending (one port call per calendar day). */
export function tradingDaysBetween(first: IsoDate, last: IsoDate, isTradingDay: IsTradingDay): IsoDate[] {
  const out: IsoDate[] = [];
  const end = toDayNumber(last);
  for (let n = toDayNumber(first); n <= end; n++) {
    const d = fromDayNumber(n);
    if (isTradingDay(d)) out.push(d);
  }
  return out;
}

/** Days of `tradingDays` within [dates[0], dates.at(-1)] missing from `dates` (both ascending). */
function gapsAgainst(dates: readonly IsoDate[], tradingDays: readonly IsoDate[]): IsoDate[] {
  if (dates.length === 0) return [];
  const first = dates[0]!;
  const last = dates.at(-1)!;
  const gaps: IsoDate[] = [];
  let j = 0;
  for (const t of tradingDays) {
    if (t < first) continue;
    if (t > last) break;
    while (j < dates.length && dates[j]! < t) j++;
    if (dates[j] !== t) gaps.push(t);
  }
  return gaps;
}

/**
 * A stored event calendar (the layouts of the embedded files, as `data update` keeps them): its release
 * dates, the FOMC decisions it marks unscheduled, and its span. undefined when it lists no date.
 */
function storedCalendar(
  kind: 'fomc' | 'cpi' | 'ppi' | 'payrolls',
  text: string,
  path: string,
): { dates: readonly IsoDate[]; unscheduled: readonly IsoDate[]; first: IsoDate; last: IsoDate } | undefined {
  let dates: readonly IsoDate[];
  if (kind === 'fomc') {
    const parsed = parseFomcCalendar(text, path);
    dates = parsed.kind === 'events' ? parsed.dates : [];
  } else
    dates = loadReleaseDates(text, path, kind === 'payrolls' ? 'Employment Situation' : kind.toUpperCase());
  if (dates.length === 0) return undefined;
  const unscheduled = kind === 'fomc' ? loadUnscheduledFomcDates(text, path) : [];
  return { dates, unscheduled, first: dates[0]!, last: dates.at(-1)! };
}

/** `base` with the dates in [first, last] replaced by `dates` (a newer calendar wins inside its span). */
function replaceSpan(
  base: readonly IsoDate[],
  first: IsoDate,
  last: IsoDate,
  dates: readonly IsoDate[],
): IsoDate[] {
  return [...new Set([...base.filter((d) => d < first || d > last), ...dates])].sort() as IsoDate[];
}

/**
 * Loads, validates and merges the embedded data set (plus user imports from `dataDir`) and builds
 * the snapshots. Throws a DataError on any malformed row; documented quirks are applied and listed
 * in `loadReport.quirks`, anything else in `loadReport.problems`.
 */
export function loadEmbeddedMarketData(opts: LoadOptions): MarketData {
  const t0 = performance.now();
  const dir = opts.embeddedDir ?? EMBEDDED_DATA_DIR;
  const cal = opts.isTradingDay;
  const report = newReport();
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  const F = EMBEDDED_FILES;

  const spxFred = loadFredSp500(read(F.spxFred), F.spxFred, cal, report);
  let spx: SpxRow[] = loadSpx(read(F.spxStooq), F.spxStooq, spxFred, cal, report);
  const idx: Record<IndexSeriesId, DatedValue[]> = {
    vix: loadIndexCloses('vix', read(F.vix), F.vix, cal, report),
    vix1d: loadIndexCloses('vix1d', read(F.vix1d), F.vix1d, cal, report),
    vix9d: loadIndexCloses('vix9d', read(F.vix9d), F.vix9d, cal, report),
    vix3m: loadIndexCloses('vix3m', read(F.vix3m), F.vix3m, cal, report),
    vix6m: loadIndexCloses('vix6m', read(F.vix6m), F.vix6m, cal, report),
    vix1y: loadIndexCloses('vix1y', read(F.vix1y), F.vix1y, cal, report),
    vvix: loadIndexCloses('vvix', read(F.vvix), F.vvix, cal, report),
    skew: loadIndexCloses('skew', read(F.skew), F.skew, cal, report),
    bxm: loadIndexCloses('bxm', read(F.bxm), F.bxm, cal, report),
  };
  let vixFutures = loadVixFutures(read(F.vixFutures), F.vixFutures, cal, report);
  const rates: Record<'dgs3mo' | 'dff', DatedValue[]> = {
    dgs3mo: loadDgs3mo(read(F.dgs3mo), F.dgs3mo, cal, report),
    dff: loadDff(read(F.dff), F.dff, cal, report),
  };
  // the extensions to 2026-08-21 (embedded-extensions.ts): the main files win wherever they have the day
  spx = extendSpxFromYahoo(spx, read(F.spxYahoo), F.spxYahoo, cal, report);
  idx.vix = extendIndexFromFile('vix', idx.vix, read(F.vixYahoo), F.vixYahoo, cal, report);
  idx.vix9d = extendIndexFromFile('vix9d', idx.vix9d, read(F.vix9dYahoo), F.vix9dYahoo, cal, report);
  rates.dff = extendDffFromFile(rates.dff, read(F.dffExcerpt), F.dffExcerpt, cal, report);
  const shiller = loadShillerDividends(read(F.shiller), F.shiller, report);
  let fomc = [
    ...new Set([
      ...loadFomcDates(read(F.fomcDecisions), F.fomcDecisions, read(F.fomcMeetings), F.fomcMeetings, report),
      ...loadFomcDecisionDates(read(F.fomcDecisionsNext), F.fomcDecisionsNext),
    ]),
  ].sort() as IsoDate[];
  let fomcUnscheduled = [
    ...loadUnscheduledFomcDates(read(F.fomcDecisions), F.fomcDecisions),
    ...loadUnscheduledFomcDates(read(F.fomcDecisionsNext), F.fomcDecisionsNext),
  ];
  let cpi = [
    ...new Set([...loadCpiDates(read(F.cpiEarly), F.cpiEarly), ...loadCpiDates(read(F.cpi), F.cpi)]),
  ].sort() as IsoDate[];
  let ppi = [
    ...new Set([
      ...loadReleaseDates(read(F.ppiEarly), F.ppiEarly, 'PPI'),
      ...loadReleaseDates(read(F.ppi), F.ppi, 'PPI'),
    ]),
  ].sort() as IsoDate[];
  let payrolls = loadReleaseDates(read(F.payrolls), F.payrolls, 'Employment Situation');
  let eventCoverage: readonly EventCoverageEntry[] = EVENT_COVERAGE;

  const files: Record<SeriesId, string[]> = {
    spx: [F.spxStooq, F.spxFred, F.spxYahoo],
    spxFred: [F.spxFred],
    vix: [F.vix, F.vixYahoo],
    vix1d: [F.vix1d],
    vix9d: [F.vix9d, F.vix9dYahoo],
    vix3m: [F.vix3m],
    vix6m: [F.vix6m],
    vix1y: [F.vix1y],
    vvix: [F.vvix],
    skew: [F.skew],
    bxm: [F.bxm],
    vixFutures: [F.vixFutures],
    dgs3mo: [F.dgs3mo],
    dff: [F.dff, F.dffExcerpt],
    shiller: [F.shiller],
    fomc: [F.fomcDecisions, F.fomcDecisionsNext, F.fomcMeetings],
    cpi: [F.cpiEarly, F.cpi],
    ppi: [F.ppiEarly, F.ppi],
    payrolls: [F.payrolls],
  };
  const origin: Partial<Record<SeriesId, SeriesInfo['origin']>> = {};

  if (opts.dataDir !== undefined && existsSync(opts.dataDir)) {
    const manifest = readManifest(opts.dataDir);
    // Data directories updated before VIX1D was an engine series keep it under `extra`: read it first,
    // so a later import or update of the series wins over it.
    const legacyVix1d = manifest.extra?.vix1d;
    if (legacyVix1d !== undefined && manifest.series.vix1d === undefined) {
      const path = join(opts.dataDir, legacyVix1d.file);
      const parsed = parseUserSeries('vix1d', readFileSync(path, 'utf8'), path, cal, report);
      const m = mergeByDate(idx.vix1d, parsed.rows as DatedValue[]);
      idx.vix1d = m.rows;
      files.vix1d = [...files.vix1d, path];
      origin.vix1d = 'embedded+user';
      recordQuirk(
        report,
        'vix1d',
        'user-rows-win',
        m.overlap,
        `${path}: user rows win on these overlapping dates`,
      );
    }
    // VX daily settlements `data update` keeps: the real curve of their sessions (the embedded closes
    // end in 2017, so a session has one or the other; a settlement would win).
    const vx = manifest.extra?.vxsettle;
    if (vx !== undefined) {
      const path = join(opts.dataDir, vx.file);
      const m = mergeByDate(vixFutures, vxFuturesRows(parseStoredVx(readFileSync(path, 'utf8'), path)));
      vixFutures = m.rows;
      files.vixFutures = [...files.vixFutures, path];
      origin.vixFutures = 'embedded+user';
      if (m.overlap.length > 0)
        recordQuirk(
          report,
          'vixFutures',
          'user-rows-win',
          m.overlap,
          `${path}: settlements win on these dates`,
        );
    }
    // Event calendars `data update` keeps: read over the embedded ones (storedCalendar).
    for (const kind of ['fomc', 'cpi', 'ppi', 'payrolls'] as const) {
      const stored = manifest.extra?.[kind];
      if (stored === undefined) continue;
      const path = join(opts.dataDir, stored.file);
      const c = storedCalendar(kind, readFileSync(path, 'utf8'), path);
      if (c === undefined) continue;
      const over = (base: readonly IsoDate[], dates: readonly IsoDate[]) =>
        replaceSpan(base, c.first, c.last, dates);
      if (kind === 'fomc') {
        fomc = over(fomc, c.dates);
        fomcUnscheduled = over(fomcUnscheduled, c.unscheduled);
      } else if (kind === 'cpi') cpi = over(cpi, c.dates);
      else if (kind === 'ppi') ppi = over(ppi, c.dates);
      else payrolls = over(payrolls, c.dates);
      files[kind] = [...files[kind], path];
      origin[kind] = 'embedded+user';
      eventCoverage = extendEventCoverage(eventCoverage, kind, {
        first: c.first,
        last: c.last,
        source: `${path} (${stored.importedFrom})`,
      });
    }
    for (const [name, entry] of Object.entries(manifest.series)) {
      const series = name as ImportableSeries;
      const paths = entry.files.map((f) => join(opts.dataDir as string, f.file));
      files[series] = entry.mode === 'replace' ? paths : [...files[series], ...paths];
      origin[series] = entry.mode === 'replace' ? 'user' : 'embedded+user';
      const isRate = series === 'dgs3mo' || series === 'dff';
      let spxRows: SpxRow[] = entry.mode === 'replace' ? [] : spx;
      let values: DatedValue[] =
        entry.mode === 'replace' ? [] : isRate ? rates[series] : idx[series as IndexSeriesId];
      if (entry.mode === 'replace') {
        recordQuirk(
          report,
          series,
          'user-replaces-embedded',
          [],
          `${paths.join(', ')} replace the embedded series`,
        );
      }
      for (const path of paths) {
        const parsed = parseUserSeries(series, readFileSync(path, 'utf8'), path, cal, report);
        let overlap: IsoDate[];
        if (parsed.kind === 'spx') {
          const m = mergeByDate(spxRows, parsed.rows);
          spxRows = m.rows;
          overlap = m.overlap;
        } else {
          const m = mergeByDate(values, parsed.rows);
          values = m.rows;
          overlap = m.overlap;
        }
        recordQuirk(
          report,
          series,
          'user-rows-win',
          overlap,
          `${path}: user rows win on these overlapping dates`,
        );
      }
      if (series === 'spx') spx = spxRows;
      else if (isRate) rates[series] = values;
      else idx[series as IndexSeriesId] = values;
    }
  }

  const inputs: SnapshotInputs = {
    spx,
    vix: idx.vix,
    vix9d: idx.vix9d,
    vix3m: idx.vix3m,
    vix6m: idx.vix6m,
    vix1y: idx.vix1y,
    vvix: idx.vvix,
    skew: idx.skew,
    vixFutures,
    dgs3mo: rates.dgs3mo,
    dff: rates.dff,
    dividends: shiller,
    fomcDates: fomc,
    cpiDates: cpi,
    ppiDates: ppi,
    payrollsDates: payrolls,
    eventCoverage,
  };
  const snapshots = buildSnapshots(inputs);

  const data: LoadedSeries = {
    ...inputs,
    spx,
    spxFred,
    bxm: idx.bxm,
    vix1d: idx.vix1d,
    shiller,
    fomc,
    fomcUnscheduled,
    cpi,
    ppi,
    payrolls,
    eventCoverage,
  };
  // one pass over the calendar for every series' gap list
  const calFirst = [spx, idx.vix, rates.dgs3mo, vixFutures, idx.bxm]
    .map((s) => s[0]?.date)
    .filter((x): x is IsoDate => x !== undefined)
    .sort()[0];
  const calLast = [spx, ...Object.values(idx), rates.dgs3mo, vixFutures]
    .map((s) => s.at(-1)?.date)
    .filter((x): x is IsoDate => x !== undefined)
    .sort()
    .at(-1);
  const tradingDays = calFirst && calLast ? tradingDaysBetween(calFirst, calLast, cal) : [];
  const info = (id: SeriesId, dates: readonly IsoDate[], onCalendar: boolean): SeriesInfo => ({
    id,
    files: files[id],
    first: dates[0] ?? null,
    last: dates.at(-1) ?? null,
    rows: dates.length,
    gaps: onCalendar ? gapsAgainst(dates, tradingDays) : null,
    origin: origin[id] ?? 'embedded',
  });
  const d = (xs: readonly { date: IsoDate }[]) => xs.map((x) => x.date);
  const series: SeriesInfo[] = [
    info('spx', d(spx), true),
    info('spxFred', d(spxFred), true),
    info('vix', d(idx.vix), true),
    info('vix1d', d(idx.vix1d), true),
    info('vix9d', d(idx.vix9d), true),
    info('vix3m', d(idx.vix3m), true),
    info('vix6m', d(idx.vix6m), true),
    info('vix1y', d(idx.vix1y), true),
    info('vvix', d(idx.vvix), true),
    info('skew', d(idx.skew), true),
    info('bxm', d(idx.bxm), true),
    info('vixFutures', d(vixFutures), true),
    info('dgs3mo', d(rates.dgs3mo), true),
    info('dff', d(rates.dff), false),
    info(
      'shiller',
      shiller.map((r) => r.month),
      false,
    ),
    info('fomc', fomc, false),
    info('cpi', cpi, false),
    info('ppi', ppi, false),
    info('payrolls', payrolls, false),
  ];
  const loadMs = performance.now() - t0;
  return { snapshots, byDate: (x) => snapshotOn(snapshots, x), series, data, loadReport: report, loadMs };
}
