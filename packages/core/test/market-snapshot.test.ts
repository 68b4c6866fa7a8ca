import { describe, expect, it } from 'vitest';
import {
  addMonths,
  buildSnapshots,
  type DatedValue,
  DIVIDEND_LAG_MONTHS,
  dffToContinuous,
  dgs3moToContinuous,
  dividendYieldAt,
  EVENT_COVERAGE,
  eventsOn,
  extendEventCoverage,
  InvalidInputError,
  type IsoDate,
  rateAt,
  type SnapshotInputs,
  snapshotOn,
} from '../src/index';

const d = (s: string) => s as IsoDate;
const v = (date: string, value: number): DatedValue => ({ date: d(date), value });

describe('rate conversions', () => {
  it('DGS3MO bond-equivalent yield -> continuous: r = ln(1 + y*91/365)*365/91', () => {
    expect(dgs3moToContinuous(2.35)).toBeCloseTo(0.023431, 6);
    expect(dgs3moToContinuous(5.29)).toBeCloseTo(Math.log(1 + 0.0529 * (91 / 365)) * (365 / 91), 14);
    expect(dgs3moToContinuous(0)).toBe(0);
    // continuous is below the simple BEY for positive rates
    expect(dgs3moToContinuous(5)).toBeLessThan(0.05);
  });

  it('DFF ACT/360 overnight -> continuous ACT/365: r = 365*ln(1 + y/360)', () => {
    expect(dffToContinuous(4.33)).toBeCloseTo(365 * Math.log(1 + 0.0433 / 360), 14);
    // about y*365/360: above the quoted rate
    expect(dffToContinuous(4.33)).toBeGreaterThan(0.0433);
    expect(dffToContinuous(4.33)).toBeLessThan(0.044);
  });
});

describe('rateAt', () => {
  const dgs = [v('2025-06-20', 4.4), v('2025-06-23', 4.38), v('2025-06-24', 4.38)];
  const dff = [
    v('2025-06-21', 4.33),
    v('2025-06-22', 4.33),
    v('2025-06-23', 4.33),
    v('2025-06-24', 4.33),
    v('2025-06-27', 4.33),
    v('2025-06-30', 4.33),
  ];

  it('uses the last DGS3MO observation strictly before the date (never the same day)', () => {
    const r = rateAt(d('2025-06-24'), dgs, dff)!;
    expect(r.source).toBe('DGS3MO');
    expect(r.asOf).toBe('2025-06-23');
  });

  it('switches to DFF once DGS3MO has ended', () => {
    expect(rateAt(d('2025-06-25'), dgs, dff)!.source).toBe('DGS3MO');
    const r = rateAt(d('2025-07-01'), dgs, dff)!;
    expect(r.source).toBe('DFF');
    expect(r.asOf).toBe('2025-06-30');
    expect(r.r).toBeCloseTo(dffToContinuous(4.33), 14);
  });

  it('returns null when nothing is known before the date', () => {
    expect(rateAt(d('2025-06-20'), dgs, [])).toBeNull();
  });
});

describe('dividend yield lag', () => {
  const rows = [
    { month: d('2023-05-01'), sp500: 4146.17, dividend: 68.54 },
    { month: d('2023-06-01'), sp500: 4345.37, dividend: 68.71 },
  ];
  it(`a month's Dividend/SP500 is known from the 1st of month + ${DIVIDEND_LAG_MONTHS}`, () => {
    expect(dividendYieldAt(d('2023-06-30'), rows)).toBeNull();
    const a = dividendYieldAt(d('2023-07-03'), rows)!;
    expect(a.asOf).toBe('2023-05-01');
    expect(a.knownFrom).toBe('2023-07-01');
    expect(a.q).toBeCloseTo(Math.log(1 + 68.54 / 4146.17), 14);
    expect(a.source).toBe('Shiller');
    expect(dividendYieldAt(d('2023-08-01'), rows)!.asOf).toBe('2023-06-01');
  });
  it('is forward-filled after the last month and says so', () => {
    const a = dividendYieldAt(d('2024-08-05'), rows)!;
    expect(a.asOf).toBe('2023-06-01');
    expect(a.source).toBe('Shiller, forward-filled: no dividend data after 2023-06');
  });
  it('addMonths rolls years', () => {
    expect(addMonths(d('2023-11-01'), 2)).toBe('2024-01-01');
    expect(addMonths(d('2024-01-01'), -1)).toBe('2023-12-01');
  });
});

