import { type IsoDate, isTradingDay, previousTradingDay, session, utcMsToZoned } from '@vixshield/core';

/**
 * Minutes after the close before a session counts as completed for the daily files: Cboe publishes
 * its index histories and the CFE settlements in the evening, FRED the next business day (a series
 * that has not published yet simply adds nothing until the next update).
 */
export const SESSION_PUBLISH_LAG_MINUTES = 30;

/** The last trading day whose close (plus the publishing lag) is before `nowUtcMs`. */
export function lastCompletedSession(nowUtcMs: number): IsoDate {
  let d = utcMsToZoned(nowUtcMs, 'America/New_York').date;
  if (isTradingDay(d) && nowUtcMs >= session(d).closeUtcMs + SESSION_PUBLISH_LAG_MINUTES * 60_000) return d;
  d = previousTradingDay(d);
  return d;
}
