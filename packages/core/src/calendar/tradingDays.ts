import {
  type DayNumber,
  dayNumberOf,
  fromDayNumber,
  InvalidInputError,
  type IsoDate,
  isoDate,
  toDayNumber,
} from '../domain/index';
import { partitionPoint } from '../math/index';
import {
  CALENDAR_FIRST_YEAR,
  CALENDAR_LAST_YEAR,
  type EarlyCloseEt,
  ruleEarlyCloses,
  ruleHolidays,
  SPECIAL_CLOSURES,
  weekdayOfDay,
} from './rules';

/**
 * The precomputed NYSE/Cboe trading calendar for 1990-01-01 .. 2030-12-31: one byte per day number
 * (bit 0 = trading day, bits 1-2 = close code) and a prefix count of trading days, so every lookup
 * is O(1). Built once at module load from the rules in `rules.ts`.
 */

export const FIRST_DAY: DayNumber = dayNumberOf(CALENDAR_FIRST_YEAR, 1, 1);
export const LAST_DAY: DayNumber = dayNumberOf(CALENDAR_LAST_YEAR, 12, 31);
const SIZE = LAST_DAY - FIRST_DAY + 1;

const TRADING = 1;
const CLOSE_13 = 2;
const CLOSE_14 = 4;

const flags = new Uint8Array(SIZE);
/** prefix[i] = number of trading days in [FIRST_DAY, FIRST_DAY + i). */
const prefix = new Int32Array(SIZE + 1);
const closureNames = new Map<DayNumber, string>();

function build(): void {
  for (let y = CALENDAR_FIRST_YEAR; y <= CALENDAR_LAST_YEAR; y++) {
    for (const c of ruleHolidays(y)) closureNames.set(c.day, c.name);
  }
  for (const [y, m, d, name] of SPECIAL_CLOSURES) closureNames.set(dayNumberOf(y, m, d), name);
  for (let i = 0; i < SIZE; i++) {
    const wd = weekdayOfDay(FIRST_DAY + i);
    if (wd !== 0 && wd !== 6 && !closureNames.has(FIRST_DAY + i)) flags[i] = TRADING;
  }
  for (let y = CALENDAR_FIRST_YEAR; y <= CALENDAR_LAST_YEAR; y++) {
    for (const e of ruleEarlyCloses(y)) {
      const i = e.day - FIRST_DAY;
      if (i >= 0 && i < SIZE && (flags[i] as number) & TRADING) {
        flags[i] = TRADING | (e.closeEt === '13:00' ? CLOSE_13 : CLOSE_14);
      }
    }
  }
  for (let i = 0; i < SIZE; i++) prefix[i + 1] = (prefix[i] as number) + ((flags[i] as number) & TRADING);
}
build();

function outOfRange(field: string, what: string): InvalidInputError {
  return new InvalidInputError(
    `${field}: ${what} is outside the supported calendar ${CALENDAR_FIRST_YEAR}-01-01..${CALENDAR_LAST_YEAR}-12-31`,
    field,
    `use a date between ${CALENDAR_FIRST_YEAR} and ${CALENDAR_LAST_YEAR}`,
  );
}

/** Validates `date` (format and 1990-2030 range) and returns its day number. */
export function calendarDay(date: IsoDate | string, field = 'date'): DayNumber {
  const d = isoDate(date, field);
  const n = toDayNumber(d);
  if (n < FIRST_DAY || n > LAST_DAY) throw outOfRange(field, `'${d}'`);
  return n;
}

function checkDay(n: DayNumber, field: string): void {
  if (n < FIRST_DAY || n > LAST_DAY) throw outOfRange(field, `'${fromDayNumber(n)}'`);
}

/** True if `day` (a day number inside the table) is a trading day. Internal fast path. */
export function isTradingDayNumber(day: DayNumber): boolean {
  checkDay(day, 'date');
  return ((flags[day - FIRST_DAY] as number) & TRADING) !== 0;
}

/** Close time in New York for a trading day number. Internal fast path. */
export function closeEtOfDayNumber(day: DayNumber): '16:00' | EarlyCloseEt {
  const f = flags[day - FIRST_DAY] as number;
  if (f & CLOSE_13) return '13:00';
  if (f & CLOSE_14) return '14:00';
  return '16:00';
}

/** True if the NYSE/Cboe SPX regular session trades on `date`. */
export function isTradingDay(date: IsoDate): boolean {
  return isTradingDayNumber(calendarDay(date));
}

