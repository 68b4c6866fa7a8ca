import type { DatedValue, IsoDate } from '@vixshield/core';
import type { SeriesId } from './load-report';
import type { MarketData } from './market-data';

/** Outlier threshold: |daily log return| above this many trailing standard deviations. */
export const OUTLIER_SIGMAS = 10;
/** Trailing window (observations) for the outlier standard deviation; at least OUTLIER_MIN_OBS. */
export const OUTLIER_WINDOW = 250;
export const OUTLIER_MIN_OBS = 60;

/**
 * Gaps (trading days without a row) that are documented in data/PROVENANCE.md. Anything else is a
 * new problem. DGS3MO gaps are bond-market holidays (empty in FRED) and are all accepted: the rate is
 * forward-filled from the past.
 */
export const DOCUMENTED_GAPS: Partial<Record<SeriesId, readonly string[]>> = {
  vix: ['1991-03-01', '1997-01-31', '1997-11-26', '1999-12-31'],
  vix1y: ['2007-10-08', '2007-11-12', '2008-10-13', '2008-11-11', '2009-10-12', '2009-11-11'],
  bxm: ['2018-12-03', '2019-07-05', '2020-10-16'],
  vvix: ['2010-11-11', '2013-05-13'],
  // The Cboe file ends 2026-07-22; the Yahoo payload it is extended from has no ^VIX9D rows from
  // 2026-07-20 to 2026-08-20 (it jumps from 07-17 to 08-21): VIX9D is null on these days.
  vix9d: [
    '2026-07-23',
    '2026-07-24',
    '2026-07-27',
    '2026-07-28',
    '2026-07-29',
    '2026-07-30',
    '2026-07-31',
    '2026-08-03',
    '2026-08-04',
    '2026-08-05',
    '2026-08-06',
    '2026-08-07',
    '2026-08-10',
    '2026-08-11',
    '2026-08-12',
    '2026-08-13',
    '2026-08-14',
    '2026-08-17',
    '2026-08-18',
    '2026-08-19',
    '2026-08-20',
  ],
  skew: [
    '1998-06-30',
    '2000-09-20',
    '2000-09-21',
    '2000-09-22',
    '2000-09-25',
    '2000-09-26',
    '2000-09-27',
    '2000-09-28',
    '2000-09-29',
    '2003-10-21',
    '2003-10-28',
    '2011-02-09',
    '2017-09-14',
    '2018-12-03',
    '2019-07-05',
    '2024-11-29',
  ],
};
const ALL_GAPS_DOCUMENTED: ReadonlySet<SeriesId> = new Set(['dgs3mo']);

/**
 * Daily moves beyond OUTLIER_SIGMAS that were checked against an independent source and are real
 * (market events), keyed by series. Listed in data/PROVENANCE.md.
 */
export const DOCUMENTED_OUTLIERS: Partial<Record<SeriesId, readonly string[]>> = {
  // 2018-02-05 "Volmageddon" (VIX 37.32, SPX -4.1%); 2024-08-05 yen-carry unwind (VIX 38.57)
  vix: ['2018-02-05'],
  vix3m: ['2018-02-05'],
  vix6m: ['2018-02-05', '2024-08-05'],
  // 2017-07-03 is a known bad VIX1Y print (documented upstream quirk), 07-05 its reversal
  vix1y: ['2017-07-03', '2017-07-05'],
  // day after the 1997-10-27 mini-crash (SPX -6.9% on 10-27, +5.1% on 10-28)
  skew: ['1997-10-28'],
  // SPX moves of the same days: 2011-08-08 -6.7%, 2018-02-05 -4.1%, 2018-02-08 -3.8%, 2025-04-09 +9.5%
  bxm: ['2011-08-08', '2018-02-05', '2018-02-08', '2025-04-09'],
};

export interface Outlier {
  readonly date: IsoDate;
  readonly logReturn: number;
  readonly sigmas: number;
}

/** Days whose |log return| exceeds `sigmas` times the trailing stdev of the previous `window` returns. */
export function findOutliers(
  series: readonly DatedValue[],
  sigmas = OUTLIER_SIGMAS,
  window = OUTLIER_WINDOW,
): Outlier[] {
  const rets: number[] = [];
  const out: Outlier[] = [];
  let sum = 0;
  let sumSq = 0;
  for (let i = 1; i < series.length; i++) {
    const r = Math.log(series[i]!.value / series[i - 1]!.value);
    const n = rets.length;
    if (n >= OUTLIER_MIN_OBS) {
      const mean = sum / n;
      const sd = Math.sqrt(Math.max(sumSq / n - mean * mean, 0));
      if (sd > 0 && Math.abs(r - mean) > sigmas * sd) {
        out.push({ date: series[i]!.date, logReturn: r, sigmas: Math.abs(r - mean) / sd });
      }
    }
    rets.push(r);
    sum += r;
    sumSq += r * r;
    if (rets.length > window) {
      const old = rets.shift()!;
      sum -= old;
      sumSq -= old * old;
    }
  }
  return out;
}

export interface CheckFinding {
  readonly series: SeriesId;
  readonly check: 'ohlc-order' | 'gap' | 'duplicate' | 'out-of-order' | 'outlier' | 'loader-problem';
  readonly documented: boolean;
  readonly dates: readonly IsoDate[];
  readonly message: string;
}

