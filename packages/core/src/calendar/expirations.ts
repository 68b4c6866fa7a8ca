import {
  civilOf,
  type DayNumber,
  dayNumberOf,
  daysBetween,
  daysInMonth,
  fromDayNumber,
  InvalidInputError,
  type IsoDate,
} from '../domain/index';
import { partitionPoint } from '../math/index';
import { CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, nthWeekdayOfMonth, weekdayOfDay } from './rules';
import { session } from './sessions';
import {
  calendarDay,
  FIRST_DAY,
  isTradingDayNumber,
  LAST_DAY,
  nextTradingDayNumber,
  previousTradingDayNumber,
  tradingDayCountNumbers,
} from './tradingDays';

/**
 * SPX option expirations, 1990-2030, by rule.
 *
 * History used (Cboe announcements; see docs/calendar.md for the full list):
 * - SPX AM-settled standard options: third Friday of every month (all years). Until 2015-02 the
 *   official expiration date was the Saturday after, but trading and the AM settlement (SOQ) were on
 *   the Friday; we model the Friday. A closed third Friday moves to the previous trading day
 *   (e.g. Good Friday 2019-04-19 -> Thursday 2019-04-18).
 * - SPXW Friday "End-of-Week" PM-settled weeklies: Cboe commenced trading PM-settled End-of-Week SPX
 *   options on 2010-12-02 for expiration on Friday 2010-12-10 (Regulatory Circular RG10-112, quoted
 *   on cboe.com "Weeklys Contract Specifications"). The SPX Weeklys first listed in Oct 2005 were
 *   AM-settled until the last one expired on 2010-12-03, so they are not modelled as SPXW.
 *   A closed Friday moves to the prior business day (same page, footnote 1).
 * - SPXW End-of-Month: PM-settled, last trading day of the month, launched 2014-07-07 (Cboe Options
 *   Hub, 2014-05-29 "New S&P 500 End-of-Month Options to Launch in July"). The earlier End-of-Quarter
 *   options traded under root SPXQ (moved to SPXW 2014-07-03) and are not modelled.
 * - SPXW Wednesday: listed from Tuesday 2016-02-23, first expirations 2016-03-02 and 2016-03-09
 *   (Cboe Options Hub blog 2016-02-22). Not listed on a Wednesday that is an EOM date.
 * - SPXW Monday: listed from 2016-08-15, first expirations 2016-08-22 and 2016-08-29 (Cboe press
 *   release 2016-07-12 / Options Hub 2016-08-11). A Monday holiday moves the expiry to the NEXT
 *   business day (Options Hub 2016-08-11, e.g. Tue 2016-09-06 after Labor Day).
 * - SPXW third-Friday PM (monthly SPXW): the PM-settled third-Friday series traded as SPXPM until
 *   Cboe renamed them SPXW on 2017-05-01 (RG17-002); we list SPXW monthlies from 2017-05-19.
 * - SPXW Tuesday: listed from Monday 2022-04-18; Thursday: listed from Wednesday 2022-05-11
 *   (Cboe press release, Traders Magazine "Cboe to add Tuesday, Thursday Expirations for SPX
 *   Weeklys Options"). First expiries assumed the following week: Tue 2022-04-26, Thu 2022-05-19.
 * Holiday shifts: every series except Monday moves a closed expiry day to the previous trading day
 * (Cboe Weeklys page: "if the ... expiration dates fall on a holiday the ... expiration date would
 * typically be the day prior to the holiday");
 * when two series land on the same day there is one SPXW expiry whose kind is the highest of
 * monthly > eom > weekly > daily. Unscheduled closures (2018-12-05, 2025-01-09) follow the same
 * rule here (for 2025-01-09, CME Clearing notice 25-012 moved U.S. equity options expiring that day
 * to 2025-01-08); Cboe decided those case by case, so treat them as approximate.
 */

export type ExpirationRoot = 'SPX' | 'SPXW';
export type SettlementStyle = 'AM' | 'PM';
/** monthly = third Friday; weekly = Friday SPXW; daily = Monday-Thursday SPXW; eom = last trading day. */
export type ExpirationKind = 'monthly' | 'weekly' | 'daily' | 'eom';

