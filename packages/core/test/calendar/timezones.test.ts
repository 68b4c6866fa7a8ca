import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dstTransitionsUtcMs,
  InvalidInputError,
  type IsoDate,
  isoDate,
  MS_PER_DAY,
  MS_PER_MINUTE,
  type TimeZoneId,
  utcMsToZoned,
  utcOffsetMinutes,
  zonedTimeToUtcMs,
} from '../../src/index';

const D = (s: string): IsoDate => isoDate(s);
const ZONES: readonly TimeZoneId[] = ['America/New_York', 'America/Chicago'];

/** Reference wall clock from the platform's tz database (tests only; core never uses Intl). */
const formatters = new Map<TimeZoneId, Intl.DateTimeFormat>(
  ZONES.map((z) => [
    z,
    new Intl.DateTimeFormat('en-US', {
      timeZone: z,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }),
  ]),
);
function intlWallClock(ms: number, zone: TimeZoneId): { date: string; hhmm: string } {
  const parts = Object.fromEntries(
    (formatters.get(zone) as Intl.DateTimeFormat).formatToParts(ms).map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hhmm: `${parts.hour}:${parts.minute}` };
}

function ourWallClock(ms: number, zone: TimeZoneId): { date: string; hhmm: string } {
  const z = utcMsToZoned(ms, zone);
  return { date: z.date, hhmm: z.hhmm };
}

describe('US DST rules vs Intl.DateTimeFormat', () => {
  it('agrees every 15 minutes across every transition day 1990-2030 (both zones)', () => {
    let checked = 0;
    const mismatches: string[] = [];
    for (let y = 1990; y <= 2030; y++) {
      for (const zone of ZONES) {
        const { startUtcMs, endUtcMs } = dstTransitionsUtcMs(y, zone);
        for (const t of [startUtcMs, endUtcMs]) {
          const dayStart = Math.floor(t / MS_PER_DAY) * MS_PER_DAY;
          for (let ms = dayStart - 6 * 3_600_000; ms <= dayStart + 30 * 3_600_000; ms += 15 * MS_PER_MINUTE) {
            const ours = ourWallClock(ms, zone);
            const ref = intlWallClock(ms, zone);
            checked++;
            if (ours.date !== ref.date || ours.hhmm !== ref.hhmm) {
              mismatches.push(`${zone} ${ms}: ${JSON.stringify(ours)} vs ${JSON.stringify(ref)}`);
            }
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(20_000);
  });

  it('the transition instants are exactly where Intl changes offset', () => {
    for (let y = 1990; y <= 2030; y++) {
      for (const zone of ZONES) {
        const { startUtcMs, endUtcMs } = dstTransitionsUtcMs(y, zone);
        expect(intlWallClock(startUtcMs - MS_PER_MINUTE, zone).hhmm).toBe('01:59');
        expect(intlWallClock(startUtcMs, zone).hhmm).toBe('03:00');
        expect(intlWallClock(endUtcMs - MS_PER_MINUTE, zone).hhmm).toBe('01:59');
        expect(intlWallClock(endUtcMs, zone).hhmm).toBe('01:00');
      }
    }
  });

  it('agrees at random instants 1990-2030', () => {
    const lo = Date.UTC(1990, 0, 1);
    const hi = Date.UTC(2030, 11, 31);
    fc.assert(
      fc.property(fc.integer({ min: lo, max: hi }), fc.constantFrom(...ZONES), (ms, zone) => {
        expect(ourWallClock(ms, zone)).toEqual(intlWallClock(ms, zone));
      }),
      { numRuns: 5000 },
    );
  });

  it('zonedTimeToUtcMs inverts utcMsToZoned at random minute instants', () => {
    const lo = Date.UTC(1990, 0, 1) / MS_PER_MINUTE;
    const hi = Date.UTC(2030, 11, 31) / MS_PER_MINUTE;
    fc.assert(
      fc.property(fc.integer({ min: lo, max: hi }), fc.constantFrom(...ZONES), (minute, zone) => {
        const ms = minute * MS_PER_MINUTE;
        const z = utcMsToZoned(ms, zone);
        const back = zonedTimeToUtcMs(z.date, z.hhmm, zone);
        // Equal except for the second reading of a repeated autumn hour, which maps to the first.
        if (back !== ms) {
          expect(back).toBe(ms - 3_600_000);
          expect(utcOffsetMinutes(back, zone)).toBe(utcOffsetMinutes(ms, zone) + 60);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('known instants', () => {
  it('09:30 and 16:00 New York in winter and summer', () => {
    expect(zonedTimeToUtcMs(D('2024-01-16'), '09:30', 'America/New_York')).toBe(
      Date.UTC(2024, 0, 16, 14, 30),
    );
    expect(zonedTimeToUtcMs(D('2024-07-16'), '16:00', 'America/New_York')).toBe(Date.UTC(2024, 6, 16, 20, 0));
    expect(zonedTimeToUtcMs(D('2024-07-16'), '15:00', 'America/Chicago')).toBe(Date.UTC(2024, 6, 16, 20, 0));
  });

  it('2006 used the old rule (April/October), 2007 the new one (March/November)', () => {
    expect(utcOffsetMinutes(Date.UTC(2006, 2, 20, 12), 'America/New_York')).toBe(-300);
    expect(utcOffsetMinutes(Date.UTC(2006, 9, 30, 12), 'America/New_York')).toBe(-300);
    expect(utcOffsetMinutes(Date.UTC(2007, 2, 20, 12), 'America/New_York')).toBe(-240);
    expect(utcOffsetMinutes(Date.UTC(2007, 10, 2, 12), 'America/New_York')).toBe(-240);
  });

  it('spring gap times shift forward, autumn repeated times take the earlier (DST) instant', () => {
    const gap = zonedTimeToUtcMs(D('2024-03-10'), '02:30', 'America/New_York');
    expect(utcMsToZoned(gap, 'America/New_York')).toEqual({
      date: '2024-03-10',
      hhmm: '03:30',
      offsetMinutes: -240,
    });
    const ambiguous = zonedTimeToUtcMs(D('2024-11-03'), '01:30', 'America/New_York');
    expect(ambiguous).toBe(Date.UTC(2024, 10, 3, 5, 30));
  });

  it('rejects bad input', () => {
    expect(() => zonedTimeToUtcMs(D('2024-01-02'), '24:00', 'America/New_York')).toThrow(InvalidInputError);
    expect(() => zonedTimeToUtcMs(D('2024-01-02'), '9:30', 'America/New_York')).toThrow(InvalidInputError);
    expect(() => zonedTimeToUtcMs(D('2024-01-02'), '09:30', 'Europe/London' as TimeZoneId)).toThrow(
      InvalidInputError,
    );
    expect(() => utcMsToZoned(Number.NaN, 'America/New_York')).toThrow(InvalidInputError);
    expect(() => utcMsToZoned(Date.UTC(1980, 0, 1), 'America/New_York')).toThrow(InvalidInputError);
  });
});