describe('events', () => {
  it('flags are null outside coverage and for kinds without data', () => {
    const fomc = new Set(['2024-09-18']);
    const cpi = new Set(['2024-09-11']);
    expect(eventsOn(d('2024-09-18'), fomc, cpi)).toEqual({
      fomc: true,
      cpi: false,
      ppi: null,
      payrolls: null,
    });
    // CPI is covered from the 2014-11 release (2014-12-17): before it, unknown
    expect(eventsOn(d('2014-06-12'), fomc, cpi).cpi).toBeNull();
    // PPI is covered from 2015-01-15: a 2014 day is unknown even with a PPI list given
    const ppi = new Set(['2014-12-12', '2016-03-15']);
    expect(eventsOn(d('2014-12-12'), fomc, cpi, ppi, new Set()).ppi).toBeNull();
    expect(eventsOn(d('2016-03-15'), fomc, cpi, ppi, new Set()).ppi).toBe(true);
    expect(eventsOn(d('2016-03-16'), fomc, cpi, ppi, new Set()).ppi).toBe(false);
    // inside a window whose release could not be sourced (October 2015 PPI), every day is unknown,
    // including days the list does not name: it is not "no event"
    expect(eventsOn(d('2015-10-15'), fomc, cpi, ppi, new Set()).ppi).toBeNull();
    expect(eventsOn(d('2015-11-13'), fomc, cpi, ppi, new Set()).ppi).toBeNull();
    expect(eventsOn(d('2015-12-10'), fomc, cpi, ppi, new Set()).ppi).toBeNull();
    expect(eventsOn(d('2015-12-11'), fomc, cpi, ppi, new Set()).ppi).toBe(false);
    expect(eventsOn(d('2024-09-12'), fomc, cpi, new Set(['2024-09-12']), new Set()).ppi).toBe(true);
    expect(eventsOn(d('2024-09-06'), fomc, cpi, new Set(), new Set(['2024-09-06'])).payrolls).toBe(true);
    expect(EVENT_COVERAGE.find((e) => e.kind === 'ppi')!.from).toBe('2015-01-15');
    expect(EVENT_COVERAGE.find((e) => e.kind === 'ppi')!.unknown).toEqual([
      expect.objectContaining({ from: '2015-10-15', to: '2015-12-10' }),
    ]);
    expect(EVENT_COVERAGE.find((e) => e.kind === 'payrolls')!.from).toBe('2014-12-05');
  });

  it('extendEventCoverage: a stored calendar extends its kind to its last release and resolves the unknown window it spans', () => {
    const fomc = new Set<string>();
    const cpi = new Set<string>();
    const payrolls = new Set(['2026-12-04']);
    // embedded payrolls end with the 2026-10-02 release: 2026-12-04 is unknown
    expect(eventsOn(d('2026-12-04'), fomc, cpi, new Set(), payrolls).payrolls).toBeNull();
    const ext = extendEventCoverage(EVENT_COVERAGE, 'payrolls', {
      first: d('2026-09-04'),
      last: d('2026-12-04'),
      source: 'test file',
    });
    const p = ext.find((e) => e.kind === 'payrolls')!;
    expect([p.from, p.to]).toEqual(['2014-12-05', '2026-12-04']);
    expect(p.source).toMatch(/; test file \(2026-09-04\.\.2026-12-04\)$/);
    expect(eventsOn(d('2026-12-04'), fomc, cpi, new Set(), payrolls, ext).payrolls).toBe(true);
    expect(eventsOn(d('2026-12-03'), fomc, cpi, new Set(), payrolls, ext).payrolls).toBe(false);
    expect(eventsOn(d('2026-12-07'), fomc, cpi, new Set(), payrolls, ext).payrolls).toBeNull();
    // the other kinds are the same objects
    expect(ext.find((e) => e.kind === 'cpi')).toBe(EVENT_COVERAGE.find((e) => e.kind === 'cpi'));
    // a PPI file spanning 2015 resolves the October 2015 window; one that does not keeps it
    const spans = extendEventCoverage(EVENT_COVERAGE, 'ppi', {
      first: d('2015-01-15'),
      last: d('2016-01-15'),
      source: 'x',
    });
    expect(spans.find((e) => e.kind === 'ppi')!.unknown).toBeUndefined();
    const later = extendEventCoverage(EVENT_COVERAGE, 'ppi', {
      first: d('2020-01-15'),
      last: d('2027-01-15'),
      source: 'x',
    });
    expect(later.find((e) => e.kind === 'ppi')!.unknown).toHaveLength(1);
    expect(later.find((e) => e.kind === 'ppi')!.to).toBe('2027-01-15');
    expect(() =>
      extendEventCoverage(EVENT_COVERAGE, 'cpi', {
        first: d('2027-01-01'),
        last: d('2026-01-01'),
        source: 'x',
      }),
    ).toThrow(InvalidInputError);
  });
});