export interface Expiration {
  readonly expiry: IsoDate;
  readonly root: ExpirationRoot;
  readonly settlement: SettlementStyle;
  readonly kind: ExpirationKind;
  /** Trading days after the as-of date up to and including the expiry (0 on expiry day). */
  readonly dteTrading: number;
  /** Calendar days from the as-of date to the expiry. */
  readonly dteCalendar: number;
}

interface SeriesDef {
  readonly bit: number;
  readonly root: ExpirationRoot;
  readonly settlement: SettlementStyle;
  readonly kind: ExpirationKind;
  /** First nominal expiry of the series. */
  readonly firstExpiry: DayNumber;
  /** First day the series was listed (expirations are not listed as of earlier dates). */
  readonly listingStart: DayNumber;
  /** Weekday of the nominal expiry (undefined for EOM). */
  readonly weekday?: number;
  readonly shift: 'previous' | 'next';
}

const d = (y: number, m: number, day: number): DayNumber => dayNumberOf(y, m, day);

const SPX_AM_MONTHLY: SeriesDef = {
  bit: 1,
  root: 'SPX',
  settlement: 'AM',
  kind: 'monthly',
  firstExpiry: FIRST_DAY,
  listingStart: FIRST_DAY,
  weekday: 5,
  shift: 'previous',
};
const SPXW_MONTHLY: SeriesDef = {
  bit: 2,
  root: 'SPXW',
  settlement: 'PM',
  kind: 'monthly',
  firstExpiry: d(2017, 5, 19),
  listingStart: d(2017, 5, 1),
  weekday: 5,
  shift: 'previous',
};
const SPXW_EOM: SeriesDef = {
  bit: 4,
  root: 'SPXW',
  settlement: 'PM',
  kind: 'eom',
  firstExpiry: d(2014, 7, 31),
  listingStart: d(2014, 7, 7),
  shift: 'previous',
};
const SPXW_FRIDAY: SeriesDef = {
  bit: 8,
  root: 'SPXW',
  settlement: 'PM',
  kind: 'weekly',
  firstExpiry: d(2010, 12, 10),
  listingStart: d(2010, 12, 2),
  weekday: 5,
  shift: 'previous',
};
const SPXW_MONDAY: SeriesDef = {
  bit: 16,
  root: 'SPXW',
  settlement: 'PM',
  kind: 'daily',
  firstExpiry: d(2016, 8, 22),
  listingStart: d(2016, 8, 15),
  weekday: 1,
  shift: 'next',
};
const SPXW_TUESDAY: SeriesDef = {
  bit: 32,
  root: 'SPXW',
  settlement: 'PM',
  kind: 'daily',
  firstExpiry: d(2022, 4, 26),
  listingStart: d(2022, 4, 18),
  weekday: 2,
  shift: 'previous',
};
const SPXW_WEDNESDAY: SeriesDef = {
  bit: 64,
  root: 'SPXW',
  settlement: 'PM',
  kind: 'daily',
  firstExpiry: d(2016, 3, 2),
  listingStart: d(2016, 2, 23),
  weekday: 3,
  shift: 'previous',
};
const SPXW_THURSDAY: SeriesDef = {
  bit: 128,
  root: 'SPXW',
  settlement: 'PM',
  kind: 'daily',
  firstExpiry: d(2022, 5, 19),
  listingStart: d(2022, 5, 11),
  weekday: 4,
  shift: 'previous',
};

/** SPXW series in kind priority order (monthly > eom > weekly > daily). */
const SPXW_SERIES: readonly SeriesDef[] = [
  SPXW_MONTHLY,
  SPXW_EOM,
  SPXW_FRIDAY,
  SPXW_MONDAY,
  SPXW_TUESDAY,
  SPXW_WEDNESDAY,
  SPXW_THURSDAY,
];
const SPXW_MASK = SPXW_SERIES.reduce((m, s) => m | s.bit, 0);
const WEEKDAY_SERIES: readonly SeriesDef[] = [
  SPXW_FRIDAY,
  SPXW_MONDAY,
  SPXW_TUESDAY,
  SPXW_WEDNESDAY,
  SPXW_THURSDAY,
];

