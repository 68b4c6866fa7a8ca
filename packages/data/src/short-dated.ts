import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  addDays,
  type DatedValue,
  holidaysBeforeNextSession,
  type IsoDate,
  isPayrollsDay,
  type MarketSnapshot,
  modelOneDayVix,
  modelOneDayVixFromVix,
  nextTradingDay,
  nineDayTradingDays,
  type OneDayVixFeatures,
  type OneDayVixFeaturesFromVix,
  previousTradingDay,
  type SessionReleases,
  secondSessionVarianceRatio,
} from '@vixshield/core';
import { parseCsv } from './csv';
import { DataError } from './errors';
import { parseCell } from './fields';
import { EMBEDDED_DATA_DIR, EMBEDDED_FILES } from './files';
import type { IsTradingDay } from './load-report';
import type { LoadedSeries } from './market-data';
import { publishedReleaseCalendar, type ReleaseDates } from './release-calendar';

/*
 * Loaders of the short-dated market data of issue 14 (data/PROVENANCE.md, "Short-dated market data"):
 * the VIX1D training closes and real SPXW chains in the 15:45 ET Cboe DataShop-style layout.
 */

export const VIX1D_TRAINING_FILE = EMBEDDED_FILES.vix1d;
export const SPXW_2019_06_26_FILE = 'real-chains/spxw-2019-06-26-datashop-1545.csv';

/** VIX1D above this is not a plausible close (the index's record is far below). */
const VIX1D_MAX = 200;

function headerIndex(header: readonly string[], file: string, want: readonly string[]): number[] {
  return want.map((name) => {
    const i = header.indexOf(name);
    if (i < 0) {
      throw new DataError(
        file,
        1,
        name,
        header.join(','),
        'missing column',
        `the header must contain ${want.join(',')}`,
      );
    }
    return i;
  });
}

/**
 * VIX1D closes (`date,close`, ISO dates): dates strictly increasing and on trading days, closes in
 * (0, 200). Throws a DataError naming the line otherwise.
 */
export function loadVix1dCloses(text: string, file: string, isTradingDay: IsTradingDay): DatedValue[] {
  const t = parseCsv(text, file);
  const [dc, cc] = headerIndex(t.header, file, ['date', 'close']) as [number, number];
  const out: DatedValue[] = [];
  for (const r of t.rows) {
    const date = parseCell('date', { file, line: r.line, field: 'date', raw: r.fields[dc] ?? '' });
    const value = parseCell('price', { file, line: r.line, field: 'close', raw: r.fields[cc] ?? '' });
    if (!(value < VIX1D_MAX)) {
      throw new DataError(
        file,
        r.line,
        'close',
        String(value),
        `above ${VIX1D_MAX}`,
        'VIX1D in index points, e.g. 11.97',
      );
    }
    const prev = out[out.length - 1];
    if (prev && prev.date >= date) {
      throw new DataError(
        file,
        r.line,
        'date',
        date,
        `not after ${prev.date}`,
        'sort by date, one row per day',
      );
    }
    if (!isTradingDay(date)) {
      throw new DataError(file, r.line, 'date', date, 'not an NYSE trading day', 'remove rows on closures');
    }
    out.push({ date, value });
  }
  if (out.length === 0) throw new DataError(file, 2, 'date', '', 'no data rows', 'the file must list closes');
  return out;
}

/** One quote of a real chain snapshot (prices in index points). */
export interface RealChainQuote {
  readonly quoteDate: IsoDate;
  readonly expiry: IsoDate;
  readonly strike: number;
  readonly right: 'C' | 'P';
  readonly bid: number;
  readonly ask: number;
  readonly bidSize: number;
  readonly askSize: number;
  /** SPX index bid/ask at the snapshot instant. */
  readonly underlyingBid: number;
  readonly underlyingAsk: number;
}

export interface RealChainSnapshot {
  readonly file: string;
  readonly quoteDate: IsoDate;
  /** Snapshot instant, New York time 'HH:MM' (15:45 for the DataShop `_1545` fields). */
  readonly timeEt: string;
  /** Mid of the underlying bid/ask at the snapshot. */
  readonly spot: number;
  readonly quotes: readonly RealChainQuote[];
}

const CHAIN_1545_COLUMNS = [
  'quote_date',
  'expiration',
  'strike',
  'option_type',
  'bid_size_1545',
  'bid_1545',
  'ask_size_1545',
  'ask_1545',
  'underlying_bid_1545',
  'underlying_ask_1545',
] as const;

