import type { DatedValue, IsoDate } from '@vixshield/core';
import { scanCsv } from './csv';
import { DataError } from './errors';
import { detectLayout, type OhlcRow, readOhlc } from './layout';
import { type IsTradingDay, type LoadReport, recordProblem, recordQuirk, type SeriesId } from './load-report';
import { type IndexSeriesId, loadDff, loadIndexCloses, type SpxRow } from './loaders';

/*
 * Files that continue an embedded series after its main file ends (data/PROVENANCE.md, "Extensions to
 * 2026-08-21"): Yahoo chart payloads for SPX (OHLC), VIX and VIX9D, and an excerpt of a later FRED DFF
 * download. The main file stays the source wherever it has the day; on the overlap the closes must
 * agree (a disagreement is a problem for `data check`, unless documented below with the reason), and
 * only the days after the main file's last day are added.
 */

/** SPX closes agree within this many points (the tolerance of the Stooq/FRED check). */
export const SPX_EXTENSION_TOL = 0.02;
/** Index closes agree within this (Yahoo rounds to 2 decimals, the Cboe files carry 6). */
export const INDEX_EXTENSION_TOL = 0.005 + 1e-9;
/** Rates agree exactly (both FRED files carry 2 decimals). */
export const RATE_EXTENSION_TOL = 1e-9;

/**
 * Overlap days where an extension file disagrees with the main file and the main file is kept, each
 * checked against the other series of the day.
 */
export const EXTENSION_KNOWN_MISMATCHES: Partial<Record<SeriesId, readonly string[]>> = {
  // Yahoo ^VIX 2026-02-06: close 20.37 (VIX3M's close that day) and low 19.99; Cboe's 17.76 fits the day
  // (SPX +2.0%, VIX9D 22.29 -> 15.43, VVIX 117.07 -> 100.99). Cboe is kept.
  vix: ['2026-02-06'],
};

/** Yahoo-derived OHLC rows (`date,open,high,low,close`), every row validated (High >= Low etc.). */
function readYahooOhlc(text: string, file: string): OhlcRow[] {
  const table = scanCsv(text, file);
  const layout = detectLayout(table);
  if (layout.kind !== 'ohlc') {
    throw new DataError(
      file,
      1,
      'header',
      table.header.join(','),
      'wrong layout for an OHLC extension',
      'use a date,open,high,low,close header',
    );
  }
  return readOhlc(table, layout, false);
}

/**
 * Compares `ext` with `base` on their common dates and appends the `ext` rows dated after the last
 * `base` row. Disagreements beyond `tol` are problems unless listed in EXTENSION_KNOWN_MISMATCHES.
 */
export function extendValues(
  series: SeriesId,
  base: readonly DatedValue[],
  ext: readonly DatedValue[],
  file: string,
  tol: number,
  report: LoadReport,
): DatedValue[] {
  const byDate = new Map<string, number>(base.map((p) => [p.date, p.value]));
  const known = new Set(EXTENSION_KNOWN_MISMATCHES[series] ?? []);
  const mismatches: IsoDate[] = [];
  const knownHit: IsoDate[] = [];
  let compared = 0;
  for (const p of ext) {
    const v = byDate.get(p.date);
    if (v === undefined) continue;
    compared++;
    if (Math.abs(v - p.value) > tol) (known.has(p.date) ? knownHit : mismatches).push(p.date);
  }
  const last = base.at(-1)?.date;
  const added = ext.filter((p) => last === undefined || p.date > last);
  recordQuirk(
    report,
    series,
    'extension-known-mismatch-main-kept',
    knownHit,
    `${file} disagrees with the main file on these documented days; the main file is kept`,
  );
  recordProblem(
    report,
    series,
    'extension-mismatch',
    mismatches,
    `${file} differs from the main file by more than ${tol.toFixed(3)} (of ${compared} common days)`,
  );
  recordQuirk(
    report,
    series,
    'extended-after-main-file',
    added.map((p) => p.date),
    `the days after the main file's last day come from ${file} (values agree on ${compared - mismatches.length - knownHit.length} of ${compared} common days)`,
  );
  return [...base, ...added];
}

