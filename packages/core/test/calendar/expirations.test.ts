import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LISTING_HORIZON,
  dteCalendarDays,
  dteTradingDays,
  expirationsListedOn,
  expirationsListedOnExpiry,
  expirationsOn,
  fromDayNumber,
  InvalidInputError,
  type IsoDate,
  isoDate,
  isSpxMonthlyExpiry,
  isSpxwExpiry,
  isTradingDay,
  listedExpiryDatesOn,
  nextSpxwExpiry,
  settlementInstantUtcMs,
  spxMonthlyExpiry,
  toDayNumber,
  weekdayOf,
} from '../../src/index';

const D = (s: string): IsoDate => isoDate(s);
const dateArb = (from: string, to: string) =>
  fc.integer({ min: toDayNumber(D(from)), max: toDayNumber(D(to)) }).map((n) => fromDayNumber(n));

describe('SPX AM-settled monthly (third Friday)', () => {
  it('is the third Friday in an ordinary month', () => {
    expect(spxMonthlyExpiry(2024, 3)).toBe('2024-03-15');
    expect(spxMonthlyExpiry(2025, 1)).toBe('2025-01-17');
    expect(spxMonthlyExpiry(1990, 1)).toBe('1990-01-19');
    expect(spxMonthlyExpiry(2030, 12)).toBe('2030-12-20');
  });

  it('moves to Thursday when the third Friday is Good Friday', () => {
    expect(spxMonthlyExpiry(2019, 4)).toBe('2019-04-18');
    expect(spxMonthlyExpiry(2014, 4)).toBe('2014-04-17');
    expect(spxMonthlyExpiry(2022, 4)).toBe('2022-04-14');
    expect(expirationsOn(D('2019-04-18'))).toEqual([
      { root: 'SPX', settlement: 'AM', kind: 'monthly' },
      { root: 'SPXW', settlement: 'PM', kind: 'monthly' },
    ]);
    expect(isSpxMonthlyExpiry(D('2019-04-18'))).toBe(true);
    expect(isSpxMonthlyExpiry(D('2019-04-19'))).toBe(false);
  });

  it('rejects months and years outside the table', () => {
    expect(() => spxMonthlyExpiry(1989, 12)).toThrow(InvalidInputError);
    expect(() => spxMonthlyExpiry(2024, 13)).toThrow(InvalidInputError);
  });

  it('is always a Thursday or Friday trading day between the 14th and the 21st', () => {
    for (let y = 1990; y <= 2030; y++) {
      for (let m = 1; m <= 12; m++) {
        const e = spxMonthlyExpiry(y, m);
        expect(isTradingDay(e)).toBe(true);
        expect([4, 5]).toContain(weekdayOf(e));
        const dom = Number(e.slice(8));
        expect(dom >= 14 && dom <= 21).toBe(true);
      }
    }
  });
});

