import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fromDayNumber,
  InvalidInputError,
  type IsoDate,
  isoDate,
  isTradingDay,
  MINUTES_PER_YEAR,
  nextTradingDay,
  session,
  sessionFractionRemaining,
  toDayNumber,
  utcMsToZoned,
  yearFraction,
} from '../../src/index';

const D = (s: string): IsoDate => isoDate(s);
const tradingDateArb = fc
  .integer({ min: toDayNumber(D('1990-01-02')), max: toDayNumber(D('2030-12-20')) })
  .map((n) => fromDayNumber(n))
  .filter((d) => isTradingDay(d));

describe('session', () => {
  it('regular day in winter and summer', () => {
    expect(session(D('2024-01-16'))).toEqual({
      date: '2024-01-16',
      openEt: '09:30',
      closeEt: '16:00',
      earlyClose: false,
      openUtcMs: Date.UTC(2024, 0, 16, 14, 30),
      closeUtcMs: Date.UTC(2024, 0, 16, 21, 0),
    });
    expect(session(D('2024-07-16')).openUtcMs).toBe(Date.UTC(2024, 6, 16, 13, 30));
  });

  it('early close on the day after Thanksgiving 2023', () => {
    const s = session(D('2023-11-24'));
    expect(s.earlyClose).toBe(true);
    expect(s.closeUtcMs).toBe(Date.UTC(2023, 10, 24, 18, 0));
  });

  it('throws on a closed day', () => {
    expect(() => session(D('2025-01-09'))).toThrow(InvalidInputError);
    expect(() => session(D('2024-08-04'))).toThrow(InvalidInputError);
  });

  it('open < close, sessions never overlap, and the times read back in New York', () => {
    fc.assert(
      fc.property(tradingDateArb, (d) => {
        const s = session(d);
        expect(s.openUtcMs).toBeLessThan(s.closeUtcMs);
        const minutes = (s.closeUtcMs - s.openUtcMs) / 60_000;
        expect(minutes).toBe(s.closeEt === '16:00' ? 390 : s.closeEt === '13:00' ? 210 : 270);
        expect(utcMsToZoned(s.openUtcMs, 'America/New_York')).toMatchObject({ date: d, hhmm: '09:30' });
        expect(utcMsToZoned(s.closeUtcMs, 'America/New_York')).toMatchObject({ date: d, hhmm: s.closeEt });
        const next = session(nextTradingDay(d));
        expect(s.closeUtcMs).toBeLessThan(next.openUtcMs);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('sessionFractionRemaining (the business time left in the quote day)', () => {
  it('1 before the open, the share of 390 minutes during the session, 0 after the close', () => {
    const d = D('2024-01-16');
    expect(sessionFractionRemaining(d, Date.UTC(2024, 0, 16, 12, 0))).toBe(1);
    // 15:45 ET = 20:45 UTC in January: 15 of 390 minutes left
    expect(sessionFractionRemaining(d, Date.UTC(2024, 0, 16, 20, 45))).toBeCloseTo(15 / 390, 15);
    // 16:10 ET, the 15:10 CT entry: the session is over
    expect(sessionFractionRemaining(d, Date.UTC(2024, 0, 16, 21, 10))).toBe(0);
  });

  it('an early-close day is one whole session: half of its 210 minutes left at 11:15 ET', () => {
    expect(sessionFractionRemaining(D('2023-11-24'), Date.UTC(2023, 10, 24, 16, 15))).toBeCloseTo(0.5, 15);
  });
});

describe('yearFraction (calendar minutes / 525,600)', () => {
  it('one 365-day year is 1; one trading session is 390/525600', () => {
    expect(MINUTES_PER_YEAR).toBe(525_600);
    expect(yearFraction(0, 365 * 86_400_000)).toBe(1);
    const s = session(D('2024-08-05'));
    expect(yearFraction(s.openUtcMs, s.closeUtcMs)).toBeCloseTo(390 / 525_600, 15);
    expect(yearFraction(s.closeUtcMs, s.openUtcMs)).toBeCloseTo(-390 / 525_600, 15);
  });

  it('is additive and antisymmetric', () => {
    const ms = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2030, 11, 31) });
    fc.assert(
      fc.property(ms, ms, ms, (a, b, c) => {
        expect(yearFraction(a, b) + yearFraction(b, c)).toBeCloseTo(yearFraction(a, c), 12);
        expect(yearFraction(a, b) + yearFraction(b, a)).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects non-finite instants', () => {
    expect(() => yearFraction(Number.NaN, 0)).toThrow(InvalidInputError);
    expect(() => yearFraction(0, Number.POSITIVE_INFINITY)).toThrow(InvalidInputError);
  });
});
