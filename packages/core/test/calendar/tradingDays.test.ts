import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addTradingDays,
  easterSunday,
  fromDayNumber,
  holidayName,
  InvalidInputError,
  type IsoDate,
  isEarlyClose,
  isoDate,
  isTradingDay,
  nextTradingDay,
  previousTradingDay,
  session,
  toDayNumber,
  tradingDayCount,
  tradingDaysBetween,
  weekdayOf,
} from '../../src/index';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const csvText = readFileSync(resolve(repoRoot, 'data/nyse-closures-derived-1990-2025.csv'), 'utf8');
const rows = csvText
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => {
    const [date, weekday, reason] = l.split(',');
    return { date: date as IsoDate, weekday: weekday as string, reason: reason as string };
  });

const D = (s: string): IsoDate => isoDate(s);

/** Arbitrary date in the calendar range, away from the edges so next/previous exist. */
const dateArb = fc
  .integer({ min: toDayNumber(D('1990-01-10')), max: toDayNumber(D('2030-12-20')) })
  .map((n) => fromDayNumber(n));

describe('trading days vs the derived NYSE closure list (1990-01-01..2025-10-07)', () => {
  it('the reference file is present with its 324 rows', () => {
    expect(rows).toHaveLength(324);
    expect(rows[0]).toEqual({ date: '1990-01-01', weekday: 'Mon', reason: "New Year's Day" });
  });

  it('non-trading weekdays equal exactly the closure list', () => {
    const closed: string[] = [];
    for (let d = D('1990-01-01'); d <= '2025-10-07'; d = addDays(d, 1)) {
      const wd = weekdayOf(d);
      if (wd !== 0 && wd !== 6 && !isTradingDay(d)) closed.push(d);
    }
    expect(closed).toEqual(rows.map((r) => r.date));
  });

  it('names every closure exactly as the reference file does', () => {
    const mismatches = rows.filter((r) => holidayName(r.date) !== r.reason);
    expect(mismatches).toEqual([]);
  });

  it('weekends never trade and have no holiday name', () => {
    expect(isTradingDay(D('2024-08-03'))).toBe(false);
    expect(isTradingDay(D('2024-08-04'))).toBe(false);
    expect(holidayName(D('2024-08-04'))).toBeUndefined();
    expect(holidayName(D('2024-08-05'))).toBeUndefined();
  });
});

describe('holiday rules', () => {
  it('Dec 31 Fridays trade when Jan 1 is a Saturday', () => {
    for (const d of ['1993-12-31', '1999-12-31', '2004-12-31', '2010-12-31', '2021-12-31', '2027-12-31']) {
      expect(weekdayOf(D(d))).toBe(5);
      expect(isTradingDay(D(d))).toBe(true);
    }
  });

  it('New Year on Sunday is observed Monday Jan 2', () => {
    expect(holidayName(D('2017-01-02'))).toBe("New Year's Day");
    expect(holidayName(D('2023-01-02'))).toBe("New Year's Day");
  });

  it('MLK Day from 1998 only', () => {
    expect(isTradingDay(D('1997-01-20'))).toBe(true);
    expect(holidayName(D('1998-01-19'))).toBe('Martin Luther King Jr. Day');
  });

  it('Juneteenth from 2022, observed on the nearest weekday', () => {
    expect(isTradingDay(D('2021-06-18'))).toBe(true);
    expect(holidayName(D('2022-06-20'))).toBe('Juneteenth');
    expect(holidayName(D('2026-06-19'))).toBe('Juneteenth');
    expect(holidayName(D('2027-06-18'))).toBe('Juneteenth'); // Saturday -> Friday
  });

  it('Easter computus matches known Easter Sundays', () => {
    const known: Record<number, string> = {
      1990: '1990-04-15',
      1997: '1997-03-30',
      2008: '2008-03-23',
      2011: '2011-04-24',
      2019: '2019-04-21',
      2024: '2024-03-31',
      2025: '2025-04-20',
      2030: '2030-04-21',
    };
    for (const [y, d] of Object.entries(known)) expect(fromDayNumber(easterSunday(Number(y)))).toBe(d);
  });

  it('future holidays 2026-2030 follow the rules', () => {
    expect(holidayName(D('2026-04-03'))).toBe('Good Friday');
    expect(holidayName(D('2026-07-03'))).toBe('Independence Day'); // July 4 is a Saturday
    expect(holidayName(D('2027-12-24'))).toBe('Christmas Day'); // Dec 25 is a Saturday
    expect(holidayName(D('2028-01-17'))).toBe('Martin Luther King Jr. Day');
    expect(holidayName(D('2030-11-28'))).toBe('Thanksgiving Day');
    expect(tradingDayCount(D('2026-01-01'), D('2026-12-31'))).toBe(251);
  });
});

