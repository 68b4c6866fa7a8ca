import type { DatedValue, IsoDate } from '@vixshield/core';
import { describe, expect, it } from 'vitest';
import {
  DataError,
  extendSpxFromYahoo,
  extendValues,
  INDEX_EXTENSION_TOL,
  newReport,
  type SpxRow,
} from '../src/index';

const d = (s: string) => s as IsoDate;
const weekdays = (x: IsoDate) => {
  const w = new Date(`${x}T12:00:00Z`).getUTCDay();
  return w !== 0 && w !== 6;
};

describe('extendValues: the main file wins, the overlap must agree, only later days are added', () => {
  const base: DatedValue[] = [
    { date: d('2026-07-20'), value: 18.65 },
    { date: d('2026-07-21'), value: 17.05 },
  ];

  it('adds the days after the main file and records them', () => {
    const report = newReport();
    const out = extendValues(
      'vix9d',
      base,
      [
        { date: d('2026-07-21'), value: 17.05 },
        { date: d('2026-07-22'), value: 16.64 },
      ],
      'ext.csv',
      INDEX_EXTENSION_TOL,
      report,
    );
    expect(out.map((p) => p.date)).toEqual(['2026-07-20', '2026-07-21', '2026-07-22']);
    expect(report.problems).toEqual([]);
    expect(report.quirks.find((q) => q.rule === 'extended-after-main-file')!.dates).toEqual(['2026-07-22']);
  });

  it('a disagreement beyond the tolerance on a common day is a problem (data check fails); the main value stays', () => {
    const report = newReport();
    const out = extendValues(
      'vix9d',
      base,
      [{ date: d('2026-07-21'), value: 17.06 }],
      'ext.csv',
      INDEX_EXTENSION_TOL,
      report,
    );
    expect(out[1]!.value).toBe(17.05);
    expect(report.problems).toMatchObject([
      { series: 'vix9d', kind: 'extension-mismatch', dates: ['2026-07-21'] },
    ]);
  });

  it('a rounding difference within half a cent is agreement (Yahoo rounds to 2 decimals)', () => {
    const report = newReport();
    extendValues(
      'vix9d',
      [{ date: d('2026-07-21'), value: 17.054999 }],
      [{ date: d('2026-07-21'), value: 17.05 }],
      'ext.csv',
      INDEX_EXTENSION_TOL,
      report,
    );
    expect(report.problems).toEqual([]);
  });

  it('the documented VIX day is a quirk, not a problem', () => {
    const report = newReport();
    extendValues(
      'vix',
      [{ date: d('2026-02-06'), value: 17.76 }],
      [{ date: d('2026-02-06'), value: 20.37 }],
      'ext.csv',
      INDEX_EXTENSION_TOL,
      report,
    );
    expect(report.problems).toEqual([]);
    expect(report.quirks.find((q) => q.rule === 'extension-known-mismatch-main-kept')!.dates).toEqual([
      '2026-02-06',
    ]);
  });
});

describe('extendSpxFromYahoo', () => {
  const stooq: SpxRow = {
    date: d('2025-10-06'),
    open: 6700,
    high: 6750,
    low: 6690,
    close: 6740.28,
    closeOnly: false,
    source: 'stooq',
  };
  const fred: SpxRow = {
    date: d('2025-10-07'),
    open: null,
    high: null,
    low: null,
    close: 6714.59,
    closeOnly: true,
    source: 'fred',
  };
  const csv = (rows: string[]) => `date,open,high,low,close\n${rows.join('\n')}\n`;

  it('keeps Stooq, turns FRED close-only bars into OHLC bars and appends later days', () => {
    const report = newReport();
    const out = extendSpxFromYahoo(
      [stooq, fred],
      csv([
        '2025-10-06,6710.1,6750.2,6690.3,6740.28',
        '2025-10-07,6746.14,6754.49,6699.96,6714.59',
        '2025-10-08,6720,6760,6710,6753.72',
      ]),
      'y.csv',
      weekdays,
      report,
    );
    expect(out[0]).toBe(stooq);
    expect(out[1]).toEqual({
      date: '2025-10-07',
      open: 6746.14,
      high: 6754.49,
      low: 6699.96,
      close: 6714.59,
      closeOnly: false,
      source: 'yahoo',
    });
    expect(out[2]!.date).toBe('2025-10-08');
    expect(report.problems).toEqual([]);
  });

  it('a Yahoo close off FRED or Stooq by more than 0.02, or a row on a weekend, is a problem', () => {
    const report = newReport();
    extendSpxFromYahoo(
      [stooq, fred],
      csv([
        '2025-10-06,6710.1,6750.2,6690.3,6740.31',
        '2025-10-07,6746.14,6754.49,6699.96,6714.62',
        '2025-10-11,6720,6760,6710,6753.72',
      ]),
      'y.csv',
      weekdays,
      report,
    );
    expect(report.problems.map((p) => [p.kind, p.dates])).toEqual([
      ['yahoo-stooq-mismatch', ['2025-10-06']],
      ['yahoo-fred-mismatch', ['2025-10-07']],
      ['row-on-non-trading-day', ['2025-10-11']],
    ]);
  });

  it('an inconsistent OHLC row is a DataError naming file, line and field', () => {
    expect(() =>
      extendSpxFromYahoo([stooq], csv(['2025-10-08,6720,6700,6710,6753.72']), 'y.csv', weekdays, newReport()),
    ).toThrow(DataError);
    expect(() =>
      extendSpxFromYahoo([stooq], csv(['2025-10-08,6720,6700,6710,6753.72']), 'y.csv', weekdays, newReport()),
    ).toThrow(/y\.csv:2: field 'high'/);
  });
});