/**
 * Name of the full-day closure on `date` ("Good Friday", "Hurricane Sandy", ...), or undefined when
 * the market is open or the day is an ordinary weekend.
 */
export function holidayName(date: IsoDate): string | undefined {
  return closureNames.get(calendarDay(date));
}

/** True if `date` is a trading day with a scheduled early close (13:00, or 14:00 in 1990-1992). */
export function isEarlyClose(date: IsoDate): boolean {
  const n = calendarDay(date);
  return isTradingDayNumber(n) && closeEtOfDayNumber(n) !== '16:00';
}

/** Internal: next trading day number strictly after `day`. */
export function nextTradingDayNumber(day: DayNumber): DayNumber {
  let n = day + 1;
  while (n <= LAST_DAY && !((flags[n - FIRST_DAY] as number) & TRADING)) n++;
  if (n > LAST_DAY) throw outOfRange('date', `the trading day after '${fromDayNumber(day)}'`);
  return n;
}

/** Internal: previous trading day number strictly before `day`. */
export function previousTradingDayNumber(day: DayNumber): DayNumber {
  let n = day - 1;
  while (n >= FIRST_DAY && !((flags[n - FIRST_DAY] as number) & TRADING)) n--;
  if (n < FIRST_DAY) throw outOfRange('date', `the trading day before '${fromDayNumber(day)}'`);
  return n;
}

/** The first trading day strictly after `date` (which need not be a trading day). */
export function nextTradingDay(date: IsoDate): IsoDate {
  return fromDayNumber(nextTradingDayNumber(calendarDay(date)));
}

/** The last trading day strictly before `date` (which need not be a trading day). */
export function previousTradingDay(date: IsoDate): IsoDate {
  return fromDayNumber(previousTradingDayNumber(calendarDay(date)));
}

/** Internal: trading days in the inclusive day-number range [from, to] (0 when from > to). */
export function tradingDayCountNumbers(from: DayNumber, to: DayNumber): number {
  if (from > to) return 0;
  return (prefix[to - FIRST_DAY + 1] as number) - (prefix[from - FIRST_DAY] as number);
}

/** Number of trading days in the inclusive range [from, to]; 0 when from > to. O(1). */
export function tradingDayCount(from: IsoDate, to: IsoDate): number {
  return tradingDayCountNumbers(calendarDay(from, 'from'), calendarDay(to, 'to'));
}

/** Every trading day in the inclusive range [from, to], in order; empty when from > to. */
export function tradingDaysBetween(from: IsoDate, to: IsoDate): IsoDate[] {
  const a = calendarDay(from, 'from');
  const b = calendarDay(to, 'to');
  const out: IsoDate[] = [];
  for (let n = a; n <= b; n++) if ((flags[n - FIRST_DAY] as number) & TRADING) out.push(fromDayNumber(n));
  return out;
}

/**
 * Moves `n` trading days from `date`: n > 0 forward, n < 0 backward, n = 0 returns `date` itself if
 * it trades, otherwise throws. From a non-trading day, +1 is the next trading day and -1 the previous.
 */
export function addTradingDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) {
    throw new InvalidInputError(`n must be an integer, got ${String(n)}`, 'n', 'pass a whole number of days');
  }
  let day = calendarDay(date);
  if (n === 0) {
    if (!isTradingDayNumber(day)) {
      throw new InvalidInputError(
        `date: '${date}' is not a trading day`,
        'date',
        'use nextTradingDay or previousTradingDay',
      );
    }
    return date;
  }
  // Jump with the prefix count: the k-th trading day after `day` is where prefix reaches base + k.
  const idx = day - FIRST_DAY;
  if (n > 0) {
    const target = (prefix[idx + 1] as number) + n; // count of trading days up to and including the answer
    if (target > (prefix[SIZE] as number)) throw outOfRange('n', `${n} trading days after '${date}'`);
    day = FIRST_DAY + lowerBound(target) - 1;
  } else {
    const target = (prefix[idx] as number) + n + 1; // answer is the (target)-th trading day
    if (target < 1) throw outOfRange('n', `${-n} trading days before '${date}'`);
    day = FIRST_DAY + lowerBound(target) - 1;
  }
  return fromDayNumber(day);
}

/** Smallest i with prefix[i] >= target (binary search over the prefix counts). */
function lowerBound(target: number): number {
  return partitionPoint(0, SIZE, (i) => (prefix[i] as number) >= target);
}