/**
 * A real SPXW chain in the 15:45 ET DataShop-style layout (the 2019-06-26 file's columns). Validated:
 * one quote date, expiry on or after it, strike > 0, option_type C or P, bid/ask >= 0 with ask >= bid
 * and ask > 0 (bid 0 is a genuine zero bid), underlying bid <= ask, and one underlying quote per file.
 */
export function loadRealChain1545(text: string, file: string): RealChainSnapshot {
  const t = parseCsv(text, file);
  const ix = headerIndex(t.header, file, CHAIN_1545_COLUMNS);
  const col = (r: { fields: readonly string[] }, i: number) => r.fields[ix[i]!] ?? '';
  const quotes: RealChainQuote[] = [];
  let quoteDate: IsoDate | undefined;
  let und: [number, number] | undefined;
  for (const r of t.rows) {
    const cell = (i: number) => ({ file, line: r.line, field: CHAIN_1545_COLUMNS[i]!, raw: col(r, i) });
    const qd = parseCell('date', cell(0));
    if (quoteDate === undefined) quoteDate = qd;
    else if (qd !== quoteDate) {
      throw new DataError(
        file,
        r.line,
        'quote_date',
        qd,
        `differs from ${quoteDate}`,
        'one quote date per file',
      );
    }
    const expiry = parseCell('date', cell(1));
    if (expiry < qd) {
      throw new DataError(file, r.line, 'expiration', expiry, 'before the quote date', 'check the columns');
    }
    const strike = parseCell('price', cell(2));
    const rawRight = col(r, 3).trim().toUpperCase();
    if (rawRight !== 'C' && rawRight !== 'P') {
      throw new DataError(file, r.line, 'option_type', col(r, 3), 'not C or P', 'write C (call) or P (put)');
    }
    const bidSize = parseCell('nonNegative', cell(4));
    const bid = parseCell('nonNegative', cell(5));
    const askSize = parseCell('nonNegative', cell(6));
    const ask = parseCell('price', cell(7));
    if (ask < bid) {
      throw new DataError(
        file,
        r.line,
        'ask_1545',
        String(ask),
        `below the bid ${bid}`,
        'a crossed quote is bad data',
      );
    }
    const ub = parseCell('price', cell(8));
    const ua = parseCell('price', cell(9));
    if (ua < ub) {
      throw new DataError(
        file,
        r.line,
        'underlying_ask_1545',
        String(ua),
        `below the bid ${ub}`,
        'check the columns',
      );
    }
    if (und === undefined) und = [ub, ua];
    else if (und[0] !== ub || und[1] !== ua) {
      throw new DataError(
        file,
        r.line,
        'underlying_bid_1545',
        `${ub}/${ua}`,
        `differs from ${und[0]}/${und[1]} on earlier rows`,
        'one snapshot instant per file',
      );
    }
    quotes.push({
      quoteDate: qd,
      expiry,
      strike,
      right: rawRight,
      bid,
      ask,
      bidSize,
      askSize,
      underlyingBid: ub,
      underlyingAsk: ua,
    });
  }
  if (quoteDate === undefined || und === undefined) {
    throw new DataError(file, 2, 'quote_date', '', 'no data rows', 'the file must list quotes');
  }
  return { file, quoteDate, timeEt: '15:45', spot: (und[0] + und[1]) / 2, quotes };
}

/** The embedded VIX1D training closes (2024-09-30 .. 2025-06-30). */
export function loadEmbeddedVix1d(isTradingDay: IsTradingDay, dir = EMBEDDED_DATA_DIR): DatedValue[] {
  return loadVix1dCloses(
    readFileSync(resolve(dir, VIX1D_TRAINING_FILE), 'utf8'),
    VIX1D_TRAINING_FILE,
    isTradingDay,
  );
}

/** The embedded real SPXW chain of 2019-06-26 at 15:45 ET (0DTE, 2DTE and 28 later expiries). */
export function loadEmbeddedSpxw20190626(dir = EMBEDDED_DATA_DIR): RealChainSnapshot {
  return loadRealChain1545(readFileSync(resolve(dir, SPXW_2019_06_26_FILE), 'utf8'), SPXW_2019_06_26_FILE);
}

/**
 * Snapshots with a date index, as the one-day features need the previous closes; with the series they
 * were loaded from: the VIX1D closes and the release calendars, which a later session's releases are
 * read from (publishedReleaseCalendar).
 */
interface SnapshotSeries {
  readonly snapshots: readonly MarketSnapshot[];
  byDate(d: IsoDate): MarketSnapshot | undefined;
  readonly data: ReleaseDates & Pick<LoadedSeries, 'vix1d'>;
}

