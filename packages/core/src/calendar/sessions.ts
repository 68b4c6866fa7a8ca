import { fromDayNumber, InvalidInputError, type IsoDate, requireFinite } from '../domain/index';
import type { EarlyCloseEt } from './rules';
import { MS_PER_MINUTE, newYorkTimeToUtcMs } from './timezones';
import { calendarDay, closeEtOfDayNumber, isTradingDayNumber } from './tradingDays';

/** Regular SPX/NYSE session open, New York time. */
export const REGULAR_OPEN_ET = '09:30';
/** Regular SPX/NYSE session close, New York time. */
export const REGULAR_CLOSE_ET = '16:00';

/** The regular trading session of one trading day. */
export interface Session {
  readonly date: IsoDate;
  readonly openEt: '09:30';
  /** '16:00', or the scheduled early close ('13:00'; '14:00' on some 1990-1992 days). */
  readonly closeEt: '16:00' | EarlyCloseEt;
  readonly earlyClose: boolean;
  readonly openUtcMs: number;
  readonly closeUtcMs: number;
}

/** The regular session of `date`; throws InvalidInputError if `date` is not a trading day. */
export function session(date: IsoDate): Session {
  const day = calendarDay(date);
  if (!isTradingDayNumber(day)) {
    throw new InvalidInputError(
      `date: '${date}' is not a trading day`,
      'date',
      'check isTradingDay first, or use nextTradingDay',
    );
  }
  const hit = sessionMemo.get(day);
  if (hit) return hit;
  const d = fromDayNumber(day);
  const closeEt = closeEtOfDayNumber(day);
  const out: Session = Object.freeze({
    date: d,
    openEt: REGULAR_OPEN_ET,
    closeEt,
    earlyClose: closeEt !== REGULAR_CLOSE_ET,
    openUtcMs: newYorkTimeToUtcMs(d, REGULAR_OPEN_ET),
    closeUtcMs: newYorkTimeToUtcMs(d, closeEt),
  });
  sessionMemo.set(day, out);
  return out;
}

/** Sessions by day number: the calendar table is finite (1990-2030), so the memo is bounded by it. */
const sessionMemo = new Map<number, Session>();

/** Minutes per 365-day year: the one year-fraction convention of this package. */
export const MINUTES_PER_YEAR = 525_600;

/**
 * Time in years between two instants, ACT/365 on calendar minutes:
 * (toUtcMs - fromUtcMs) / 60,000 / 525,600. Weekends, holidays and nights count like trading time;
 * negative when `toUtcMs` is earlier. Additive: yf(a, b) + yf(b, c) = yf(a, c).
 */
export function yearFraction(fromUtcMs: number, toUtcMs: number): number {
  requireFinite(fromUtcMs, 'fromUtcMs');
  requireFinite(toUtcMs, 'toUtcMs');
  return (toUtcMs - fromUtcMs) / MS_PER_MINUTE / MINUTES_PER_YEAR;
}
