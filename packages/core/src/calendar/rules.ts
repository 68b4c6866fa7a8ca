import { type DayNumber, dayNumberOf, daysInMonth, fromDayNumber, weekdayOf } from '../domain/index';

/**
 * NYSE (and therefore Cboe SPX) holiday and early-close *rules*, 1990-2030. Pure functions of the
 * year; `table.ts` precomputes them once. Sources for the historical details: the NYSE closings
 * history used by pandas_market_calendars (holidays/nyse.py, rsheftel/pandas_market_calendars) and
 * NYSE's published holiday / early-close schedule. This file is our own code.
 */

export const CALENDAR_FIRST_YEAR = 1990;
export const CALENDAR_LAST_YEAR = 2030;

/** 0 = Sunday ... 6 = Saturday, for a day number (reuses domain's weekdayOf). */
export function weekdayOfDay(day: DayNumber): number {
  return weekdayOf(fromDayNumber(day));
}

/** The `n`-th (1-based) `weekday` (0 = Sunday) of month `m` in year `y`. */
export function nthWeekdayOfMonth(y: number, m: number, weekday: number, n: number): DayNumber {
  const first = dayNumberOf(y, m, 1);
  return first + ((weekday - weekdayOfDay(first) + 7) % 7) + 7 * (n - 1);
}

/** The last `weekday` (0 = Sunday) of month `m` in year `y`. */
export function lastWeekdayOfMonth(y: number, m: number, weekday: number): DayNumber {
  const last = dayNumberOf(y, m, daysInMonth(y, m));
  return last - ((weekdayOfDay(last) - weekday + 7) % 7);
}

/** Easter Sunday (Gregorian computus, anonymous "Meeus/Jones/Butcher" algorithm). */
export function easterSunday(y: number): DayNumber {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumberOf(y, month, day);
}

/** Fixed-date holiday observed on the nearest weekday: Saturday -> Friday, Sunday -> Monday. */
function nearestWeekday(day: DayNumber): DayNumber {
  const wd = weekdayOfDay(day);
  if (wd === 6) return day - 1;
  if (wd === 0) return day + 1;
  return day;
}

/** One full-day closure. */
export interface Closure {
  readonly day: DayNumber;
  readonly name: string;
}

/** Unscheduled full-day closures 1990-2030 (national days of mourning, 9/11, Hurricane Sandy). */
export const SPECIAL_CLOSURES: ReadonlyArray<readonly [y: number, m: number, d: number, name: string]> = [
  [1994, 4, 27, 'National Day of Mourning (Richard Nixon)'],
  [2001, 9, 11, 'September 11 attacks'],
  [2001, 9, 12, 'September 11 attacks'],
  [2001, 9, 13, 'September 11 attacks'],
  [2001, 9, 14, 'September 11 attacks'],
  [2004, 6, 11, 'National Day of Mourning (Ronald Reagan)'],
  [2007, 1, 2, 'National Day of Mourning (Gerald Ford)'],
  [2012, 10, 29, 'Hurricane Sandy'],
  [2012, 10, 30, 'Hurricane Sandy'],
  [2018, 12, 5, 'National Day of Mourning (George H.W. Bush)'],
  [2025, 1, 9, 'National Day of Mourning (Jimmy Carter)'],
];

/** Rule-based NYSE holidays of year `y` (always on weekdays after observance). */
export function ruleHolidays(y: number): Closure[] {
  const out: Closure[] = [];
  // New Year's Day: Sunday -> Monday Jan 2; Saturday -> NOT observed (the Friday Dec 31 trades,
  // e.g. 1993, 1999, 2004, 2010, 2021), because that Friday closes the previous year's books.
  const jan1 = dayNumberOf(y, 1, 1);
  const jan1Wd = weekdayOfDay(jan1);
  if (jan1Wd === 0) out.push({ day: jan1 + 1, name: "New Year's Day" });
  else if (jan1Wd !== 6) out.push({ day: jan1, name: "New Year's Day" });
  if (y >= 1998) out.push({ day: nthWeekdayOfMonth(y, 1, 1, 3), name: 'Martin Luther King Jr. Day' });
  out.push({ day: nthWeekdayOfMonth(y, 2, 1, 3), name: "Washington's Birthday / Presidents' Day" });
  out.push({ day: easterSunday(y) - 2, name: 'Good Friday' });
  out.push({ day: lastWeekdayOfMonth(y, 5, 1), name: 'Memorial Day' });
  if (y >= 2022) out.push({ day: nearestWeekday(dayNumberOf(y, 6, 19)), name: 'Juneteenth' });
  out.push({ day: nearestWeekday(dayNumberOf(y, 7, 4)), name: 'Independence Day' });
  out.push({ day: nthWeekdayOfMonth(y, 9, 1, 1), name: 'Labor Day' });
  out.push({ day: nthWeekdayOfMonth(y, 11, 4, 4), name: 'Thanksgiving Day' });
  out.push({ day: nearestWeekday(dayNumberOf(y, 12, 25)), name: 'Christmas Day' });
  return out;
}

/** Scheduled early-close times used 1990-2030. */
export type EarlyCloseEt = '13:00' | '14:00';

/**
 * Scheduled early closes of year `y` on days that would otherwise trade (the caller drops any that
 * fall on a closure). Rules (NYSE history as tabulated by pandas_market_calendars):
 * - Day after Thanksgiving: 14:00 in 1992, 13:00 from 1993 (full day in 1990-1991).
 * - Christmas Eve (Dec 24 on a weekday trading day): 14:00 in 1990-1992; 13:00 from 1996
 *   (1993-1995 Dec 24 was never a Mon-Thu trading day).
 * - Dec 26: 13:00 on 1997-12-26 and 2003-12-26 (one-off NYSE decisions).
 * - Independence Day: from 1995, July 3 at 13:00 when it is a Monday, Tuesday or Thursday; from
 *   2013 also when it is a Wednesday (July 4 on Thursday). In 1996-2012, when July 4 was a
 *   Thursday, the Friday July 5 closed at 13:00 instead.
 * Unscheduled intraday events (e.g. 1994-02-11 snow, 1997-10-27 circuit breaker, 2005-06-01
 * systems) and late opens are not modelled.
 */
export function ruleEarlyCloses(y: number): Array<{ day: DayNumber; closeEt: EarlyCloseEt }> {
  const out: Array<{ day: DayNumber; closeEt: EarlyCloseEt }> = [];
  if (y >= 1992) {
    out.push({ day: nthWeekdayOfMonth(y, 11, 4, 4) + 1, closeEt: y === 1992 ? '14:00' : '13:00' });
  }
  const dec24 = dayNumberOf(y, 12, 24);
  const dec24Wd = weekdayOfDay(dec24);
  if (dec24Wd >= 1 && dec24Wd <= 4 && (y <= 1992 || y >= 1996)) {
    out.push({ day: dec24, closeEt: y <= 1992 ? '14:00' : '13:00' });
  }
  if (y === 1997 || y === 2003) out.push({ day: dayNumberOf(y, 12, 26), closeEt: '13:00' });
  if (y >= 1995) {
    const jul3 = dayNumberOf(y, 7, 3);
    const wd = weekdayOfDay(jul3);
    if (wd === 1 || wd === 2 || wd === 4 || (wd === 3 && y >= 2013))
      out.push({ day: jul3, closeEt: '13:00' });
    const jul5 = dayNumberOf(y, 7, 5);
    if (weekdayOfDay(jul5) === 5 && y >= 1996 && y <= 2012) out.push({ day: jul5, closeEt: '13:00' });
  }
  return out;
}