describe('early closes', () => {
  it.each([
    ['2019-07-03', '13:00'],
    ['2023-11-24', '13:00'],
    ['2024-12-24', '13:00'],
    ['2018-12-24', '13:00'],
    ['2013-07-03', '13:00'],
    ['2008-07-03', '13:00'],
    ['2002-07-05', '13:00'],
    ['1997-12-26', '13:00'],
    ['2003-12-26', '13:00'],
    ['1992-11-27', '14:00'],
    ['1990-12-24', '14:00'],
  ])('%s closes at %s', (d, close) => {
    expect(isEarlyClose(D(d))).toBe(true);
    expect(session(D(d)).closeEt).toBe(close);
  });

  it.each([
    '2020-07-02', // July 3 was the observed holiday
    '2021-07-02', // July 4 on Sunday -> Monday holiday; Friday is a full day
    '1991-11-29', // before the day-after-Thanksgiving early close started
    '2019-07-05', // since 2013 the Friday after July 4 is a full day
    '2024-08-05',
  ])('%s is a full day', (d) => {
    expect(isEarlyClose(D(d))).toBe(false);
    expect(session(D(d)).closeEt).toBe('16:00');
  });
});

describe('navigation', () => {
  it('next/previous trading day skip weekends and holidays', () => {
    expect(nextTradingDay(D('2024-03-28'))).toBe('2024-04-01'); // Good Friday
    expect(previousTradingDay(D('2024-04-01'))).toBe('2024-03-28');
    expect(nextTradingDay(D('2001-09-10'))).toBe('2001-09-17');
    expect(previousTradingDay(D('2025-01-10'))).toBe('2025-01-08');
  });

  it('addTradingDays moves across closures and matches counts', () => {
    expect(addTradingDays(D('2024-03-28'), 1)).toBe('2024-04-01');
    expect(addTradingDays(D('2024-04-01'), -1)).toBe('2024-03-28');
    expect(addTradingDays(D('2024-03-30'), 1)).toBe('2024-04-01');
    expect(addTradingDays(D('2024-03-30'), -1)).toBe('2024-03-28');
    expect(addTradingDays(D('2024-01-02'), 0)).toBe('2024-01-02');
    expect(addTradingDays(D('2023-12-29'), 252)).toBe('2024-12-31'); // 2024 had 252 sessions
    expect(() => addTradingDays(D('2024-03-29'), 0)).toThrow(InvalidInputError);
  });

  it('tradingDaysBetween is inclusive and tradingDayCount agrees', () => {
    expect(tradingDaysBetween(D('2024-03-27'), D('2024-04-02'))).toEqual([
      '2024-03-27',
      '2024-03-28',
      '2024-04-01',
      '2024-04-02',
    ]);
    expect(tradingDayCount(D('2024-03-27'), D('2024-04-02'))).toBe(4);
    expect(tradingDayCount(D('2024-01-01'), D('2024-12-31'))).toBe(252);
    expect(tradingDayCount(D('2024-02-01'), D('2024-01-01'))).toBe(0);
    expect(tradingDaysBetween(D('2024-02-01'), D('2024-01-01'))).toEqual([]);
  });

  it('throws InvalidInputError outside 1990-2030 and on malformed dates', () => {
    expect(() => isTradingDay(D('1989-12-29'))).toThrow(InvalidInputError);
    expect(() => isTradingDay(D('2031-01-02'))).toThrow(InvalidInputError);
    expect(() => previousTradingDay(D('1990-01-02'))).toThrow(InvalidInputError);
    expect(() => nextTradingDay(D('2030-12-31'))).toThrow(InvalidInputError);
    expect(() => isTradingDay('2024-02-30' as IsoDate)).toThrow(InvalidInputError);
    expect(() => addTradingDays(D('2030-12-02'), 100)).toThrow(InvalidInputError);
  });
});

describe('properties', () => {
  it('next/previous trading day are inverses on trading days', () => {
    fc.assert(
      fc.property(dateArb, (d) => {
        const n = nextTradingDay(d);
        expect(isTradingDay(n)).toBe(true);
        expect(previousTradingDay(n) <= d).toBe(true);
        if (isTradingDay(d)) {
          expect(previousTradingDay(nextTradingDay(d))).toBe(d);
          expect(nextTradingDay(previousTradingDay(d))).toBe(d);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('addTradingDays(d, n) is consistent with tradingDayCount and round-trips', () => {
    fc.assert(
      fc.property(
        dateArb.filter((d) => d < '2029-06-30'),
        fc.integer({ min: 1, max: 300 }),
        (d, n) => {
          const fwd = addTradingDays(d, n);
          expect(isTradingDay(fwd)).toBe(true);
          expect(tradingDayCount(addDays(d, 1), fwd)).toBe(n);
          if (isTradingDay(d)) expect(addTradingDays(fwd, -n)).toBe(d);
        },
      ),
      { numRuns: 500, examples: [[D('2030-06-03'), 100]] },
    );
  });

  it('tradingDaysBetween lists only trading days and its length is tradingDayCount', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 60 }), (d, span) => {
        const to = addDays(d, span);
        if (toDayNumber(to) > toDayNumber(D('2030-12-31'))) return;
        const list = tradingDaysBetween(d, to);
        expect(list.length).toBe(tradingDayCount(d, to));
        for (const x of list) expect(isTradingDay(x)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
