import { type DayNumber, fromDayNumber, InvalidInputError, type IsoDate } from '../domain/index';
import { CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, nthWeekdayOfMonth } from './rules';
import { calendarDay, isTradingDayNumber, previousTradingDayNumber } from './tradingDays';

/**
 * Monthly VX futures and VIX option expirations (final settlement dates), by rule.
 *
 * CFE rule text (VX contract specifications, quoted e.g. in the 2016 Elite Trader thread and on
 * cboe.com "VIX futures settlement process"): "The Final Settlement Date for a contract with the VX
 * ticker symbol is on the Wednesday that is 30 days prior to the third Friday of the calendar month
 * immediately following the month in which the contract expires. ... If that Wednesday or the Friday
 * that is 30 days following that Wednesday is a Cboe holiday, the Final Settlement Date for the
 * contract shall be on the business day immediately preceding that Wednesday."
 * VIX options (monthly) expire on the same day and settle on the same SOQ (symbol VRO), at the
 * opening (09:30 ET) of that day.
 *
 * Checked examples: 2011-04-20 and 2011-12-21 (Cboe Options Hub settlement reminders);
 * 2014-03-18, a Tuesday, because the April 2014 third Friday (04-18) was Good Friday (Cboe Options
 * Hub, 2014-03-17 "VIX March Settlement Reminder"); 2019-03-19 is the same Good Friday case
 * (April 19, 2019). The rule uses the *nominal* third Friday; SPX itself moves a closed third Friday
 * to Thursday, which is why the rule is written against "the Friday", not the SPX expiry date.
 *
 * Range: contract months whose rule dates fall inside the 1990-2030 trading calendar
 * (1990-01 .. 2030-11). VX futures were listed from 2004-03-26 and VIX options from 2006-02-24; this
 * module does not know about listing history, it only applies the date rule.
 */

/** The nominal third Friday of the month after (year, month). */
function thirdFridayOfFollowingMonth(year: number, month: number): DayNumber {
  const y = month === 12 ? year + 1 : year;
  const m = month === 12 ? 1 : month + 1;
  return nthWeekdayOfMonth(y, m, 5, 3);
}

function vixExpiryDay(year: number, month: number): DayNumber {
  const friday = thirdFridayOfFollowingMonth(year, month);
  const wednesday = friday - 30;
  if (isTradingDayNumber(wednesday) && isTradingDayNumber(friday)) return wednesday;
  return previousTradingDayNumber(wednesday);
}

function checkContractMonth(year: number, month: number): void {
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new InvalidInputError(`month: ${String(month)} is not 1-12`, 'month', 'use 1 (January) to 12');
  }
  if (
    !Number.isInteger(year) ||
    year < CALENDAR_FIRST_YEAR ||
    year > CALENDAR_LAST_YEAR ||
    (year === CALENDAR_LAST_YEAR && month === 12)
  ) {
    throw new InvalidInputError(
      `contract month ${String(year)}-${String(month)} is outside ${CALENDAR_FIRST_YEAR}-01..${CALENDAR_LAST_YEAR}-11`,
      'year',
      'the rule needs the next month third Friday inside the 1990-2030 calendar',
    );
  }
}

/**
 * Final settlement (= expiration) date of the monthly VX future and VIX option of contract month
 * (`year`, `month` 1-12). Settles at the 09:30 ET SOQ of that day (AM).
 */
export function vixExpiry(year: number, month: number): IsoDate {
  checkContractMonth(year, month);
  return fromDayNumber(vixExpiryDay(year, month));
}

/** True if a monthly VX/VIX option expiration falls on `date`. */
export function isVixExpiry(date: IsoDate): boolean {
  const day = calendarDay(date);
  const { y, m } = ymOf(date);
  // The expiry of contract month m is in month m, or (holiday shift from the 1st/2nd) the month before.
  for (const [yy, mm] of [[y, m], m === 12 ? [y + 1, 1] : [y, m + 1]] as const) {
    if (yy > CALENDAR_LAST_YEAR || (yy === CALENDAR_LAST_YEAR && mm === 12)) continue;
    if (vixExpiryDay(yy, mm) === day) return true;
  }
  return false;
}

function ymOf(date: IsoDate): { y: number; m: number } {
  return { y: Number(date.slice(0, 4)), m: Number(date.slice(5, 7)) };
}

/** One monthly VX contract: its contract month and its expiry. */
export interface VixContract {
  /** Contract month as `YYYY-MM`. */
  readonly month: string;
  readonly expiry: IsoDate;
}

/**
 * The `count` monthly VX contracts expiring strictly after `asOf`, nearest first. "Strictly after"
 * is the roll convention of the CFE daily close files: on an expiry day the expiring contract has
 * already settled (at the morning SOQ), so M1 is the next month's contract.
 */
export function vixContractsAfter(asOf: IsoDate, count: number): VixContract[] {
  if (!Number.isInteger(count) || count < 0) {
    throw new InvalidInputError(
      `count must be a non-negative integer, got ${String(count)}`,
      'count',
      'e.g. 8',
    );
  }
  const day = calendarDay(asOf, 'asOf');
  let { y, m } = ymOf(asOf);
  // Start one month back (cheap and safe; earlier contracts are filtered by the expiry test).
  m -= 1;
  if (m === 0) {
    m = 12;
    y -= 1;
  }
  const out: VixContract[] = [];
  while (out.length < count) {
    if (y >= CALENDAR_FIRST_YEAR) {
      checkContractMonth(y, m); // throws past 2030-11
      const e = vixExpiryDay(y, m);
      if (e > day) out.push({ month: `${y}-${String(m).padStart(2, '0')}`, expiry: fromDayNumber(e) });
    }
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return out;
}
