import {
  type DatedValue,
  type IsoDate,
  type MonthlyDividendRow,
  SHILLER_DIVIDEND_LAST_MONTH,
  type SpxInputRow,
  type VixFuturesRow,
} from '@vixshield/core';
import { z } from 'zod';
import { parseCsv, scanCsv } from './csv';
import { DataError } from './errors';
import { parseCell, parseDateText } from './fields';
import { detectLayout, type Layout, type OhlcRow, readOhlc, readValues, type ValueRow } from './layout';
import { type IsTradingDay, type LoadReport, recordProblem, recordQuirk, type SeriesId } from './load-report';

/** Snapshots (and the SPX series) start here: the first day of VIX and of the trading calendar data. */
export const SNAPSHOT_START = '1990-01-02' as IsoDate;
/** Stooq's last row is an intraday snapshot (close 6714.06 vs official 6714.59). */
export const STOOQ_INTRADAY_DATE = '2025-10-07' as IsoDate;
/** Stooq's close is wrong here (4442.41); FRED has the official 4447.70. */
export const STOOQ_BAD_CLOSE_DATE = '2021-08-11' as IsoDate;
/** Days where Stooq and FRED closes differ by more than 0.02 and Stooq is kept (documented). */
export const STOOQ_FRED_KNOWN_MISMATCHES = ['2018-11-29', '2019-08-12', '2020-05-11', '2020-10-05'] as const;
/** VVIX in 2006 is sparse and partly wrong. */
export const VVIX_FIRST_USED = '2007-01-01' as IsoDate;
/** VIX1Y: HIGH above this multiple of CLOSE is treated as a spurious spike (CLOSE is used only). */
export const VIX1Y_SPIKE_RATIO = 1.3;
const MISMATCH_TOL = 0.02;

/** Daily SPX bar plus where it came from. */
export interface SpxRow extends SpxInputRow {
  readonly source: 'stooq' | 'fred' | 'yahoo' | 'user';
}

// ---------------------------------------------------------------------------------------------
// SPX
// ---------------------------------------------------------------------------------------------

/** Reads the FRED SP500 close file; empty values (holidays) are removed and recorded. */
export function loadFredSp500(
  text: string,
  file: string,
  isTradingDay: IsTradingDay,
  report: LoadReport,
): DatedValue[] {
  return fredValues('spxFred', text, file, 'price', isTradingDay, report);
}

function fredValues(
  series: SeriesId,
  text: string,
  file: string,
  kind: 'price' | 'ratePct',
  isTradingDay: IsTradingDay,
  report: LoadReport,
): DatedValue[] {
  const table = scanCsv(text, file);
  const layout = detectLayout(table);
  if (layout.kind !== 'value') throw wrongLayout(file, table.header, 'DATE,VALUE (FRED)');
  const rows = readValues(table, layout, kind);
  const empty = rows.filter((r) => r.value === null);
  const emptyOnTradingDays = empty.filter((r) => isTradingDay(r.date) && series === 'spxFred');
  recordQuirk(
    report,
    series,
    'fred-empty-is-holiday',
    empty.map((r) => r.date),
    'FRED leaves holidays empty; those rows are skipped (rates: the last earlier value is used, never a later one)',
  );
  recordProblem(
    report,
    series,
    'empty-on-trading-day',
    emptyOnTradingDays.map((r) => r.date),
    'FRED has no close on an exchange trading day',
  );
  return rows
    .filter((r): r is ValueRow & { value: number } => r.value !== null)
    .map((r) => ({ date: r.date, value: r.value }));
}

function wrongLayout(file: string, header: readonly string[], want: string): DataError {
  return new DataError(
    file,
    1,
    'header',
    header.join(','),
    'wrong layout for this series',
    `use a ${want} header`,
  );
}

/**
 * SPX from Stooq OHLC, with the documented rules: rows before 1990-01-02 not used; the 2025-10-07
 * intraday row dropped (close taken from FRED, close-only); 2021-08-11 close patched from FRED;
 * flat O=H=L=C rows are close-only; after the Stooq end the series is extended close-only from FRED.
 * Rows on non-trading days are problems (dropped, reported).
 */
