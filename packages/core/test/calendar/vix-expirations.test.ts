import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  InvalidInputError,
  type IsoDate,
  isTradingDay,
  isVixExpiry,
  spxMonthlyExpiry,
  vixContractsAfter,
  vixExpiry,
  weekdayOf,
} from '../../src/index';

const D = (s: string) => s as IsoDate;

describe('VX / VIX option expiration rule', () => {
  it('known expiries (Wednesday 30 days before the next month third Friday)', () => {
    expect(vixExpiry(2008, 10)).toBe('2008-10-22'); // Nov 21, 2008 - 30
    expect(vixExpiry(2018, 2)).toBe('2018-02-14'); // Mar 16, 2018 - 30
    expect(vixExpiry(2020, 3)).toBe('2020-03-18'); // Apr 17, 2020 - 30
    expect(vixExpiry(2019, 4)).toBe('2019-04-17'); // May 17, 2019 - 30
    // Cboe Options Hub settlement reminders: April 2011 settled Wed Apr 20, December 2011 Wed Dec 21.
    expect(vixExpiry(2011, 4)).toBe('2011-04-20');
    expect(vixExpiry(2011, 12)).toBe('2011-12-21');
  });

  it('moves to the prior business day when the following Friday is Good Friday', () => {
    // Cboe Options Hub 2014-03-17: March 2014 VX/VIX options settled Tuesday 2014-03-18
    // (April 18, 2014 was Good Friday).
    expect(vixExpiry(2014, 3)).toBe('2014-03-18');
    // Same case in 2019: April 19, 2019 was Good Friday -> Tuesday 2019-03-19.
    expect(vixExpiry(2019, 3)).toBe('2019-03-19');
    expect(vixExpiry(2022, 3)).toBe('2022-03-15'); // Good Friday 2022-04-15
  });

  it('moves to the prior business day when the Wednesday itself is a holiday', () => {
    // Contract month 2030-06: third Friday of July 2030 is 07-19, minus 30 = Wed 2030-06-19
    // (Juneteenth, an NYSE holiday since 2022) -> Tuesday 2030-06-18.
    expect(vixExpiry(2030, 6)).toBe('2030-06-18');
  });

  it('is a trading day, 30 days (or more, when shifted) before the SPX standard expiry of the next month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1990, max: 2030 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
        fc.pre(!(y === 2030 && m === 12));
        const e = vixExpiry(y, m);
        expect(isTradingDay(e)).toBe(true);
        expect(isVixExpiry(e)).toBe(true);
        const spx = spxMonthlyExpiry(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1);
        const nominalFriday = weekdayOf(spx) === 5 ? spx : addDays(spx, 1);
        const wed = addDays(nominalFriday, -30);
        expect(weekdayOf(wed)).toBe(3);
        if (isTradingDay(wed) && isTradingDay(nominalFriday)) expect(e).toBe(wed);
        else expect(e < wed).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('lists contracts strictly after the as-of date (rolls on expiry day)', () => {
    expect(vixContractsAfter(D('2018-02-13'), 2).map((c) => c.expiry)).toEqual(['2018-02-14', '2018-03-21']);
    expect(vixContractsAfter(D('2018-02-14'), 2)).toEqual([
      { month: '2018-03', expiry: '2018-03-21' },
      { month: '2018-04', expiry: '2018-04-18' },
    ]);
    const eight = vixContractsAfter(D('2017-04-19'), 8);
    expect(eight[0]!.month).toBe('2017-05');
    expect(eight[7]!.month).toBe('2017-12');
    expect(isVixExpiry(D('2018-02-15'))).toBe(false);
  });

  it('rejects contract months outside the calendar', () => {
    expect(() => vixExpiry(2030, 12)).toThrow(InvalidInputError);
    expect(() => vixExpiry(2018, 13)).toThrow(InvalidInputError);
    expect(() => vixContractsAfter(D('2030-10-01'), 3)).toThrow(InvalidInputError);
  });
});
