import { isTradingDay, parseHhmm, session } from '../../calendar/index';
import { InvalidInputError, type IsoDate } from '../../domain/index';

/*
 * Intraday bars: types and the session rules they are checked against. Times are minutes since
 * midnight New York time (`startEt`), so a day's bars need no time-zone arithmetic: the US Central
 * zone follows the same daylight-saving rules, so during any session CT = ET - 60 minutes.
 */

/** What the bars are of: the SPX index, or E-mini S&P 500 futures (ES, a different price level). */
export type IntradaySymbol = 'spx' | 'es';

/** Where a day's bars come from: real bars, or the synthetic path of the daily-OHLC approximation. */
export type IntradaySource = 'bars' | 'ohlc-approximation';

/** One OHLC bar, index points. `startEt`: bar start, minutes since midnight New York time. */
export interface IntradayBar {
  readonly startEt: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** The bars of one session at one resolution. */
export interface IntradayDay {
  readonly date: IsoDate;
  readonly symbol: IntradaySymbol;
  readonly source: IntradaySource;
  /** Bar length in minutes (1, 5, 60, ...). A bar ends at min(startEt + resolution, windowCloseEt). */
  readonly resolutionMinutes: number;
  /** The window the bars were checked against (minutes since midnight ET): see `intradayWindowEt`. */
  readonly windowOpenEt: number;
  readonly windowCloseEt: number;
  /** Strictly increasing `startEt`, every one on the grid `windowOpenEt + k x resolution`. */
  readonly bars: readonly IntradayBar[];
  /**
   * The official closing print when the source carries it as a flat bar stamped at the close (not a
   * bar: it has no duration); null when absent.
   */
  readonly closingPrint: number | null;
  /** Grid starts inside the window with no bar (vendor gaps), ascending. Empty for a complete day. */
  readonly missingStartsEt: readonly number[];
}

/** Session window of a symbol on a trading day, minutes since midnight New York time. */
export interface IntradayWindow {
  readonly openEt: number;
  readonly closeEt: number;
  /** Early-close day (13:00 ET cash close). */
  readonly earlyClose: boolean;
}

/**
 * SPXW/SPX options of later expiries trade 15 minutes after the cash close (16:15 ET; 13:15 on
 * early-close days). The ES window ends there: ES prints after 16:00 ET, SPX does not.
 */
export const ES_MINUTES_AFTER_CASH_CLOSE = 15;

/**
 * The window bars of `symbol` must lie in on `date`:
 * - `spx`: the regular session, 09:30 to 16:00 ET (13:00 on early-close days), from the calendar;
 * - `es`: 09:30 ET to the SPX options close, 15 minutes after the cash close (16:15 ET, 13:15 on
 *   early-close days), the window a 15:10 CT (16:10 ET) entry lives in. ES trades nearly around the
 *   clock; bars outside this window are not used here.
 * Throws InvalidInputError when `date` is not an exchange trading day.
 */
export function intradayWindowEt(date: IsoDate, symbol: IntradaySymbol): IntradayWindow {
  if (!isTradingDay(date)) {
    throw new InvalidInputError(
      `date: '${date}' is not an exchange trading day`,
      'date',
      'intraday bars exist only on NYSE/Cboe trading days',
    );
  }
  const s = session(date);
  const openEt = parseHhmm(s.openEt);
  const cashCloseEt = parseHhmm(s.closeEt);
  return {
    openEt,
    closeEt: symbol === 'es' ? cashCloseEt + ES_MINUTES_AFTER_CASH_CLOSE : cashCloseEt,
    earlyClose: s.earlyClose,
  };
}

/** Bar resolutions (minutes) accepted for a symbol: the grid must end exactly at the window close. */
export function allowedResolutionsMinutes(symbol: IntradaySymbol): readonly number[] {
  // SPX: divisors of 60 (the 6.5-hour session ends on a half hour, so an hourly grid has a last
  // half-hour bar); ES: divisors of 15, so the grid reaches 16:15 and 13:15.
  return symbol === 'spx' ? [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60] : [1, 3, 5, 15];
}

/** Bar starts of the grid `openEt + k x resolution` inside [openEt, closeEt), ascending. */
export function gridStartsEt(window: IntradayWindow, resolutionMinutes: number): number[] {
  requireResolution(resolutionMinutes);
  const out: number[] = [];
  for (let t = window.openEt; t < window.closeEt; t += resolutionMinutes) out.push(t);
  return out;
}

function requireResolution(resolutionMinutes: number): void {
  if (!Number.isInteger(resolutionMinutes) || resolutionMinutes <= 0) {
    throw new InvalidInputError(
      `resolutionMinutes: ${String(resolutionMinutes)} is not a positive whole number of minutes`,
      'resolutionMinutes',
      'use the bar length in minutes, e.g. 1, 5 or 60',
    );
  }
}

/** End of a bar (minutes ET): its start plus the resolution, cut at the window close. */
export function barEndEt(day: IntradayDay, bar: IntradayBar): number {
  return Math.min(bar.startEt + day.resolutionMinutes, day.windowCloseEt);
}

/**
 * How many of `day.bars` have closed at instant `atEt` (minutes ET): bars whose end is at or before
 * `atEt`. Those are `day.bars.slice(0, n)`; a decision at `atEt` may use only them.
 */
export function barsClosedCount(day: IntradayDay, atEt: number): number {
  let n = 0;
  while (n < day.bars.length && barEndEt(day, day.bars[n] as IntradayBar) <= atEt) n++;
  return n;
}

/** `HH:MM` of minutes since midnight (0..1439). */
export function formatEt(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 0 || minutes >= 1440) {
    throw new InvalidInputError(
      `minutes: ${String(minutes)} is not a time of day`,
      'minutes',
      'use whole minutes since midnight, 0..1439',
    );
  }
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Minutes since midnight ET of a Chicago wall-clock time `HH:MM` (CT = ET - 1 hour, all year). */
export function ctToEt(hhmmCt: string, field = 'time'): number {
  return parseHhmm(hhmmCt, field) + 60;
}

/** True when every grid bar of the day is present (no vendor gap). */
export function isCompleteDay(day: IntradayDay): boolean {
  return day.missingStartsEt.length === 0;
}
