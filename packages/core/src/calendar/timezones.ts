import {
  civilOf,
  type DayNumber,
  fromDayNumber,
  InvalidInputError,
  type IsoDate,
  isoDate,
  requireFinite,
  toDayNumber,
} from '../domain/index';
import { lastWeekdayOfMonth, nthWeekdayOfMonth } from './rules';

/**
 * US Eastern and Central time without Intl: the US daylight-saving rules written out by hand.
 * - 1987-2006: DST from the first Sunday of April 02:00 local standard time to the last Sunday of
 *   October 02:00 local daylight time.
 * - 2007 onwards (Energy Policy Act of 2005): second Sunday of March to first Sunday of November.
 * Supported years: 1987-2099 (a future change in US law would need a new rule here).
 * Instants are epoch milliseconds (UTC); wall-clock times are `HH:MM` strings.
 */

export type TimeZoneId = 'America/New_York' | 'America/Chicago';

export const TZ_FIRST_YEAR = 1987;
export const TZ_LAST_YEAR = 2099;

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

const STANDARD_OFFSET_MINUTES: Readonly<Record<TimeZoneId, number>> = {
  'America/New_York': -300,
  'America/Chicago': -360,
};

const HHMM_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

function checkZone(zone: string): TimeZoneId {
  if (zone === 'America/New_York' || zone === 'America/Chicago') return zone;
  throw new InvalidInputError(
    `zone: '${zone}' is not supported`,
    'zone',
    "use 'America/New_York' or 'America/Chicago'",
  );
}

function checkYear(y: number, field: string): void {
  if (y < TZ_FIRST_YEAR || y > TZ_LAST_YEAR) {
    throw new InvalidInputError(
      `${field}: year ${y} is outside the supported time-zone range ${TZ_FIRST_YEAR}-${TZ_LAST_YEAR}`,
      field,
      `use a time between ${TZ_FIRST_YEAR} and ${TZ_LAST_YEAR}`,
    );
  }
}

/** Minutes since local midnight from an `HH:MM` string (00:00..23:59). */
export function parseHhmm(hhmm: string, field = 'time'): number {
  const m = HHMM_RE.exec(hhmm);
  if (!m)
    throw new InvalidInputError(`${field}: '${hhmm}' is not a valid time`, field, 'use HH:MM, e.g. 09:30');
  return Number(m[1]) * 60 + Number(m[2]);
}

function formatHhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** DST start and end Sundays (local dates) of year `y` under the US rules. */
export function usDstSundays(y: number): { start: DayNumber; end: DayNumber } {
  if (y < 2007) return { start: nthWeekdayOfMonth(y, 4, 0, 1), end: lastWeekdayOfMonth(y, 10, 0) };
  return { start: nthWeekdayOfMonth(y, 3, 0, 2), end: nthWeekdayOfMonth(y, 11, 0, 1) };
}

/**
 * The UTC instants at which DST starts and ends in `zone` in year `y`: both transitions happen at
 * 02:00 local clock time (02:00 standard time in spring, 02:00 daylight time in autumn).
 */
export function dstTransitionsUtcMs(y: number, zone: TimeZoneId): { startUtcMs: number; endUtcMs: number } {
  checkYear(y, 'year');
  const key = `${zone}|${y}`;
  const hit = dstMemo.get(key);
  if (hit) return hit;
  const std = STANDARD_OFFSET_MINUTES[checkZone(zone)];
  const { start, end } = usDstSundays(y);
  const out = Object.freeze({
    startUtcMs: start * MS_PER_DAY + (120 - std) * MS_PER_MINUTE,
    endUtcMs: end * MS_PER_DAY + (120 - (std + 60)) * MS_PER_MINUTE,
  });
  dstMemo.set(key, out);
  return out;
}

/** Transitions per (zone, year): at most 2 x 113 entries, so never evicted. */
const dstMemo = new Map<string, Readonly<{ startUtcMs: number; endUtcMs: number }>>();

/** UTC offset of `zone` at instant `utcMs`, in minutes (e.g. -240 for EDT, -300 for EST). */
export function utcOffsetMinutes(utcMs: number, zone: TimeZoneId): number {
  requireFinite(utcMs, 'utcMs');
  const std = STANDARD_OFFSET_MINUTES[checkZone(zone)];
  // The UTC year equals the local year at every DST transition (they are in Mar-Nov).
  const { y } = civilOf(Math.floor(utcMs / MS_PER_DAY));
  const { startUtcMs, endUtcMs } = dstTransitionsUtcMs(y, zone);
  return utcMs >= startUtcMs && utcMs < endUtcMs ? std + 60 : std;
}

/** Wall-clock date and `HH:MM` in `zone` at instant `utcMs` (seconds are truncated). */
export function utcMsToZoned(
  utcMs: number,
  zone: TimeZoneId,
): { date: IsoDate; hhmm: string; offsetMinutes: number } {
  const offsetMinutes = utcOffsetMinutes(utcMs, zone);
  const localMinutes = Math.floor(utcMs / MS_PER_MINUTE) + offsetMinutes;
  const day = Math.floor(localMinutes / 1440);
  return { date: fromDayNumber(day), hhmm: formatHhmm(localMinutes - day * 1440), offsetMinutes };
}

/**
 * The UTC instant of wall-clock `hhmm` on `date` in `zone`. Disambiguation follows Temporal's
 * 'compatible' rule: a time skipped by the spring-forward gap (02:00-02:59) is read with the
 * pre-transition (standard) offset, so it lands one hour later; a time repeated in the autumn
 * overlap (01:00-01:59) resolves to the earlier instant (daylight time).
 */
export function zonedTimeToUtcMs(date: IsoDate, hhmm: string, zone: TimeZoneId): number {
  const d = isoDate(date);
  const day = toDayNumber(d);
  checkYear(civilOf(day).y, 'date');
  const std = STANDARD_OFFSET_MINUTES[checkZone(zone)];
  const localMs = day * MS_PER_DAY + parseHhmm(hhmm) * MS_PER_MINUTE;
  const asDst = localMs - (std + 60) * MS_PER_MINUTE;
  const asStd = localMs - std * MS_PER_MINUTE;
  if (utcOffsetMinutes(asDst, zone) === std + 60) return asDst; // valid DST reading (earlier if ambiguous)
  return asStd; // valid standard reading, or the gap read with the standard offset
}

/** Convenience: the UTC instant of `hhmm` New York time on `date`. */
export function newYorkTimeToUtcMs(date: IsoDate, hhmm: string): number {
  return zonedTimeToUtcMs(date, hhmm, 'America/New_York');
}