/** Which series expire on each day of the calendar table (bit set per SeriesDef.bit). */
const expiryBits = new Uint8Array(LAST_DAY - FIRST_DAY + 1);

function shifted(day: DayNumber, shift: 'previous' | 'next'): DayNumber | undefined {
  if (isTradingDayNumber(day)) return day;
  if (shift === 'next') return day < LAST_DAY ? safe(() => nextTradingDayNumber(day)) : undefined;
  return day > FIRST_DAY ? safe(() => previousTradingDayNumber(day)) : undefined;
}

function safe(f: () => DayNumber): DayNumber | undefined {
  try {
    return f();
  } catch {
    return undefined; // the shifted day falls outside the 1990-2030 table
  }
}

function mark(day: DayNumber | undefined, s: SeriesDef): void {
  if (day !== undefined) expiryBits[day - FIRST_DAY] = (expiryBits[day - FIRST_DAY] as number) | s.bit;
}

function buildExpiries(): void {
  for (let y = CALENDAR_FIRST_YEAR; y <= CALENDAR_LAST_YEAR; y++) {
    for (let m = 1; m <= 12; m++) {
      const third = nthWeekdayOfMonth(y, m, 5, 3);
      mark(shifted(third, 'previous'), SPX_AM_MONTHLY);
      if (third >= SPXW_MONTHLY.firstExpiry) mark(shifted(third, 'previous'), SPXW_MONTHLY);
      const monthEnd = dayNumberOf(y, m, daysInMonth(y, m));
      const lastTrading = isTradingDayNumber(monthEnd) ? monthEnd : previousTradingDayNumber(monthEnd);
      if (lastTrading >= SPXW_EOM.firstExpiry) mark(lastTrading, SPXW_EOM);
    }
  }
  for (let day = FIRST_DAY; day <= LAST_DAY; day++) {
    const wd = weekdayOfDay(day);
    for (const s of WEEKDAY_SERIES) {
      if (s.weekday !== wd || day < s.firstExpiry) continue;
      if (s === SPXW_FRIDAY) {
        const dom = civilOf(day).d;
        if (dom >= 15 && dom <= 21) continue; // third Friday: standard (monthly) expiration instead
      }
      mark(shifted(day, s.shift), s);
    }
  }
}
buildExpiries();

function bitsOf(day: DayNumber): number {
  return expiryBits[day - FIRST_DAY] as number;
}

/** Every day of the table on which something expires, ascending (built on first use). */
let expiryDays: Int32Array | undefined;

function expiryDayList(): Int32Array {
  if (!expiryDays) {
    const list: number[] = [];
    for (let d = FIRST_DAY; d <= LAST_DAY; d++) if (bitsOf(d) !== 0) list.push(d);
    expiryDays = Int32Array.from(list);
  }
  return expiryDays;
}

function firstExpiryIndexAtOrAfter(days: Int32Array, day: DayNumber): number {
  return partitionPoint(0, days.length, (i) => days[i]! >= day);
}

/** SPXW series per bit pattern, computed once per pattern (there are few) instead of per call. */
const spxwSeriesByBits = new Map<number, readonly SeriesDef[]>();

function spxwSeriesOn(bits: number): readonly SeriesDef[] {
  let hit = spxwSeriesByBits.get(bits);
  if (!hit) {
    hit = Object.freeze(SPXW_SERIES.filter((s) => (bits & s.bit) !== 0));
    spxwSeriesByBits.set(bits, hit);
  }
  return hit;
}

/** One expiry (without DTE) that settles on a given day. */
export interface ExpiryOnDay {
  readonly root: ExpirationRoot;
  readonly settlement: SettlementStyle;
  readonly kind: ExpirationKind;
}