describe('buildSnapshots', () => {
  const base: SnapshotInputs = {
    spx: [
      { date: d('2024-08-02'), open: 5376.63, high: 5383.89, low: 5302.03, close: 5346.56, closeOnly: false },
      { date: d('2024-08-05'), open: 5151.14, high: 5250.89, low: 5119.26, close: 5186.33, closeOnly: false },
    ],
    vix: [v('2024-08-02', 23.39), v('2024-08-05', 38.57)],
    vix9d: [v('2024-08-05', 42.79)],
    vix3m: [],
    vix6m: [],
    vix1y: [],
    vvix: [],
    skew: [],
    vixFutures: [],
    dgs3mo: [v('2024-08-01', 5.3), v('2024-08-02', 5.29)],
    dff: [],
    dividends: [],
    fomcDates: [],
    cpiDates: [],
  };
  it('one snapshot per SPX row, exact-date closes, null when absent', () => {
    const s = buildSnapshots(base);
    expect(s.map((x) => x.date)).toEqual(['2024-08-02', '2024-08-05']);
    expect(s[1]!.vix).toBe(38.57);
    expect(s[0]!.vix9d).toBeNull();
    expect(s[1]!.rate!.asOf).toBe('2024-08-02');
    expect(s[0]!.rate!.asOf).toBe('2024-08-01');
    expect(s[1]!.dividendYield).toBeNull();
    expect(snapshotOn(s, d('2024-08-05'))!.spx.close).toBe(5186.33);
    expect(snapshotOn(s, d('2024-08-03'))).toBeUndefined();
  });
  it('VX rows: exact date only, the vendor of a row kept with its prices', () => {
    const closes = [16.5, 17.1, 17.6, null, null, null, null, null] as const;
    const s = buildSnapshots({
      ...base,
      vixFutures: [{ date: d('2024-08-05'), closes, vendor: 'CFE daily settlement (data update)' }],
    });
    expect(s[0]!.vixFutures).toBeNull(); // never carried from another day
    expect(s[1]!.vixFutures).toEqual({
      asOf: '2024-08-05',
      closes,
      vendor: 'CFE daily settlement (data update)',
    });
    const embedded = buildSnapshots({ ...base, vixFutures: [{ date: d('2024-08-05'), closes }] });
    expect(embedded[1]!.vixFutures).toEqual({ asOf: '2024-08-05', closes });
  });
  it('rejects unsorted input', () => {
    expect(() => buildSnapshots({ ...base, vix: [v('2024-08-05', 1), v('2024-08-02', 2)] })).toThrow(
      InvalidInputError,
    );
  });
});