/** An index series (VIX, VIX9D) continued from a Yahoo file, with the Cboe loader's rules applied to it. */
export function extendIndexFromFile(
  series: IndexSeriesId,
  base: readonly DatedValue[],
  text: string,
  file: string,
  isTradingDay: IsTradingDay,
  report: LoadReport,
): DatedValue[] {
  // The same rules as the main file: closes only, rows on closed days (Cboe holiday sessions) dropped.
  const ext = loadIndexCloses(series, text, file, isTradingDay, report);
  return extendValues(series, base, ext, file, INDEX_EXTENSION_TOL, report);
}

/** DFF continued from a later FRED download (the same rules as the main file). */
export function extendDffFromFile(
  base: readonly DatedValue[],
  text: string,
  file: string,
  isTradingDay: IsTradingDay,
  report: LoadReport,
): DatedValue[] {
  const ext = loadDff(text, file, isTradingDay, report);
  return extendValues('dff', base, ext, file, RATE_EXTENSION_TOL, report);
}

/**
 * SPX continued from the Yahoo OHLC file. Stooq stays the source wherever it has the day (its closes
 * must agree with Yahoo's); the FRED close-only bars after Stooq's end become Yahoo OHLC bars when
 * Yahoo has the day (the closes must agree with FRED's); the Yahoo days after the last FRED day are
 * added. Yahoo rows on closed days are problems (dropped), as for every SPX source.
 */
export function extendSpxFromYahoo(
  spx: readonly SpxRow[],
  text: string,
  file: string,
  isTradingDay: IsTradingDay,
  report: LoadReport,
): SpxRow[] {
  const rows = readYahooOhlc(text, file);
  const yahoo = new Map<string, OhlcRow>();
  const off: IsoDate[] = [];
  for (const r of rows) {
    if (isTradingDay(r.date)) yahoo.set(r.date, r);
    else off.push(r.date);
  }
  const bar = (r: OhlcRow): SpxRow =>
    r.open === r.high && r.high === r.low && r.low === r.close
      ? { date: r.date, open: null, high: null, low: null, close: r.close, closeOnly: true, source: 'yahoo' }
      : {
          date: r.date,
          open: r.open,
          high: r.high,
          low: r.low,
          close: r.close,
          closeOnly: false,
          source: 'yahoo',
        };
  const stooqMismatch: IsoDate[] = [];
  const fredMismatch: IsoDate[] = [];
  const replaced: IsoDate[] = [];
  let stooqCompared = 0;
  const out: SpxRow[] = spx.map((b) => {
    const y = yahoo.get(b.date);
    if (y === undefined) return b;
    if (b.source === 'fred') {
      if (Math.abs(y.close - b.close) > SPX_EXTENSION_TOL) fredMismatch.push(b.date);
      replaced.push(b.date);
      return bar(y);
    }
    if (b.source === 'stooq') {
      stooqCompared++;
      if (Math.abs(y.close - b.close) > SPX_EXTENSION_TOL) stooqMismatch.push(b.date);
    }
    return b;
  });
  const last = out.at(-1)?.date;
  const added = [...yahoo.values()].filter((r) => last === undefined || r.date > last);
  for (const r of added) out.push(bar(r));
  recordProblem(
    report,
    'spx',
    'yahoo-stooq-mismatch',
    stooqMismatch,
    `${file}: close differs from Stooq by more than ${SPX_EXTENSION_TOL} (of ${stooqCompared} common days)`,
  );
  recordProblem(
    report,
    'spx',
    'yahoo-fred-mismatch',
    fredMismatch,
    `${file}: close differs from FRED by more than ${SPX_EXTENSION_TOL}`,
  );
  recordProblem(report, 'spx', 'row-on-non-trading-day', off, `${file}: SPX row on a closed day; dropped`);
  recordQuirk(
    report,
    'spx',
    'spx-yahoo-ohlc-replaces-fred-close-only',
    replaced,
    `after Stooq's end, the FRED close-only bars become OHLC bars from ${file} (its closes agree with FRED's within ${SPX_EXTENSION_TOL})`,
  );
  recordQuirk(
    report,
    'spx',
    'spx-extended-ohlc-from-yahoo',
    added.map((r) => r.date),
    `after FRED's last day the SPX bars (OHLC) come from ${file}`,
  );
  return out;
}
