import { type IsoDate, isTradingDay, weekdayOf } from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import { DataError, loadReleaseDates } from '../src/index';
import { embedded } from './helpers/load';

/**
 * Issue 15 case 1: the PPI and Employment Situation (payrolls) release calendars, 2015-2026. The dates
 * were compiled from BLS schedules (data/PROVENANCE.md); these checks are the independent ones: the
 * schedule rules BLS follows, and the known exceptions by name.
 */
describe('BLS release calendars (issue 15 case 1)', () => {
  const md = embedded();
  const byYear = (ds: readonly IsoDate[], y: number) => ds.filter((d) => d.startsWith(`${y}-`));

  it('payrolls: 12 releases a year 2015-2024, 11 in 2025 (October 2025 cancelled in the shutdown)', () => {
    for (let y = 2015; y <= 2024; y++) expect(byYear(md.data.payrolls, y)).toHaveLength(12);
    expect(byYear(md.data.payrolls, 2025)).toHaveLength(11);
    expect(md.data.payrolls).toContain('2025-11-20'); // September 2025, delayed
    expect(md.data.payrolls).toContain('2025-12-16'); // October + November 2025
  });

  it('payrolls: a Friday in the first or second week, except the known schedule moves', () => {
    const known = new Set([
      // Thursday before the 3/4 July holiday
      '2015-07-02',
      '2020-07-02',
      '2025-07-03',
      '2026-07-02',
      // the 2025-2026 shutdowns
      '2025-11-20',
      '2025-12-16',
      '2026-02-11',
    ]);
    for (const d of md.data.payrolls) {
      if (known.has(d)) continue;
      expect(weekdayOf(d), d).toBe(5);
      expect(Number(d.slice(8)), d).toBeLessThanOrEqual(10);
    }
  });

  it('payrolls on a market closure are kept: BLS published on Good Friday 2015, 2021 and 2023', () => {
    for (const d of ['2015-04-03', '2021-04-02', '2023-04-07'] as IsoDate[]) {
      expect(md.data.payrolls).toContain(d);
      expect(isTradingDay(d)).toBe(false);
    }
  });

  it('PPI: one release a month 2018-2024, mid-month on a weekday', () => {
    for (let y = 2018; y <= 2024; y++) expect(byYear(md.data.ppi, y)).toHaveLength(12);
    for (const d of md.data.ppi.filter((x) => x < '2025-10-01')) {
      expect(weekdayOf(d), d).toBeGreaterThanOrEqual(1);
      expect(weekdayOf(d), d).toBeLessThanOrEqual(5);
      const day = Number(d.slice(8));
      expect(day, d).toBeGreaterThanOrEqual(8);
      expect(day, d).toBeLessThanOrEqual(20);
    }
  });

  it('PPI 2015-2017: one release a month except October 2015 (unsourced), mid-month, on a weekday, never on a closure', () => {
    expect(byYear(md.data.ppi, 2015)).toHaveLength(11); // the October 2015 release is unknown
    expect(byYear(md.data.ppi, 2016)).toHaveLength(12);
    expect(byYear(md.data.ppi, 2017)).toHaveLength(12);
    const early = md.data.ppi.filter((x) => x < '2018-01-01');
    expect(early[0]).toBe('2015-01-15');
    for (const d of early) {
      expect(weekdayOf(d), d).toBeGreaterThanOrEqual(1);
      expect(weekdayOf(d), d).toBeLessThanOrEqual(5);
      expect(isTradingDay(d), d).toBe(true);
      const day = Number(d.slice(8));
      expect(day, d).toBeGreaterThanOrEqual(8);
      expect(day, d).toBeLessThanOrEqual(20);
    }
    // no release in November 2015: the month the October 2015 figure came out in is not sourced
    expect(byYear(md.data.ppi, 2015).some((d) => d.startsWith('2015-11-'))).toBe(false);
    // releases named by BLS's own embargo lines (data/PROVENANCE.md), one per year and a moved one
    for (const d of ['2015-02-18', '2016-09-15', '2017-04-13', '2017-12-12'] as IsoDate[])
      expect(md.data.ppi).toContain(d);
  });

  it('the 2023-11-14 CPI and 2023-11-15 PPI releases are both in the calendars', () => {
    expect(md.data.cpi).toContain('2023-11-14');
    expect(md.data.ppi).toContain('2023-11-15');
  });

  it('a release dated in its own reference month is refused with file, line and fix', () => {
    const bad = 'reference_month,release_date\n2024-01,2024-02-16\n2024-03,2024-03-14\n';
    expect(() => loadReleaseDates(bad, 'ppi.csv', 'PPI')).toThrow(DataError);
    expect(() => loadReleaseDates(bad, 'ppi.csv', 'PPI')).toThrow(/ppi\.csv.*3|line 3/);
  });
});
