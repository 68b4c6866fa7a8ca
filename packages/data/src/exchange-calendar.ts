import {
  CALENDAR_FIRST_YEAR,
  CALENDAR_LAST_YEAR,
  type IsoDate,
  isTradingDay,
  weekdayOf,
} from '@vixshield/core';

/**
 * Trading-day membership for the loaders: the core NYSE/Cboe calendar for 1990-2030. Source rows
 * outside that range (Stooq back to 1789, DFF from 1954) are never used by snapshots (they start in
 * 1990); they are classified by weekday only, which is all their consistency checks need.
 */
export function exchangeIsTradingDay(d: IsoDate): boolean {
  const year = Number(d.slice(0, 4));
  if (year < CALENDAR_FIRST_YEAR || year > CALENDAR_LAST_YEAR) {
    const w = weekdayOf(d);
    return w !== 0 && w !== 6;
  }
  return isTradingDay(d);
}