describe('SPXW history', () => {
  it('PM-settled Friday weeklies start with the 2010-12-10 expiry', () => {
    expect(isSpxwExpiry(D('2010-12-03'))).toBe(false);
    expect(expirationsOn(D('2010-12-10'))).toEqual([{ root: 'SPXW', settlement: 'PM', kind: 'weekly' }]);
  });

  it('third-Friday SPXW (monthly PM) only from May 2017 (SPXPM before)', () => {
    expect(expirationsOn(D('2017-04-21'))).toEqual([{ root: 'SPX', settlement: 'AM', kind: 'monthly' }]);
    expect(expirationsOn(D('2017-05-19'))).toEqual([
      { root: 'SPX', settlement: 'AM', kind: 'monthly' },
      { root: 'SPXW', settlement: 'PM', kind: 'monthly' },
    ]);
  });

  it('end-of-month SPXW from July 2014', () => {
    expect(isSpxwExpiry(D('2014-06-30'))).toBe(false);
    expect(expirationsOn(D('2014-07-31'))).toEqual([{ root: 'SPXW', settlement: 'PM', kind: 'eom' }]);
    expect(expirationsOn(D('2018-02-28'))).toEqual([{ root: 'SPXW', settlement: 'PM', kind: 'eom' }]);
    expect(expirationsOn(D('2018-01-31'))).toEqual([{ root: 'SPXW', settlement: 'PM', kind: 'eom' }]);
  });

  it('first Wednesday expiry 2016-03-02, first Monday 2016-08-22', () => {
    expect(isSpxwExpiry(D('2016-02-24'))).toBe(false);
    expect(expirationsOn(D('2016-03-02'))).toEqual([{ root: 'SPXW', settlement: 'PM', kind: 'daily' }]);
    expect(isSpxwExpiry(D('2016-08-15'))).toBe(false);
    expect(expirationsOn(D('2016-08-22'))).toEqual([{ root: 'SPXW', settlement: 'PM', kind: 'daily' }]);
  });

  it('first Tuesday expiry 2022-04-26, first Thursday 2022-05-19', () => {
    expect(isSpxwExpiry(D('2022-04-19'))).toBe(false);
    expect(isSpxwExpiry(D('2022-04-26'))).toBe(true);
    expect(isSpxwExpiry(D('2022-05-12'))).toBe(false);
    expect(expirationsOn(D('2022-05-19'))).toEqual([{ root: 'SPXW', settlement: 'PM', kind: 'daily' }]);
  });

  it('a Monday holiday moves the Monday expiry to Tuesday (Labor Day 2016)', () => {
    expect(isTradingDay(D('2016-09-05'))).toBe(false);
    expect(expirationsOn(D('2016-09-06'))).toEqual([{ root: 'SPXW', settlement: 'PM', kind: 'daily' }]);
  });

  it('Good Friday weeklies move to Thursday', () => {
    expect(expirationsOn(D('2020-04-09'))).toEqual([{ root: 'SPXW', settlement: 'PM', kind: 'weekly' }]);
    expect(expirationsOn(D('2011-04-21'))).toEqual([{ root: 'SPXW', settlement: 'PM', kind: 'weekly' }]);
    // 2024: Thursday 2024-03-28 is also the last trading day of March: one SPXW expiry, kind eom.
    expect(expirationsOn(D('2024-03-28'))).toEqual([{ root: 'SPXW', settlement: 'PM', kind: 'eom' }]);
  });

  it('holiday-shifted dailies collapse into the previous day (Juneteenth 2025, Christmas 2024)', () => {
    expect(expirationsOn(D('2025-06-18'))).toEqual([{ root: 'SPXW', settlement: 'PM', kind: 'daily' }]);
    expect(expirationsOn(D('2024-12-24'))).toEqual([{ root: 'SPXW', settlement: 'PM', kind: 'daily' }]);
  });

  it('no SPXW at all before December 2010', () => {
    for (let d = D('2005-01-03'); d <= '2010-12-09'; d = fromDayNumber(toDayNumber(d) + 1)) {
      if (isSpxwExpiry(d)) throw new Error(`unexpected SPXW expiry ${d}`);
    }
    expect(isSpxwExpiry(D('2010-12-10'))).toBe(true);
  });
});

describe('next expiry, DTE, settlement', () => {
  it('nextSpxwExpiry respects minTradingDays', () => {
    expect(nextSpxwExpiry(D('2016-08-12'))).toBe('2016-08-17');
    expect(nextSpxwExpiry(D('2016-08-12'), 3)).toBe('2016-08-17');
    // 2016-08-19 was a third Friday: PM-settled then meant SPXPM, not SPXW.
    expect(nextSpxwExpiry(D('2016-08-12'), 4)).toBe('2016-08-22');
    expect(nextSpxwExpiry(D('2024-08-05'), 0)).toBe('2024-08-05');
    expect(nextSpxwExpiry(D('2024-08-03'), 0)).toBe('2024-08-05');
    expect(nextSpxwExpiry(D('2030-12-31'))).toBeUndefined();
    expect(() => nextSpxwExpiry(D('2024-08-05'), -1)).toThrow(InvalidInputError);
  });

  it('DTE in trading and calendar days', () => {
    expect(dteTradingDays(D('2024-03-28'), D('2024-04-01'))).toBe(1);
    expect(dteCalendarDays(D('2024-03-28'), D('2024-04-01'))).toBe(4);
    expect(dteTradingDays(D('2024-08-05'), D('2024-08-05'))).toBe(0);
    expect(dteTradingDays(D('2024-01-02'), D('2024-12-31'))).toBe(251);
    expect(() => dteTradingDays(D('2024-08-05'), D('2024-08-02'))).toThrow(InvalidInputError);
  });

  it('settlement instants: AM at the 09:30 open, PM at the (early) close', () => {
    expect(settlementInstantUtcMs(D('2019-04-18'), 'AM')).toBe(Date.UTC(2019, 3, 18, 13, 30));
    expect(settlementInstantUtcMs(D('2024-01-19'), 'PM')).toBe(Date.UTC(2024, 0, 19, 21, 0));
    expect(settlementInstantUtcMs(D('2019-07-03'), 'PM')).toBe(Date.UTC(2019, 6, 3, 17, 0));
    expect(settlementInstantUtcMs(D('2024-11-29'), 'PM')).toBe(Date.UTC(2024, 10, 29, 18, 0));
    expect(() => settlementInstantUtcMs(D('2019-04-19'), 'AM')).toThrow(InvalidInputError);
  });
});