/** The SPX (AM) and SPXW (PM) expirations settling on `date` (at most one of each root). */
export function expirationsOn(date: IsoDate): ExpiryOnDay[] {
  const bits = bitsOf(calendarDay(date));
  const out: ExpiryOnDay[] = [];
  if (bits & SPX_AM_MONTHLY.bit) out.push({ root: 'SPX', settlement: 'AM', kind: 'monthly' });
  const spxw = spxwSeriesOn(bits);
  if (spxw[0]) out.push({ root: 'SPXW', settlement: 'PM', kind: spxw[0].kind });
  return out;
}

/** True if some PM-settled SPXW series (any kind) expires on `date`. */
export function isSpxwExpiry(date: IsoDate): boolean {
  return (bitsOf(calendarDay(date)) & SPXW_MASK) !== 0;
}

/** True if the AM-settled standard SPX monthly expires (is settled) on `date`. */
export function isSpxMonthlyExpiry(date: IsoDate): boolean {
  return (bitsOf(calendarDay(date)) & SPX_AM_MONTHLY.bit) !== 0;
}

function checkYearMonth(year: number, month: number): void {
  if (!Number.isInteger(year) || year < CALENDAR_FIRST_YEAR || year > CALENDAR_LAST_YEAR) {
    throw new InvalidInputError(
      `year: ${String(year)} is outside ${CALENDAR_FIRST_YEAR}-${CALENDAR_LAST_YEAR}`,
      'year',
      `use a year between ${CALENDAR_FIRST_YEAR} and ${CALENDAR_LAST_YEAR}`,
    );
  }
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new InvalidInputError(`month: ${String(month)} is not 1-12`, 'month', 'use 1 (January) to 12');
  }
}

/**
 * The AM-settled SPX standard expiration of `month` (1-12) of `year`: the third Friday, or the
 * trading day before it when that Friday is closed.
 */
export function spxMonthlyExpiry(year: number, month: number): IsoDate {
  checkYearMonth(year, month);
  const third = nthWeekdayOfMonth(year, month, 5, 3);
  return fromDayNumber(isTradingDayNumber(third) ? third : previousTradingDayNumber(third));
}

/** Trading days after `asOf` up to and including `expiry` (0 when expiry = asOf). */
export function dteTradingDays(asOf: IsoDate, expiry: IsoDate): number {
  const a = calendarDay(asOf, 'asOf');
  const e = calendarDay(expiry, 'expiry');
  if (e < a) {
    throw new InvalidInputError(`expiry '${expiry}' is before asOf '${asOf}'`, 'expiry', 'expiry >= asOf');
  }
  return tradingDayCountNumbers(a + 1, e);
}

/** Calendar days from `asOf` to `expiry` (negative if the expiry is earlier). */
export function dteCalendarDays(asOf: IsoDate, expiry: IsoDate): number {
  calendarDay(asOf, 'asOf');
  calendarDay(expiry, 'expiry');
  return daysBetween(asOf, expiry);
}

/**
 * The first SPXW expiry E >= `after` with at least `minTradingDays` trading days in (after, E].
 * The default 1 means "strictly after"; 0 also accepts `after` itself when it is an SPXW expiry.
 * Returns undefined if none exists before the end of the 2030 table.
 */
export function nextSpxwExpiry(after: IsoDate, minTradingDays = 1): IsoDate | undefined {
  if (!Number.isInteger(minTradingDays) || minTradingDays < 0) {
    throw new InvalidInputError(
      `minTradingDays must be a non-negative integer, got ${String(minTradingDays)}`,
      'minTradingDays',
      'pass 0, 1, 2, ...',
    );
  }
  const a = calendarDay(after, 'after');
  for (let day = a; day <= LAST_DAY; day++) {
    if ((bitsOf(day) & SPXW_MASK) !== 0 && tradingDayCountNumbers(a + 1, day) >= minTradingDays) {
      return fromDayNumber(day);
    }
  }
  return undefined;
}

/**
 * The settlement instant (epoch ms) of an expiry: PM = the close of the expiry day's session
 * (16:00 New York, or the early close); AM = the 09:30 New York open (the SOQ is computed from
 * opening prints that day). Throws if `expiry` is not a trading day.
 */
export function settlementInstantUtcMs(expiry: IsoDate, style: SettlementStyle): number {
  const s = session(expiry);
  return style === 'AM' ? s.openUtcMs : s.closeUtcMs;
}

