import { daysBetween, type IsoDate } from '../../domain/index';

/** A dated index level (any index: a replication or the published one). */
export interface DatedLevel {
  readonly date: IsoDate;
  readonly level: number;
}

export interface YearComparison {
  readonly year: number;
  /** Simple returns over the year (or its part in the window), decimals. */
  readonly replicated: number;
  readonly reference: number;
  readonly difference: number;
}

export interface IndexComparison {
  readonly from: IsoDate;
  readonly to: IsoDate;
  /** Days present in both series (the comparison uses only these). */
  readonly commonDays: number;
  readonly months: number;
  /** Pearson correlation of calendar-month returns (month-end levels on common days). */
  readonly monthlyCorrelation: number;
  /** Pearson correlation of daily returns between consecutive common days. */
  readonly dailyCorrelation: number;
  /** Annualised (geometric, 365.25-day years) returns and their difference replicated - reference. */
  readonly annualisedReplicated: number;
  readonly annualisedReference: number;
  readonly annualisedDifference: number;
  /** Standard deviation of monthly return differences x sqrt(12). */
  readonly trackingError: number;
  readonly years: readonly YearComparison[];
}

export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = Math.min(x.length, y.length);
  if (n < 2) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i]! - mx;
    const b = y[i]! - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function sampleStdev(x: readonly number[]): number {
  if (x.length < 2) return Number.NaN;
  const m = x.reduce((s, v) => s + v, 0) / x.length;
  return Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
}

/** Last common level of each calendar month (and of each year), in date order. */
function periodEnds(rows: ReadonlyArray<{ date: IsoDate; a: number; b: number }>, keyLen: number) {
  const out: Array<{ key: string; a: number; b: number }> = [];
  for (const r of rows) {
    const key = r.date.slice(0, keyLen);
    const last = out[out.length - 1];
    if (last && last.key === key) {
      last.a = r.a;
      last.b = r.b;
    } else out.push({ key, a: r.a, b: r.b });
  }
  return out;
}

/**
 * Compares a replicated index with a reference (e.g. the published BXM) on the days both have. Returns
 * between period ends; the first period's return starts at the first common day.
 */
export function compareIndexSeries(
  replicated: readonly DatedLevel[],
  reference: readonly DatedLevel[],
): IndexComparison {
  const ref = new Map(reference.map((r) => [r.date, r.level]));
  const rows = replicated
    .filter((r) => ref.has(r.date))
    .map((r) => ({ date: r.date, a: r.level, b: ref.get(r.date)! }));
  if (rows.length < 2) throw new RangeError('fewer than two common days to compare');
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  const ret = (p: Array<{ a: number; b: number }>) => {
    const ra: number[] = [];
    const rb: number[] = [];
    for (let i = 1; i < p.length; i++) {
      ra.push(p[i]!.a / p[i - 1]!.a - 1);
      rb.push(p[i]!.b / p[i - 1]!.b - 1);
    }
    return { ra, rb };
  };
  const months = [{ key: 'start', a: first.a, b: first.b }, ...periodEnds(rows, 7)];
  const m = ret(months);
  const daily = ret(rows);
  const years = [{ key: 'start', a: first.a, b: first.b }, ...periodEnds(rows, 4)];
  const yearRows: YearComparison[] = [];
  for (let i = 1; i < years.length; i++) {
    const replicatedR = years[i]!.a / years[i - 1]!.a - 1;
    const referenceR = years[i]!.b / years[i - 1]!.b - 1;
    yearRows.push({
      year: Number(years[i]!.key),
      replicated: replicatedR,
      reference: referenceR,
      difference: replicatedR - referenceR,
    });
  }
  const yearsSpan = daysBetween(first.date, last.date) / 365.25;
  const annA = (last.a / first.a) ** (1 / yearsSpan) - 1;
  const annB = (last.b / first.b) ** (1 / yearsSpan) - 1;
  return {
    from: first.date,
    to: last.date,
    commonDays: rows.length,
    months: m.ra.length,
    monthlyCorrelation: pearson(m.ra, m.rb),
    dailyCorrelation: pearson(daily.ra, daily.rb),
    annualisedReplicated: annA,
    annualisedReference: annB,
    annualisedDifference: annA - annB,
    trackingError: sampleStdev(m.ra.map((v, i) => v - m.rb[i]!)) * Math.sqrt(12),
    years: yearRows,
  };
}

/** One calendar month of an index series: its last level and the return since the previous month's last level. */
export interface MonthlyPoint {
  /** 'YYYY-MM'. */
  readonly month: string;
  readonly date: IsoDate;
  readonly level: number;
  /** Simple return since the previous month end (null for the first month, which has no start). */
  readonly return: number | null;
}

/** Month-end levels and calendar-month returns of a dated series (ascending dates). */
export function monthlySeries(levels: readonly DatedLevel[]): MonthlyPoint[] {
  const ends: Array<{ month: string; date: IsoDate; level: number }> = [];
  for (const l of levels) {
    const month = l.date.slice(0, 7);
    const last = ends[ends.length - 1];
    if (last && last.month === month) {
      last.date = l.date;
      last.level = l.level;
    } else ends.push({ month, date: l.date, level: l.level });
  }
  return ends.map((e, i) => ({ ...e, return: i === 0 ? null : e.level / ends[i - 1]!.level - 1 }));
}
