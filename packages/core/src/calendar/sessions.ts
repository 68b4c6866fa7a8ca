import { fromDayNumber, InvalidInputError, type IsoDate, requireFinite } from '../domain/index';
import type { EarlyCloseEt } from './rules';
import { MS_PER_MINUTE, newYorkTimeToUtcMs, parseHhmm, zonedTimeToUtcMs } from './timezones';
import { calendarDay, closeEtOfDayNumber, isTradingDayNumber } from './tradingDays';

/** Regular SPX/NYSE session open, New York time. */
export const REGULAR_OPEN_ET = '09:30';
/** Regular SPX/NYSE session close, New York time. */
export const REGULAR_CLOSE_ET = '16:00';
/** Length of a regular session in minutes, REGULAR_OPEN_ET to REGULAR_CLOSE_ET: 390 (6.5 hours). */
export const REGULAR_SESSION_MINUTES = parseHhmm(REGULAR_CLOSE_ET) - parseHhmm(REGULAR_OPEN_ET);

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

/**
 * The part of `asOf`'s regular session still to trade at `quoteUtcMs`, as a fraction of that session
 * (0 at or after the close, 1 at or before the open; an early-close session is one whole session too).
 * Business time, the clock VIX1D is quoted on (short-dated.ts), counts sessions, not calendar minutes.
 */
export function sessionFractionRemaining(asOf: IsoDate, quoteUtcMs: number): number {
  requireFinite(quoteUtcMs, 'quoteUtcMs');
  const s = session(asOf);
  const f = (s.closeUtcMs - quoteUtcMs) / (s.closeUtcMs - s.openUtcMs);
  return f <= 0 ? 0 : f >= 1 ? 1 : f;
}

/** SPX options trade until 15 minutes after the cash close (16:15 ET; 13:15 ET on early-close days). */
export const SPX_OPTIONS_CLOSE_AFTER_CASH_MINUTES = 15;
/**
 * VIX options (Cboe, regular hours) close 15 minutes after the cash close too: 15:15 CT, and 12:15 CT on
 * early-close days; they open at 08:30 CT (09:30 ET).
 */
export const VIX_OPTIONS_CLOSE_AFTER_CASH_MINUTES = 15;

/** The SPX options close of `date` (UTC ms): the cash close + 15 minutes. */
export function spxOptionsCloseUtcMs(date: IsoDate): number {
  return session(date).closeUtcMs + SPX_OPTIONS_CLOSE_AFTER_CASH_MINUTES * MS_PER_MINUTE;
}

/**
 * The entry instant of trading day `date` for an entry time `timeCt` (America/Chicago) set on a regular
 * day: on a regular day `timeCt` itself; on an early-close day the options close minus the same offset
 * as `timeCt` is from the regular options close (15:10 CT is 5 minutes before 15:15 CT, so 12:10 CT
 * when options close at 12:15 CT). Issue 15: early-close days were stamped and priced at 15:10 CT,
 * hours after the close.
 */
export function entryInstantUtcMs(date: IsoDate, timeCt: string): number {
  const s = session(date);
  const regular = zonedTimeToUtcMs(date, timeCt, 'America/Chicago');
  if (!s.earlyClose) return regular;
  const regularOptionsClose =
    newYorkTimeToUtcMs(date, REGULAR_CLOSE_ET) + SPX_OPTIONS_CLOSE_AFTER_CASH_MINUTES * MS_PER_MINUTE;
  return spxOptionsCloseUtcMs(date) - (regularOptionsClose - regular);
}

/** True when VIX options trade (regular hours) at `instantUtcMs` of trading day `date`. */
export function vixOptionsOpenAt(date: IsoDate, instantUtcMs: number): boolean {
  const s = session(date);
  const close = s.closeUtcMs + VIX_OPTIONS_CLOSE_AFTER_CASH_MINUTES * MS_PER_MINUTE;
  return instantUtcMs >= s.openUtcMs && instantUtcMs < close;
}
