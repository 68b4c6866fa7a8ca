import { InvalidInputError } from './errors';

/**
 * A calendar date on the exchange's (America/New_York) calendar, as `YYYY-MM-DD`.
 * Never converted through `Date`: UTC midnight of a bare date is the previous evening in New York.
 */
export type IsoDate = string & { readonly __brand: 'IsoDate' };

/** Days since 1970-01-01 (proleptic Gregorian); the integer form of an IsoDate for fast arithmetic. */
export type DayNumber = number;

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/*
 * Memo tables: a backtest converts the same few thousand dates millions of times. Results are pure
 * functions of their argument, so caching cannot change a value; the tables are bounded (cleared when
 * full) so a long-lived process cannot grow without limit.
 */
const MEMO_LIMIT = 1 << 17;
const validIso = new Set<string>();
const dayOfText = new Map<string, DayNumber>();
/** fromDayNumber results for 1900-01-01 .. 2149-12-31 (day numbers -25567 .. 65743). */
const TEXT_MEMO_FIRST = -25567;
const TEXT_MEMO_LAST = 65743;
const textOfDay: (IsoDate | undefined)[] = new Array(TEXT_MEMO_LAST - TEXT_MEMO_FIRST + 1);

/** Days in month `m` (1-12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Validates and brands a `YYYY-MM-DD` string. */
export function isoDate(text: string, field = 'date'): IsoDate {
  if (validIso.has(text)) return text as IsoDate;
  const m = ISO_RE.exec(text);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)) {
      if (validIso.size >= MEMO_LIMIT) validIso.clear();
      validIso.add(text);
      return text as IsoDate;
    }
  }
  throw new InvalidInputError(
    `${field}: '${text}' is not a valid date`,
    field,
    'use YYYY-MM-DD, e.g. 2024-08-05',
  );
}

/** Day number from a civil date (Howard Hinnant's days_from_civil). */
export function dayNumberOf(y: number, m: number, d: number): DayNumber {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Civil date from a day number (Howard Hinnant's civil_from_days). */
export function civilOf(day: DayNumber): { y: number; m: number; d: number } {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

export function toDayNumber(date: IsoDate): DayNumber {
  const hit = dayOfText.get(date);
  if (hit !== undefined) return hit;
  const n = dayNumberOf(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
  if (dayOfText.size >= MEMO_LIMIT) dayOfText.clear();
  dayOfText.set(date, n);
  return n;
}

export function fromDayNumber(day: DayNumber): IsoDate {
  const inMemo = day >= TEXT_MEMO_FIRST && day <= TEXT_MEMO_LAST && Number.isInteger(day);
  if (inMemo) {
    const hit = textOfDay[day - TEXT_MEMO_FIRST];
    if (hit !== undefined) return hit;
  }
  const { y, m, d } = civilOf(day);
  const text =
    `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` as IsoDate;
  if (inMemo) textOfDay[day - TEXT_MEMO_FIRST] = text;
  return text;
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(date: IsoDate): number {
  const n = toDayNumber(date);
  return (((n + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Calendar days from `a` to `b` (positive when b is later). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** UTC ISO-8601 text of an instant (epoch ms), e.g. 2024-06-04T20:10:00.000Z, without touching Date. */
export function formatUtcIso(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  const rest = ms - day * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  const mi = Math.floor((rest % 3_600_000) / 60_000);
  const s = Math.floor((rest % 60_000) / 1000);
  const milli = rest % 1000;
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${fromDayNumber(day)}T${p2(h)}:${p2(mi)}:${p2(s)}.${String(milli).padStart(3, '0')}Z`;
}