describe('expirationsListedOn (listing-horizon approximation)', () => {
  it('lists dailies 4 weeks, weeklies 6 weeks, monthlies and EOM 12 months ahead', () => {
    const list = expirationsListedOn(D('2024-03-25'));
    const spxw = list.filter((e) => e.root === 'SPXW');
    expect(list[0]).toEqual({
      expiry: '2024-03-25',
      root: 'SPXW',
      settlement: 'PM',
      kind: 'daily',
      dteTrading: 0,
      dteCalendar: 0,
    });
    expect(spxw.find((e) => e.expiry === '2024-03-28')?.kind).toBe('eom');
    const dailies = spxw.filter((e) => e.kind === 'daily').map((e) => e.expiry);
    expect(dailies.at(-1)).toBe('2024-04-22');
    const weeklies = spxw.filter((e) => e.kind === 'weekly').map((e) => e.expiry);
    expect(weeklies).toEqual(['2024-04-05', '2024-04-12', '2024-04-26', '2024-05-03']);
    const am = list.filter((e) => e.root === 'SPX').map((e) => e.expiry);
    expect(am[0]).toBe('2024-04-19');
    expect(am.at(-1)).toBe('2025-03-21');
    expect(am).toHaveLength(12);
    expect(spxw.filter((e) => e.kind === 'eom').at(-1)?.expiry).toBe('2025-03-31');
    expect(list.find((e) => e.expiry === '2024-04-19' && e.root === 'SPX')).toMatchObject({
      settlement: 'AM',
      dteTrading: 18,
      dteCalendar: 25,
    });
  });

  it('does not list a series before its launch', () => {
    const before = expirationsListedOn(D('2016-02-22'));
    expect(before.some((e) => e.kind === 'daily')).toBe(false);
    expect(before.filter((e) => e.kind === 'eom').map((e) => e.expiry)).toContain('2016-08-31'); // an EOM Wednesday
    const after = expirationsListedOn(D('2016-02-23'));
    expect(after.filter((e) => e.kind === 'daily').map((e) => e.expiry)).toEqual([
      '2016-03-02',
      '2016-03-09',
      '2016-03-16',
    ]);
    expect(expirationsListedOn(D('2005-06-01')).every((e) => e.root === 'SPX')).toBe(true);
  });

  it('horizon options narrow the list', () => {
    const list = expirationsListedOn(D('2024-03-25'), {
      monthlyMonths: 1,
      eomMonths: 0,
      weeklyDays: 7,
      dailyDays: 2,
    });
    expect(list.map((e) => `${e.expiry} ${e.root} ${e.kind}`)).toEqual([
      '2024-03-25 SPXW daily',
      '2024-03-26 SPXW daily',
      '2024-03-27 SPXW daily',
      '2024-03-28 SPXW eom',
      '2024-04-19 SPX monthly',
      '2024-04-19 SPXW monthly',
    ]);
    expect(DEFAULT_LISTING_HORIZON).toEqual({
      monthlyMonths: 12,
      eomMonths: 12,
      weeklyDays: 42,
      dailyDays: 28,
    });
    expect(() => expirationsListedOn(D('2024-03-25'), { weeklyDays: -1 })).toThrow(InvalidInputError);
  });
});

