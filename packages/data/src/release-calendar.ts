import { type EventCalendar, eventCalendarOf } from '@vixshield/core';
import type { LoadedSeries } from './market-data';

/** The release calendars a market data load holds. */
export type ReleaseDates = Pick<
  LoadedSeries,
  'fomc' | 'fomcUnscheduled' | 'cpi' | 'ppi' | 'payrolls' | 'eventCoverage'
>;

const calendars = new WeakMap<ReleaseDates, EventCalendar>();

/**
 * The release calendar as it was published before the fact, for any date in its coverage: scheduled
 * FOMC decisions only (an emergency move such as 2020-03-03 is in the snapshot of its own day, but
 * nobody could know it the day before), CPI, PPI and payrolls days. The engine's event filter and the
 * one-day model's next-session releases both read it, so neither looks at a later session's snapshot
 * (on the last day of the data, a live signal, there is none yet). Cached per load.
 */
export function publishedReleaseCalendar(dates: ReleaseDates): EventCalendar {
  let cal = calendars.get(dates);
  if (!cal) {
    const unscheduled = new Set<string>(dates.fomcUnscheduled);
    cal = eventCalendarOf({
      fomc: dates.fomc.filter((d) => !unscheduled.has(d)),
      cpi: dates.cpi,
      ppi: dates.ppi,
      payrolls: dates.payrolls,
      coverage: dates.eventCoverage,
    });
    calendars.set(dates, cal);
  }
  return cal;
}