/** True when session `d` holds an FOMC decision that was on the published schedule. */
export function scheduledFomcOn(md: Pick<SnapshotSeries, 'data'>, d: IsoDate): boolean {
  return releasedInSession(md, d, 'fomc') === true;
}

/** True when a CPI release of the published calendar moves session `d`. */
function cpiOn(md: Pick<SnapshotSeries, 'data'>, d: IsoDate): boolean {
  return releasedInSession(md, d, 'cpi') === true;
}

/**
 * True when an Employment Situation release moves session `d`: the published calendar where it covers
 * the session, else the first-Friday rule (isPayrollsDay). The calendar is the truth where it exists:
 * the rule misses 20 of its months since 2015 (a first Friday too early in the month, the 2025-26
 * shutdown releases of 2025-11-20, 2025-12-16 and 2026-02-11) and puts a Good Friday release on the
 * Thursday session before it instead of the Monday after.
 */
export function payrollsOn(md: Pick<SnapshotSeries, 'data'>, d: IsoDate): boolean {
  return releasedInSession(md, d, 'payrolls') ?? isPayrollsDay(d);
}

/**
 * Whether a release of `kind` falls after the previous session's close and up to session `d` (a
 * release on a market holiday, such as payrolls on Good Friday, moves the next session), by the
 * published calendar; null when the calendar does not cover those days.
 */
function releasedInSession(
  md: Pick<SnapshotSeries, 'data'>,
  d: IsoDate,
  kind: 'fomc' | 'cpi' | 'payrolls',
): boolean | null {
  const cal = publishedReleaseCalendar(md.data);
  let released = false;
  for (let x = addDays(previousTradingDay(d), 1); x <= d; x = addDays(x, 1)) {
    const flag = cal.flagsOn(x)[kind];
    if (flag === null) return null;
    if (flag) released = true;
  }
  return released;
}

const indexCache = new WeakMap<readonly MarketSnapshot[], Map<string, number>>();

function indexOf(md: SnapshotSeries, d: IsoDate): number | undefined {
  let m = indexCache.get(md.snapshots);
  if (!m) {
    m = new Map();
    for (let i = 0; i < md.snapshots.length; i++) m.set(md.snapshots[i]!.date, i);
    indexCache.set(md.snapshots, m);
  }
  return m.get(d);
}

/** Close-to-close returns in the realised vol of the one-day model. */
export const ONE_DAY_REALIZED_RETURNS = 5;

/**
 * The one-day model's features at the close of `d` (market/one-day-variance.ts), or undefined without
 * VIX9D or 5 earlier closes. Only values dated d or earlier, plus published calendars for the next
 * session (CPI and FOMC files, the payrolls rule), are read.
 */
export function oneDayVixFeaturesAt(md: SnapshotSeries, d: IsoDate): OneDayVixFeatures | undefined {
  const s = md.byDate(d);
  if (!s || s.vix9d === null) return undefined;
  const rest = sharedFeaturesAt(md, d);
  return rest && { ...rest, vix9d: s.vix9d };
}

/**
 * The fallback's features at the close of `d` (modelOneDayVixFromVix): the VIX close where VIX9D is
 * missing, the rest as oneDayVixFeaturesAt. undefined without VIX or 5 earlier closes.
 */
export function oneDayVixFromVixFeaturesAt(
  md: SnapshotSeries,
  d: IsoDate,
): OneDayVixFeaturesFromVix | undefined {
  const s = md.byDate(d);
  if (!s || s.vix === null) return undefined;
  const rest = sharedFeaturesAt(md, d);
  return rest && { ...rest, vix: s.vix };
}

/** Realised vol, calendar and next-session releases at the close of `d` (both one-day models read them). */
function sharedFeaturesAt(md: SnapshotSeries, d: IsoDate): Omit<OneDayVixFeatures, 'vix9d'> | undefined {
  const i = indexOf(md, d);
  if (i === undefined || i < ONE_DAY_REALIZED_RETURNS) return undefined;
  let sum = 0;
  for (let k = i - ONE_DAY_REALIZED_RETURNS + 1; k <= i; k++) {
    const r = Math.log(md.snapshots[k]!.spx.close / md.snapshots[k - 1]!.spx.close);
    sum += r * r;
  }
  return {
    realizedVol5Pct: 100 * Math.sqrt((sum / ONE_DAY_REALIZED_RETURNS) * 252),
    nineDayTradingDays: nineDayTradingDays(d),
    ...nextSessionReleasesAt(md, d),
    holidaysBeforeNextSession: holidaysBeforeNextSession(d),
  };
}