describe("listedExpiryDatesOn / expirationsListedOnExpiry (the replay's lean reads of the listing)", () => {
  const horizons = fc.record({
    monthlyMonths: fc.integer({ min: 0, max: 14 }),
    eomMonths: fc.integer({ min: 0, max: 14 }),
    weeklyDays: fc.integer({ min: 0, max: 60 }),
    dailyDays: fc.integer({ min: 0, max: 40 }),
  });

  it('list the dates of expirationsListedOn once each, and its entries of one date', () => {
    fc.assert(
      fc.property(dateArb('1990-01-01', '2030-12-31'), horizons, (asOf, h) => {
        const full = expirationsListedOn(asOf, h);
        const dates = [...new Set(full.map((e) => e.expiry))];
        expect(listedExpiryDatesOn(asOf, h)).toEqual(dates);
        for (const d of dates) {
          expect(expirationsListedOnExpiry(asOf, d, h)).toEqual(full.filter((e) => e.expiry === d));
        }
        // A date that is not listed (the day before asOf, or one past the horizon) has no entries.
        const before = fromDayNumber(toDayNumber(asOf) - 1);
        if (before >= '1990-01-01') expect(expirationsListedOnExpiry(asOf, before, h)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('use the defaults and reject a bad horizon as expirationsListedOn does', () => {
    expect(listedExpiryDatesOn(D('2024-03-25'))).toEqual([
      ...new Set(expirationsListedOn(D('2024-03-25')).map((e) => e.expiry)),
    ]);
    expect(expirationsListedOnExpiry(D('2024-03-25'), D('2024-04-19'))).toEqual(
      expirationsListedOn(D('2024-03-25')).filter((e) => e.expiry === '2024-04-19'),
    );
    expect(expirationsListedOnExpiry(D('2024-03-25'), D('2026-04-17'))).toEqual([]);
    expect(() => listedExpiryDatesOn(D('2024-03-25'), { dailyDays: 1.5 })).toThrow(InvalidInputError);
    expect(() => expirationsListedOnExpiry(D('2024-03-25'), D('2024-04-19'), { eomMonths: -1 })).toThrow(
      InvalidInputError,
    );
  });
});

describe('properties', () => {
  it('every listed expiration is a trading day with consistent DTE, sorted', () => {
    fc.assert(
      fc.property(dateArb('1990-01-01', '2029-06-30'), (asOf) => {
        const list = expirationsListedOn(asOf);
        let prev = '';
        for (const e of list) {
          expect(isTradingDay(e.expiry)).toBe(true);
          expect(e.expiry >= asOf).toBe(true);
          expect(e.expiry >= prev).toBe(true);
          prev = e.expiry;
          expect(e.dteTrading).toBe(dteTradingDays(asOf, e.expiry));
          expect(e.dteCalendar).toBe(dteCalendarDays(asOf, e.expiry));
          expect(e.settlement).toBe(e.root === 'SPX' ? 'AM' : 'PM');
        }
        expect(list.filter((e) => e.root === 'SPX').length).toBeGreaterThanOrEqual(12);
      }),
      { numRuns: 300 },
    );
  });

  it('every expiry day found by isSpxwExpiry/isSpxMonthlyExpiry is a trading day', () => {
    fc.assert(
      fc.property(dateArb('1990-01-01', '2030-12-31'), (d) => {
        if (isSpxwExpiry(d) || isSpxMonthlyExpiry(d)) expect(isTradingDay(d)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('since 2022-05-19 every trading day is an SPXW expiry', () => {
    fc.assert(
      fc.property(dateArb('2022-05-19', '2030-12-31'), (d) => {
        if (isTradingDay(d)) expect(isSpxwExpiry(d)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('nextSpxwExpiry returns an expiry at least minTradingDays away', () => {
    fc.assert(
      fc.property(dateArb('2011-01-01', '2030-06-30'), fc.integer({ min: 0, max: 10 }), (d, k) => {
        const e = nextSpxwExpiry(d, k) as IsoDate;
        expect(isSpxwExpiry(e)).toBe(true);
        expect(dteTradingDays(d, e)).toBeGreaterThanOrEqual(k);
      }),
      { numRuns: 500 },
    );
  });
});