export function loadSpx(
  stooqText: string,
  stooqFile: string,
  fred: readonly DatedValue[],
  isTradingDay: IsTradingDay,
  report: LoadReport,
): SpxRow[] {
  const table = scanCsv(stooqText, stooqFile);
  const layout = detectLayout(table);
  if (layout.kind !== 'ohlc') throw wrongLayout(stooqFile, table.header, 'Date,Open,High,Low,Close');
  const early: IsoDate[] = [];
  const rows = readOhlc(table, layout, false, { from: SNAPSHOT_START, skipped: early });
  const fredBy = new Map<string, number>(fred.map((p) => [p.date, p.value]));
  recordQuirk(
    report,
    'spx',
    'spx-before-1990-not-used',
    early,
    'Stooq rows before 1990-01-02 (monthly before 1885, Saturdays to 1952, close-only 1950-1983) are date-checked only and not used',
  );

  const out: SpxRow[] = [];
  const flat: IsoDate[] = [];
  const mismatches: IsoDate[] = [];
  const knownMismatches: IsoDate[] = [];
  const offCalendar: IsoDate[] = [];
  let intradayDropped = false;
  let patched: IsoDate[] = [];
  for (const r of rows) {
    if (r.date === STOOQ_INTRADAY_DATE) {
      intradayDropped = true;
      continue;
    }
    if (!isTradingDay(r.date)) {
      offCalendar.push(r.date);
      continue;
    }
    let bar: SpxRow = toBar(r);
    if (r.date === STOOQ_BAD_CLOSE_DATE) {
      const fc = fredBy.get(r.date);
      if (fc !== undefined) {
        bar = { ...bar, close: fc };
        patched = [r.date];
      }
    } else {
      const fc = fredBy.get(r.date);
      if (fc !== undefined && Math.abs(fc - r.close) > MISMATCH_TOL) {
        if ((STOOQ_FRED_KNOWN_MISMATCHES as readonly string[]).includes(r.date)) knownMismatches.push(r.date);
        else mismatches.push(r.date);
      }
    }
    if (bar.closeOnly) flat.push(r.date);
    out.push(bar);
  }
  recordQuirk(
    report,
    'spx',
    'stooq-2025-10-07-intraday-dropped',
    intradayDropped ? [STOOQ_INTRADAY_DATE] : [],
    'the last Stooq row is an intraday snapshot; dropped, the official close (6714.59) comes from FRED, then with its OHLC from Yahoo (spx-yahoo-ohlc-replaces-fred-close-only)',
  );
  recordQuirk(
    report,
    'spx',
    'stooq-2021-08-11-close-from-fred',
    patched,
    'Stooq close 4442.41 is wrong; FRED 4447.70 used',
  );
  recordQuirk(
    report,
    'spx',
    'flat-ohlc-is-close-only',
    flat,
    'rows with O=H=L=C carry only a close: open/high/low set to null, closeOnly=true',
  );
  recordQuirk(
    report,
    'spx',
    'stooq-fred-known-mismatch-kept',
    knownMismatches,
    'Stooq and FRED differ by more than 0.02 on these documented days; Stooq is kept',
  );
  recordProblem(
    report,
    'spx',
    'stooq-fred-mismatch',
    mismatches,
    'Stooq close differs from FRED by more than 0.02',
  );
  const last = out.at(-1)?.date ?? SNAPSHOT_START;
  const ext: IsoDate[] = [];
  for (const p of fred) {
    if (p.date <= last) continue;
    if (!isTradingDay(p.date)) {
      offCalendar.push(p.date);
      continue;
    }
    out.push({
      date: p.date,
      open: null,
      high: null,
      low: null,
      close: p.value,
      closeOnly: true,
      source: 'fred',
    });
    ext.push(p.date);
  }
  recordProblem(
    report,
    'spx',
    'row-on-non-trading-day',
    offCalendar,
    'SPX row (Stooq or FRED) on a day the calendar says is closed; dropped',
  );
  recordQuirk(
    report,
    'spx',
    'spx-extended-close-only-from-fred',
    ext,
    'after the last usable Stooq row the SPX close comes from FRED SP500 (close only, closeOnly=true)',
  );
  return out;
}