/**
 * Listing-horizon approximation (not Cboe's exact listing calendar): as of a date, an expiry is
 * listed when its series had started listing and the expiry is no further out than
 * - monthly (SPX AM and SPXW PM third-Friday): the current month and the next `monthlyMonths` (12);
 * - eom: the current month and the next `eomMonths` (12; Cboe lists up to 12 EOM months);
 * - weekly (Friday SPXW): `weeklyDays` calendar days (42 = the six consecutive weeks Cboe states);
 * - daily (Monday-Thursday SPXW): `dailyDays` calendar days (28 = "at least four weeks").
 * LEAPS and quarterlies beyond a year are not included; the expiry day itself is included (0 DTE).
 */
export interface ListingHorizon {
  readonly monthlyMonths: number;
  readonly eomMonths: number;
  readonly weeklyDays: number;
  readonly dailyDays: number;
}

export const DEFAULT_LISTING_HORIZON: ListingHorizon = {
  monthlyMonths: 12,
  eomMonths: 12,
  weeklyDays: 42,
  dailyDays: 28,
};

/** y * 12 + (m - 1) of every day of the calendar table, filled on first use (listing horizons use it). */
let monthIndexTable: Int32Array | undefined;

function monthIndex(day: DayNumber): number {
  if (day < FIRST_DAY || day > LAST_DAY) {
    const c = civilOf(day);
    return c.y * 12 + c.m - 1;
  }
  if (!monthIndexTable) {
    monthIndexTable = new Int32Array(LAST_DAY - FIRST_DAY + 1);
    for (let d = FIRST_DAY; d <= LAST_DAY; d++) {
      const c = civilOf(d);
      monthIndexTable[d - FIRST_DAY] = c.y * 12 + c.m - 1;
    }
  }
  return monthIndexTable[day - FIRST_DAY]!;
}

function withinHorizon(s: SeriesDef, asOf: DayNumber, expiry: DayNumber, h: ListingHorizon): boolean {
  if (asOf < s.listingStart) return false;
  switch (s.kind) {
    case 'monthly':
      return monthIndex(expiry) - monthIndex(asOf) <= h.monthlyMonths;
    case 'eom':
      return monthIndex(expiry) - monthIndex(asOf) <= h.eomMonths;
    case 'weekly':
      return expiry - asOf <= h.weeklyDays;
    case 'daily':
      return expiry - asOf <= h.dailyDays;
  }
}

/** The horizon with its defaults, every field a non-negative integer (throws naming the field). */
function listingHorizon(opts: Partial<ListingHorizon>): ListingHorizon {
  const h: ListingHorizon = { ...DEFAULT_LISTING_HORIZON, ...opts };
  for (const [k, v] of Object.entries(h)) {
    if (!Number.isInteger(v) || v < 0) {
      throw new InvalidInputError(`${k} must be a non-negative integer, got ${String(v)}`, k, 'e.g. 12');
    }
  }
  return h;
}

/** Last day (day number) a horizon can list from as-of day `a`. */
function lastListedDay(a: DayNumber, h: ListingHorizon): DayNumber {
  const maxDays = Math.max(h.weeklyDays, h.dailyDays, (Math.max(h.monthlyMonths, h.eomMonths) + 1) * 31);
  return Math.min(LAST_DAY, a + maxDays);
}

/** Pushes the expirations (at most SPX then SPXW) of expiry day `day` listed as of `a`. */
function pushListedOn(out: Expiration[], a: DayNumber, day: DayNumber, h: ListingHorizon): void {
  const bits = bitsOf(day);
  const expiry = fromDayNumber(day);
  const dteTrading = tradingDayCountNumbers(a + 1, day);
  const dteCalendar = day - a;
  if (bits & SPX_AM_MONTHLY.bit && withinHorizon(SPX_AM_MONTHLY, a, day, h)) {
    out.push({ expiry, root: 'SPX', settlement: 'AM', kind: 'monthly', dteTrading, dteCalendar });
  }
  const spxw = spxwSeriesOn(bits);
  let spxwListed = false;
  for (const s of spxw) spxwListed ||= withinHorizon(s, a, day, h);
  if (spxw[0] && spxwListed) {
    out.push({ expiry, root: 'SPXW', settlement: 'PM', kind: spxw[0].kind, dteTrading, dteCalendar });
  }
}