/**
 * The releases of the session after `d` as the one-day models read them (publishedReleaseCalendar,
 * payrollsOn): from the calendars, so it holds for a live day after the last snapshot too.
 */
export function nextSessionReleasesAt(
  md: Pick<SnapshotSeries, 'data'>,
  d: IsoDate,
): Pick<OneDayVixFeatures, 'nextSessionCpi' | 'nextSessionFomc' | 'nextSessionPayrolls'> {
  const next = nextTradingDay(d);
  return {
    nextSessionCpi: cpiOn(md, next),
    nextSessionFomc: scheduledFomcOn(md, next),
    nextSessionPayrolls: payrollsOn(md, next),
  };
}

/**
 * The scheduled releases of session `d` (CPI and FOMC files, the payrolls rule) and the weekday
 * holidays since the session before it.
 */
function releasesOn(md: SnapshotSeries, d: IsoDate): SessionReleases {
  return {
    cpi: cpiOn(md, d),
    fomc: scheduledFomcOn(md, d),
    payrolls: payrollsOn(md, d),
    holidaysBefore: holidaysBeforeNextSession(previousTradingDay(d)),
  };
}

/**
 * Which of session `d` (0) and the two sessions after it (1, 2) hold a scheduled FOMC decision
 * (SurfaceInputs.fomcDecisionSessions): the published calendar, so nothing after `d` is read.
 */
export function fomcDecisionSessionsAt(md: SnapshotSeries, d: IsoDate): number[] {
  const out: number[] = [];
  let session = d;
  for (let k = 0; k <= 2; k++) {
    if (scheduledFomcOn(md, session)) out.push(k);
    session = nextTradingDay(session);
  }
  return out;
}

/**
 * Variance of the second session after the close of `d` over the first's, from their scheduled
 * releases (market/one-day-variance.ts): what the 2-session expiry adds to the one-day vol's session.
 * Only published calendars are read.
 */
export function secondSessionVarianceRatioAt(md: SnapshotSeries, d: IsoDate): number {
  const first = nextTradingDay(d);
  return secondSessionVarianceRatio(releasesOn(md, first), releasesOn(md, nextTradingDay(first)));
}

const vix1dIndex = new WeakMap<readonly DatedValue[], ReadonlyMap<string, number>>();

/** The VIX1D closes `md` was loaded with (embedded + imports + updates), by date. */
function vix1dByDate(md: SnapshotSeries): ReadonlyMap<string, number> {
  const rows = md.data.vix1d;
  let m = vix1dIndex.get(rows);
  if (!m) {
    m = new Map(rows.map((r) => [r.date, r.value]));
    vix1dIndex.set(rows, m);
  }
  return m;
}

/**
 * The one-day vol of `d`: the real VIX1D close where the data has one (the embedded training file,
 * `data import vix1d`, or `data update`'s Cboe history), else the one-day variance model's. The close
 * of d is read at d's 15:10 CT quote as every other index close is (VIX, VIX9D): the daily data's
 * stand-in for the value a few minutes before it.
 */
export function oneDayVixAt(md: SnapshotSeries, d: IsoDate): OneDayVix | undefined {
  // Cached per snapshot series: a replay asks once per day, a benchmark or sweep replays the same days.
  let cache = oneDayCache.get(md.snapshots);
  if (!cache) {
    cache = new Map();
    oneDayCache.set(md.snapshots, cache);
  }
  if (cache.has(d)) return cache.get(d);
  let out: OneDayVix | undefined;
  const real = vix1dByDate(md).get(d);
  if (real !== undefined) out = { value: real, source: 'VIX1D' };
  else {
    const f = oneDayVixFeaturesAt(md, d);
    if (f) out = { value: modelOneDayVix(f), source: 'model' };
    else {
      // a hole in VIX9D (e.g. 2026-07-23 .. 08-20 in the embedded data): the VIX-anchored fallback
      const g = oneDayVixFromVixFeaturesAt(md, d);
      out = g ? { value: modelOneDayVixFromVix(g), source: 'model-from-vix' } : undefined;
    }
  }
  cache.set(d, out);
  return out;
}

export interface OneDayVix {
  readonly value: number;
  /** The published close, the model on VIX9D, or its fallback on VIX when VIX9D is missing that day. */
  readonly source: OneDayVixSource;
}

export type OneDayVixSource = 'VIX1D' | 'model' | 'model-from-vix';

const oneDayCache = new WeakMap<readonly MarketSnapshot[], Map<string, OneDayVix | undefined>>();