function toBar(r: OhlcRow): SpxRow {
  const flat = r.open === r.high && r.high === r.low && r.low === r.close;
  return flat
    ? { date: r.date, open: null, high: null, low: null, close: r.close, closeOnly: true, source: 'stooq' }
    : {
        date: r.date,
        open: r.open,
        high: r.high,
        low: r.low,
        close: r.close,
        closeOnly: false,
        source: 'stooq',
      };
}

/** SPX rows from a user file (OHLC or DATE,VALUE close-only); flat rows close-only; off-calendar rows are problems. */
export function spxRowsFromUser(
  text: string,
  file: string,
  isTradingDay: IsTradingDay,
  report: LoadReport,
): SpxRow[] {
  const table = scanCsv(text, file);
  const layout = detectLayout(table);
  const out: SpxRow[] = [];
  const off: IsoDate[] = [];
  if (layout.kind === 'ohlc') {
    for (const r of readOhlc(table, layout, false)) {
      if (!isTradingDay(r.date)) off.push(r.date);
      else out.push({ ...toBar(r), source: 'user' });
    }
  } else {
    for (const r of readValues(table, layout, 'price')) {
      if (r.value === null) continue;
      if (!isTradingDay(r.date)) off.push(r.date);
      else
        out.push({
          date: r.date,
          open: null,
          high: null,
          low: null,
          close: r.value,
          closeOnly: true,
          source: 'user',
        });
    }
  }
  recordProblem(report, 'spx', 'row-on-non-trading-day', off, `${file}: SPX row on a closed day; dropped`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// VIX family and other Cboe index histories (closes)
// ---------------------------------------------------------------------------------------------

export type IndexSeriesId = 'vix' | 'vix1d' | 'vix9d' | 'vix3m' | 'vix6m' | 'vix1y' | 'vvix' | 'skew' | 'bxm';

/** Known closures on which a Cboe file carries a stale row (documented). */
const STALE_ON_CLOSURE: Partial<Record<IndexSeriesId, readonly string[]>> = { vix: ['2004-06-11'] };

/**
 * Closes of a Cboe index history (DATE,OPEN,HIGH,LOW,CLOSE or DATE,<SYMBOL>, ISO or MM/DD/YYYY dates).
 * Only CLOSE is used, so inconsistent OHLC rows are recorded but harmless. Rows on non-trading days
 * (Cboe global trading hours, stale rows on closures) are dropped and recorded. VVIX before 2007 is
 * not used. VIX1Y: CLOSE only (spurious HIGH spikes recorded).
 */
export function loadIndexCloses(
  series: IndexSeriesId,
  text: string,
  file: string,
  isTradingDay: IsTradingDay,
  report: LoadReport,
): DatedValue[] {
  const table = scanCsv(text, file);
  // VIX1D also comes as the two-column `date,close` of the embedded training file, which the generic
  // detection would read as an OHLC header missing three columns.
  const h = table.header.map((x) => x.toLowerCase());
  const layout: Layout =
    series === 'vix1d' && h.length === 2 && h[0] === 'date' && h[1] === 'close'
      ? { kind: 'value', dateCol: 0, valueCol: 1, name: 'close' }
      : detectLayout(table);
  let rows: DatedValue[];
  if (layout.kind === 'ohlc') {
    const ohlc = readOhlc(table, layout, true);
    const inconsistent = ohlc.filter(
      (r) => r.high < r.low || r.open > r.high || r.open < r.low || r.close > r.high || r.close < r.low,
    );
    recordQuirk(
      report,
      series,
      'ohlc-inconsistent-close-used',
      inconsistent.map((r) => r.date),
      'open/high/low are not used for Cboe index series; rows whose OHLC is inconsistent keep their close',
    );
    if (series === 'vix1y') {
      recordQuirk(
        report,
        series,
        'vix1y-close-only-high-spikes',
        ohlc.filter((r) => r.high > VIX1Y_SPIKE_RATIO * r.close).map((r) => r.date),
        `VIX1Y intraday HIGH has spurious spikes (HIGH > ${VIX1Y_SPIKE_RATIO} x CLOSE on these days): only CLOSE is used`,
      );
    }
    rows = ohlc.map((r) => ({ date: r.date, value: r.close }));
  } else {
    const vals = readValues(table, layout, 'price');
    // FRED downloads (e.g. VIXCLS) leave holidays empty or write '.'; such rows are skipped and
    // recorded. On a trading day the missing value then shows up as a gap in `data check`.
    recordQuirk(
      report,
      series,
      'empty-value-skipped',
      vals.filter((r) => r.value === null).map((r) => r.date),
      'empty/NA/"." values (FRED holiday convention) are skipped; on a trading day this is a reported gap',
    );
    rows = vals.filter((r) => r.value !== null).map((r) => ({ date: r.date, value: r.value as number }));
  }
  if (series === 'vvix') {
    const early = rows.filter((r) => r.date < VVIX_FIRST_USED);
    recordQuirk(
      report,
      series,
      'vvix-before-2007-not-used',
      early.map((r) => r.date),
      'VVIX in 2006 is sparse and partly wrong (15.7-37.9 in March 2006): rows before 2007 are dropped',
    );
    rows = rows.filter((r) => r.date >= VVIX_FIRST_USED);
  }
  const off = rows.filter((r) => !isTradingDay(r.date)).map((r) => r.date);
  const stale = off.filter((d) => STALE_ON_CLOSURE[series]?.includes(d));
  if (stale.length > 0) {
    recordQuirk(
      report,
      series,
      'stale-row-on-closure',
      stale,
      'a stale row on an NYSE closure (2004-06-11, Reagan day of mourning)',
    );
  }
  recordQuirk(
    report,
    series,
    'non-trading-day-dropped',
    off,
    'rows on days the exchange calendar says are closed (Cboe global trading hours, stale rows) are dropped',
  );
  const offSet = new Set<string>(off);
  return rows.filter((r) => !offSet.has(r.date));
}

// ---------------------------------------------------------------------------------------------
// VIX futures
// ---------------------------------------------------------------------------------------------

const FUT_COLS = ['M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'M8'] as const;

/** VX futures M1..M8 (CFE close, not settle); NA = not listed. Rows on non-trading days are problems. */
export function loadVixFutures(
  text: string,
  file: string,
  isTradingDay: IsTradingDay,
  report: LoadReport,
): VixFuturesRow[] {
  const table = parseCsv(text, file);
  const h = table.header;
  const dateCol = h.indexOf('date');
  const cols = FUT_COLS.map((c) => h.indexOf(c));
  const missing = FUT_COLS.find((_, i) => cols[i]! < 0);
  if (dateCol < 0 || missing) {
    throw new DataError(
      file,
      1,
      dateCol < 0 ? 'date' : missing!,
      h.join(','),
      'missing column',
      'header must be "",date,M1,...,M8',
    );
  }
  if (table.rows.length === 0) throw new DataError(file, 2, 'rows', '', 'no data rows', 'add data rows');
  const out: VixFuturesRow[] = [];
  const off: IsoDate[] = [];
  const zeros: IsoDate[] = [];
  let prev: IsoDate | undefined;
  for (const r of table.rows) {
    const raw = r.fields[dateCol] ?? '';
    const date = parseCell('date', { file, line: r.line, field: 'date', raw });
    if (prev !== undefined && date <= prev) {
      throw new DataError(
        file,
        r.line,
        'date',
        raw,
        date === prev ? 'duplicate date' : `out of order (after ${prev})`,
        'sort rows by increasing date, one per date',
      );
    }
    prev = date;
    let zero = false;
    const closes = cols.map((c, i) => {
      const v = r.fields[c] ?? '';
      if (v === 'NA') return null;
      if (v.trim() === '0') {
        zero = true;
        return null;
      }
      return parseCell('price', { file, line: r.line, field: FUT_COLS[i]!, raw: v });
    }) as unknown as VixFuturesRow['closes'];
    if (zero) zeros.push(date);
    if (!isTradingDay(date)) off.push(date);
    else out.push({ date, closes });
  }
  recordQuirk(
    report,
    'vixFutures',
    'futures-close-not-settle',
    [],
    'M1..M8 are CFE closes (last trade), not settlements; NA = not listed',
  );
  recordQuirk(
    report,
    'vixFutures',
    'futures-zero-close-is-no-trade',
    zeros,
    'a close of 0 (111 cells on 109 dates, mostly on or near an expiry) means no trade that day: read as null, never as 0',
  );
  recordProblem(
    report,
    'vixFutures',
    'row-on-non-trading-day',
    off,
    'VX futures row on a closed day; dropped',
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rates
// ---------------------------------------------------------------------------------------------

/** FRED DGS3MO (% BEY); empty = holiday, skipped (the builder forward-fills only from the past). */
export function loadDgs3mo(
  text: string,
  file: string,
  isTradingDay: IsTradingDay,
  report: LoadReport,
): DatedValue[] {
  return fredValues('dgs3mo', text, file, 'ratePct', isTradingDay, report);
}

/** FRED DFF (% ACT/360), every calendar day; used after DGS3MO ends (2025-06-24). */
export function loadDff(
  text: string,
  file: string,
  isTradingDay: IsTradingDay,
  report: LoadReport,
): DatedValue[] {
  return fredValues('dff', text, file, 'ratePct', isTradingDay, report);
}

// ---------------------------------------------------------------------------------------------
// Shiller monthly dividends
// ---------------------------------------------------------------------------------------------

/** Shiller monthly: Dividend/SP500 rows; Dividend = 0 after 2023-06 means missing (recorded). */
export function loadShillerDividends(text: string, file: string, report: LoadReport): MonthlyDividendRow[] {
  const table = parseCsv(text, file);
  const h = table.header;
  const need = ['Date', 'SP500', 'Dividend'] as const;
  const idx = need.map((n) => h.indexOf(n));
  const miss = need.find((_, i) => idx[i]! < 0);
  if (miss)
    throw new DataError(
      file,
      1,
      miss,
      h.join(','),
      'missing column',
      'header must include Date,SP500,Dividend',
    );
  const [dc, pc, vc] = idx as [number, number, number];
  const out: MonthlyDividendRow[] = [];
  const zeros: IsoDate[] = [];
  let prev: IsoDate | undefined;
  for (const r of table.rows) {
    const month = parseCell('date', { file, line: r.line, field: 'Date', raw: r.fields[dc] ?? '' });
    if (!month.endsWith('-01')) {
      throw new DataError(file, r.line, 'Date', month, 'not the first of a month', 'use YYYY-MM-01');
    }
    if (prev !== undefined && month <= prev) {
      throw new DataError(
        file,
        r.line,
        'Date',
        month,
        month === prev ? 'duplicate month' : 'out of order',
        'sort by month, one row each',
      );
    }
    prev = month;
    const sp500 = parseCell('price', { file, line: r.line, field: 'SP500', raw: r.fields[pc] ?? '' });
    const dividend = parseCell('nonNegative', {
      file,
      line: r.line,
      field: 'Dividend',
      raw: r.fields[vc] ?? '',
    });
    if (dividend === 0) {
      if (month <= SHILLER_DIVIDEND_LAST_MONTH) {
        throw new DataError(
          file,
          r.line,
          'Dividend',
          '0',
          'zero dividend inside the valid range (through 2023-06)',
          'give the trailing 12-month dividend in index points',
        );
      }
      zeros.push(month);
      continue;
    }
    if (month > SHILLER_DIVIDEND_LAST_MONTH) continue; // values after 2023-06 are not trusted (none are non-zero)
    out.push({ month, sp500, dividend });
  }
  recordQuirk(
    report,
    'shiller',
    'shiller-dividend-zero-is-missing',
    zeros,
    'Dividend is 0 (= missing) from 2023-07; the last real month (2023-06) is forward-filled and labelled so',
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// Event calendars
// ---------------------------------------------------------------------------------------------

const fomcRow = z.object({
  decision_date: z.string(),
  meeting_start: z.string(),
  type: z.enum(['scheduled', 'unscheduled']),
  source: z.string().min(1),
});

/** The decision days of one file in the decision layout (decision_date,meeting_start,type,source). */
export function loadFomcDecisionDates(decisionsText: string, decisionsFile: string): IsoDate[] {
  const dec = parseCsv(decisionsText, decisionsFile);
  const decisions: IsoDate[] = [];
  for (const r of dec.rows) {
    const obj = Object.fromEntries(dec.header.map((k, i) => [k, r.fields[i] ?? '']));
    const parsed = fomcRow.safeParse(obj);
    if (!parsed.success) {
      const iss = parsed.error.issues[0]!;
      const field = String(iss.path[0] ?? 'row');
      throw new DataError(
        decisionsFile,
        r.line,
        field,
        String(obj[field] ?? ''),
        iss.message,
        'columns decision_date,meeting_start,type (scheduled|unscheduled),source',
      );
    }
    decisions.push(
      parseCell('date', {
        file: decisionsFile,
        line: r.line,
        field: 'decision_date',
        raw: parsed.data.decision_date,
      }),
    );
  }
  return decisions;
}

/**
 * FOMC decision days: the 2015-2026 decision file, and before 2015 the last day of each meeting from
 * the 1936-2021 file (which includes unflagged conference calls). Later schedules in the same layout
 * are read with loadFomcDecisionDates.
 */
export function loadFomcDates(
  decisionsText: string,
  decisionsFile: string,
  meetingsText: string,
  meetingsFile: string,
  report: LoadReport,
): IsoDate[] {
  const decisions = loadFomcDecisionDates(decisionsText, decisionsFile);
  const first = decisions[0] ?? ('9999-12-31' as IsoDate);
  const meet = parseCsv(meetingsText, meetingsFile, { hasHeader: false });
  const early: IsoDate[] = [];
  for (const r of meet.rows) {
    const d = parseCell('date', { file: meetingsFile, line: r.line, field: 'date', raw: r.fields[0] ?? '' });
    if (d < first) early.push(d);
  }
  recordQuirk(
    report,
    'fomc',
    'fomc-before-2015-from-meeting-file',
    [],
    `FOMC days before ${first} come from the meeting file (last day of each meeting, conference calls unflagged)`,
  );
  const all = [...new Set([...early, ...decisions])].sort();
  return all as IsoDate[];
}

/** FOMC decision days the decision file marks `unscheduled` (emergency moves nobody could know ahead). */
export function loadUnscheduledFomcDates(text: string, file: string): IsoDate[] {
  const t = parseCsv(text, file);
  const dc = t.header.indexOf('decision_date');
  const tc = t.header.indexOf('type');
  if (dc < 0 || tc < 0)
    throw new DataError(
      file,
      1,
      'header',
      t.header.join(','),
      'missing column',
      'columns decision_date,meeting_start,type (scheduled|unscheduled),source',
    );
  const out: IsoDate[] = [];
  for (const r of t.rows) {
    if ((r.fields[tc] ?? '') !== 'unscheduled') continue;
    out.push(parseCell('date', { file, line: r.line, field: 'decision_date', raw: r.fields[dc] ?? '' }));
  }
  return out.sort() as IsoDate[];
}

/** CPI release days (reference months 2014-11 .. 2026-11, two files). */
export function loadCpiDates(text: string, file: string): IsoDate[] {
  return loadReleaseDates(text, file, 'CPI');
}

/**
 * BLS release days from a `reference_month,release_date` file (CPI, PPI, Employment Situation): a
 * month's figure is released in a later month, one release per reference month.
 */
export function loadReleaseDates(text: string, file: string, label: string): IsoDate[] {
  const t = parseCsv(text, file);
  const rc = t.header.indexOf('release_date');
  if (rc < 0)
    throw new DataError(
      file,
      1,
      'release_date',
      t.header.join(','),
      'missing column',
      'header must be reference_month,release_date',
    );
  const mc = t.header.indexOf('reference_month');
  const out: IsoDate[] = [];
  for (const r of t.rows) {
    const ref = r.fields[mc] ?? '';
    if (mc >= 0 && parseDateText(`${ref}-01`) === undefined) {
      throw new DataError(
        file,
        r.line,
        'reference_month',
        ref,
        'not a month',
        'write the reference month as YYYY-MM',
      );
    }
    const d = parseCell('date', { file, line: r.line, field: 'release_date', raw: r.fields[rc] ?? '' });
    if (mc >= 0 && `${d.slice(0, 7)}` <= ref) {
      throw new DataError(
        file,
        r.line,
        'release_date',
        d,
        `released on or before its reference month ${ref}`,
        `${label} for a month is released in a later month`,
      );
    }
    out.push(d);
  }
  return [...new Set(out)].sort() as IsoDate[];
}