export interface CheckResult {
  readonly findings: readonly CheckFinding[];
  /** True when every finding is covered by a documented quirk. */
  readonly ok: boolean;
}

function orderFindings(series: SeriesId, dates: readonly IsoDate[]): CheckFinding[] {
  const dup: IsoDate[] = [];
  const ooo: IsoDate[] = [];
  for (let i = 1; i < dates.length; i++) {
    if (dates[i] === dates[i - 1]) dup.push(dates[i]!);
    else if (dates[i]! < dates[i - 1]!) ooo.push(dates[i]!);
  }
  const f: CheckFinding[] = [];
  if (dup.length)
    f.push({ series, check: 'duplicate', documented: false, dates: dup, message: 'duplicate dates' });
  if (ooo.length)
    f.push({ series, check: 'out-of-order', documented: false, dates: ooo, message: 'dates out of order' });
  return f;
}

/** Consistency checks over loaded market data: OHLC order, gaps, duplicates, outliers, loader problems. */
export function checkMarketData(md: MarketData): CheckResult {
  const findings: CheckFinding[] = [];
  const d = md.data;
  // OHLC order (SPX bars with real OHLC; Cboe index series use closes only, see the load report)
  const badOhlc = d.spx
    .filter(
      (b) =>
        !b.closeOnly &&
        (b.high! < b.low! || b.open! > b.high! || b.open! < b.low! || b.close > b.high! || b.close < b.low!),
    )
    .map((b) => b.date);
  if (badOhlc.length) {
    findings.push({
      series: 'spx',
      check: 'ohlc-order',
      documented: false,
      dates: badOhlc,
      message: 'Low <= Open, Close <= High violated',
    });
  }
  // duplicates / order on every series
  const dated: Array<[SeriesId, readonly IsoDate[]]> = [
    ['spx', d.spx.map((x) => x.date)],
    ['spxFred', d.spxFred.map((x) => x.date)],
    ['vix', d.vix.map((x) => x.date)],
    ['vix9d', d.vix9d.map((x) => x.date)],
    ['vix3m', d.vix3m.map((x) => x.date)],
    ['vix6m', d.vix6m.map((x) => x.date)],
    ['vix1y', d.vix1y.map((x) => x.date)],
    ['vvix', d.vvix.map((x) => x.date)],
    ['skew', d.skew.map((x) => x.date)],
    ['bxm', d.bxm.map((x) => x.date)],
    ['vixFutures', d.vixFutures.map((x) => x.date)],
    ['dgs3mo', d.dgs3mo.map((x) => x.date)],
    ['dff', d.dff.map((x) => x.date)],
    ['shiller', d.shiller.map((x) => x.month)],
    ['fomc', d.fomc],
    ['cpi', d.cpi],
    ['ppi', d.ppi],
    ['payrolls', d.payrolls],
  ];
  for (const [id, ds] of dated) findings.push(...orderFindings(id, ds));
  // gaps against the trading calendar
  for (const s of md.series) {
    if (!s.gaps || s.gaps.length === 0) continue;
    const known = new Set(DOCUMENTED_GAPS[s.id] ?? []);
    const all = ALL_GAPS_DOCUMENTED.has(s.id);
    const doc = s.gaps.filter((g) => all || known.has(g));
    const undoc = s.gaps.filter((g) => !all && !known.has(g));
    if (doc.length)
      findings.push({
        series: s.id,
        check: 'gap',
        documented: true,
        dates: doc,
        message: 'documented missing trading days (value null that day)',
      });
    if (undoc.length)
      findings.push({
        series: s.id,
        check: 'gap',
        documented: false,
        dates: undoc,
        message: 'trading days without a row',
      });
  }
  // outliers on closes
  const closeSeries: Array<[SeriesId, readonly DatedValue[]]> = [
    ['spx', d.spx.map((b) => ({ date: b.date, value: b.close }))],
    ['vix', d.vix],
    ['vix9d', d.vix9d],
    ['vix3m', d.vix3m],
    ['vix6m', d.vix6m],
    ['vix1y', d.vix1y],
    ['vvix', d.vvix],
    ['skew', d.skew],
    ['bxm', d.bxm],
  ];
  for (const [id, s] of closeSeries) {
    const out = findOutliers(s);
    const known = new Set(DOCUMENTED_OUTLIERS[id] ?? []);
    const doc = out.filter((o) => known.has(o.date));
    const undoc = out.filter((o) => !known.has(o.date));
    const fmt = (os: Outlier[]) =>
      os.map((o) => `${o.date} ${(100 * o.logReturn).toFixed(1)}% (${o.sigmas.toFixed(1)} sd)`).join(', ');
    if (doc.length)
      findings.push({
        series: id,
        check: 'outlier',
        documented: true,
        dates: doc.map((o) => o.date),
        message: `verified real moves: ${fmt(doc)}`,
      });
    if (undoc.length)
      findings.push({
        series: id,
        check: 'outlier',
        documented: false,
        dates: undoc.map((o) => o.date),
        message: `|log return| > ${OUTLIER_SIGMAS} sd: ${fmt(undoc)}`,
      });
  }
  for (const p of md.loadReport.problems) {
    findings.push({
      series: p.series,
      check: 'loader-problem',
      documented: false,
      dates: p.dates,
      message: `${p.kind}: ${p.message}`,
    });
  }
  return { findings, ok: findings.every((f) => f.documented) };
}