/** True when some series expiring on `day` is listed as of `a` (pushListedOn would push something). */
function anyListedOn(a: DayNumber, day: DayNumber, h: ListingHorizon): boolean {
  const bits = bitsOf(day);
  if (bits & SPX_AM_MONTHLY.bit && withinHorizon(SPX_AM_MONTHLY, a, day, h)) return true;
  for (const s of spxwSeriesOn(bits)) if (withinHorizon(s, a, day, h)) return true;
  return false;
}

/**
 * The SPX/SPXW expirations listed as of `asOf` (see ListingHorizon for the approximation), sorted by
 * expiry then root (SPX before SPXW), with trading and calendar days to expiry.
 */
export function expirationsListedOn(asOf: IsoDate, opts: Partial<ListingHorizon> = {}): Expiration[] {
  const h = listingHorizon(opts);
  const a = calendarDay(asOf, 'asOf');
  const out: Expiration[] = [];
  const days = expiryDayList();
  const last = lastListedDay(a, h);
  for (let i = firstExpiryIndexAtOrAfter(days, a); i < days.length && days[i]! <= last; i++) {
    pushListedOn(out, a, days[i]!, h);
  }
  return out;
}

/**
 * The expiry dates listed as of `asOf`: those of expirationsListedOn(asOf, opts), each date once,
 * ascending, without building an Expiration per series (a replay asks for a year of them every day).
 */
export function listedExpiryDatesOn(asOf: IsoDate, opts: Partial<ListingHorizon> = {}): IsoDate[] {
  const h = listingHorizon(opts);
  const a = calendarDay(asOf, 'asOf');
  const out: IsoDate[] = [];
  const last = lastListedDay(a, h);
  // Weekly and daily series are listed only up to their day horizons; beyond those only the monthly
  // and EOM series can be, so the far months walk those expiry days alone (a dozen, not hundreds).
  const near = Math.min(last, a + Math.max(h.weeklyDays, h.dailyDays));
  const days = expiryDayList();
  for (let i = firstExpiryIndexAtOrAfter(days, a); i < days.length && days[i]! <= near; i++) {
    if (anyListedOn(a, days[i]!, h)) out.push(fromDayNumber(days[i]!));
  }
  const far = monthlyExpiryDayList();
  for (let i = firstExpiryIndexAtOrAfter(far, near + 1); i < far.length && far[i]! <= last; i++) {
    if (anyListedOn(a, far[i]!, h)) out.push(fromDayNumber(far[i]!));
  }
  return out;
}

/** Every day of the table on which a monthly (SPX or SPXW) or EOM series expires, ascending. */
let monthlyExpiryDays: Int32Array | undefined;

function monthlyExpiryDayList(): Int32Array {
  if (!monthlyExpiryDays) {
    const monthlyBits = SPX_AM_MONTHLY.bit | SPXW_MONTHLY.bit | SPXW_EOM.bit;
    monthlyExpiryDays = expiryDayList().filter((d) => (bitsOf(d) & monthlyBits) !== 0);
  }
  return monthlyExpiryDays;
}

/**
 * The expirations of one expiry date listed as of `asOf`: expirationsListedOn(asOf, opts) filtered to
 * `expiry`, without listing the other dates. Throws when `expiry` is not a date of the calendar table.
 */
export function expirationsListedOnExpiry(
  asOf: IsoDate,
  expiry: IsoDate,
  opts: Partial<ListingHorizon> = {},
): Expiration[] {
  const h = listingHorizon(opts);
  const a = calendarDay(asOf, 'asOf');
  const day = calendarDay(expiry, 'expiry');
  const out: Expiration[] = [];
  if (day >= a && day <= lastListedDay(a, h) && bitsOf(day) !== 0) pushListedOn(out, a, day, h);
  return out;
}
