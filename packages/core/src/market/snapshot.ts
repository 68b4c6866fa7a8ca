import { addDays, daysBetween, InvalidInputError, type IsoDate, isoDate } from '../domain/index';
import { partitionPoint } from '../math/index';

/**
 * One trading day of market data as known at the daily entry (15:10 CT, after the SPX cash close):
 * the day's closes plus the inputs (rate, dividend yield, events) that were public by then.
 * Missing values are `null`; nothing is guessed or interpolated.
 */
export interface MarketSnapshot {
  readonly date: IsoDate;
  readonly spx: SpxBar;
  /** Index closes of the day (index points), `null` when the series has no row that day. */
  readonly vix: number | null;
  readonly vix9d: number | null;
  readonly vix3m: number | null;
  readonly vix6m: number | null;
  readonly vix1y: number | null;
  readonly vvix: number | null;
  readonly skew: number | null;
  /**
   * Monthly VX futures prices on this date (the embedded CFE closes to 2017; CFE daily settlements kept
   * by `data update` after that, see `vendor`), `null` when no row that day.
   */
  readonly vixFutures: VixFuturesCurve | null;
  /** Risk-free rate, `null` only before any rate source begins. */
  readonly rate: RiskFreeRate | null;
  /** S&P 500 dividend yield, `null` only before the Shiller data begins. */
  readonly dividendYield: DividendYield | null;
  readonly events: EventFlags;
}

/**
 * SPX daily bar. When `closeOnly` is true only `close` is real and open/high/low are `null`
 * (flat O=H=L=C rows in the source, or closes taken from FRED).
 */
export interface SpxBar {
  readonly open: number | null;
  readonly high: number | null;
  readonly low: number | null;
  readonly close: number;
  readonly closeOnly: boolean;
}

/** M1..M8: the 1st..8th listed monthly VX contracts by expiry; `null` = not listed / no trade. */
export interface VixFuturesCurve {
  /** The date the closes are from (always the snapshot date; futures are never carried forward). */
  readonly asOf: IsoDate;
  readonly closes: readonly [
    number | null,
    number | null,
    number | null,
    number | null,
    number | null,
    number | null,
    number | null,
    number | null,
  ];
  /** Where the prices come from, when not the embedded CFE close file (VixFuturesRow.vendor). */
  readonly vendor?: string;
}

export type RateSource = 'DGS3MO' | 'DFF';

export interface RiskFreeRate {
  /** Continuously compounded, per year (ACT/365), as a decimal (0.0235 = 2.35%). */
  readonly r: number;
  readonly source: RateSource;
  /** Date of the observation used (always strictly before the snapshot date). */
  readonly asOf: IsoDate;
  /** The published quote, in percent, before conversion. */
  readonly quotedPct: number;
}

export type DividendSource = 'Shiller' | 'Shiller, forward-filled: no dividend data after 2023-06';

export interface DividendYield {
  /** Continuously compounded dividend yield per year, as a decimal. */
  readonly q: number;
  readonly source: DividendSource;
  /** First day of the month the Dividend/SP500 observation belongs to. */
  readonly asOf: IsoDate;
  /** First day the observation is treated as known (see DIVIDEND_LAG_MONTHS). */
  readonly knownFrom: IsoDate;
}

/**
 * Event flags of the day. `true`/`false` where the event kind has data for this date;
 * `null` where it has none (see EVENT_COVERAGE) — `null` means "unknown", never "no event".
 */
export interface EventFlags {
  readonly fomc: boolean | null;
  readonly cpi: boolean | null;
  readonly ppi: boolean | null;
  readonly payrolls: boolean | null;
}

/** The kinds of scheduled release the event rule knows (M§1, R32). */
export type EventKind = EventCoverageEntry['kind'];

/**
 * A published release calendar (FOMC statement days, BLS CPI / PPI / Employment Situation days).
 * Calendars are published ahead (the Fed a year ahead, BLS each autumn for the next year), so asking
 * about a later date is not look-ahead; unscheduled moves (e.g. the 2020-03-15 FOMC cut) are not in it.
 * `null` for a kind means the calendar does not cover that date: unknown, never "no event".
 */
export interface EventCalendar {
  flagsOn(date: IsoDate): EventFlags;
}

/** Release time of each kind, New York time: BLS releases at 08:30 ET, FOMC statements at 14:00 ET. */
export const RELEASE_TIME_ET: Readonly<Record<EventKind, string>> = {
  cpi: '08:30',
  ppi: '08:30',
  payrolls: '08:30',
  fomc: '14:00',
};

/** The release dates of each kind, scheduled releases only (what was published ahead). */
export interface ScheduledReleaseDates {
  readonly fomc: readonly IsoDate[];
  readonly cpi: readonly IsoDate[];
  readonly ppi?: readonly IsoDate[];
  readonly payrolls?: readonly IsoDate[];
  /** Where each kind is known (default EVENT_COVERAGE, the embedded calendars'). */
  readonly coverage?: readonly EventCoverageEntry[];
}

/** An event calendar over release-date lists; coverage per kind from `dates.coverage`. */
export function eventCalendarOf(dates: ScheduledReleaseDates): EventCalendar {
  const fomc = new Set<string>(dates.fomc);
  const cpi = new Set<string>(dates.cpi);
  const ppi = dates.ppi ? new Set<string>(dates.ppi) : undefined;
  const payrolls = dates.payrolls ? new Set<string>(dates.payrolls) : undefined;
  const coverage = dates.coverage ?? EVENT_COVERAGE;
  return { flagsOn: (d) => eventsOn(d, fomc, cpi, ppi, payrolls, coverage) };
}

export interface EventCoverageEntry {
  readonly kind: 'fomc' | 'cpi' | 'ppi' | 'payrolls';
  /** First and last date the kind is known for, or `null` when there is no data at all. */
  readonly from: IsoDate | null;
  readonly to: IsoDate | null;
  /**
   * Windows inside [from, to] where one release date could not be sourced: every day of the window is
   * unknown (the missing release could be any of them), never "no event".
   */
  readonly unknown?: readonly { readonly from: IsoDate; readonly to: IsoDate; readonly why: string }[];
  readonly source: string;
}

/** Which event kinds the embedded data covers, and where. */
export const EVENT_COVERAGE: readonly EventCoverageEntry[] = [
  {
    kind: 'fomc',
    from: '1936-03-19' as IsoDate,
    to: '2028-01-26' as IsoDate,
    source:
      'FOMC decision dates 2015-2026 (scheduled + unscheduled) and the tentative 2027 schedule to the ' +
      'January 2028 meeting (the Fed, 2025-09-05); before 2015 the last day of each meeting ' +
      '(includes unflagged conference calls)',
  },
  {
    kind: 'cpi',
    from: '2014-12-17' as IsoDate,
    to: '2026-12-31' as IsoDate,
    source: 'BLS CPI release dates for reference months 2014-11..2026-11',
  },
  {
    kind: 'ppi',
    from: '2015-01-15' as IsoDate,
    to: '2026-12-15' as IsoDate,
    unknown: [
      {
        // between the September 2015 release (2015-10-14) and the November 2015 one (2015-12-11)
        from: '2015-10-15' as IsoDate,
        to: '2015-12-10' as IsoDate,
        why: 'the October 2015 PPI release date was not found in a checkable source',
      },
    ],
    source:
      'BLS PPI release dates for reference months 2014-12..2026-11 except 2015-10 (unknown ' +
      '2015-10-15..2015-12-10); no PPI dates before 2015-01-15 (unknown)',
  },
  {
    kind: 'payrolls',
    from: '2014-12-05' as IsoDate,
    to: '2026-10-02' as IsoDate,
    source: 'BLS Employment Situation release dates for reference months 2014-11..2026-09',
  },
];

/**
 * The coverage once a calendar of `kind` spanning release dates [first, last] is added (a user's file,
 * kept by `data update`): the kind is known from the earlier start to the later end, and an unknown
 * window the file spans is resolved by it. Pure.
 */
export function extendEventCoverage(
  base: readonly EventCoverageEntry[],
  kind: EventKind,
  added: { readonly first: IsoDate; readonly last: IsoDate; readonly source: string },
): EventCoverageEntry[] {
  if (added.last < added.first)
    throw new InvalidInputError(
      `${kind} calendar: last ${added.last} before first ${added.first}`,
      'last',
      'sort',
    );
  return base.map((e) => {
    if (e.kind !== kind) return e;
    const unknown = (e.unknown ?? []).filter((w) => !(w.from >= added.first && w.to <= added.last));
    return {
      kind,
      from: e.from === null || added.first < e.from ? added.first : e.from,
      to: e.to === null || added.last > e.to ? added.last : e.to,
      ...(unknown.length > 0 ? { unknown } : {}),
      source: `${e.source}; ${added.source} (${added.first}..${added.last})`,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Conversions
// ---------------------------------------------------------------------------------------------

/** Days to maturity of the 3-month bill used for the bond-equivalent-yield conversion. */
export const DGS3MO_TERM_DAYS = 91;

/**
 * FRED DGS3MO is a bond-equivalent yield in percent: simple interest on an ACT/365 basis over the
 * bill's ~91-day term. Continuous rate: r = ln(1 + y * 91/365) * 365/91.
 */
export function dgs3moToContinuous(yieldPct: number): number {
  const tau = DGS3MO_TERM_DAYS / 365;
  return Math.log(1 + (yieldPct / 100) * tau) / tau;
}

/**
 * FRED DFF is an overnight money-market rate in percent on an ACT/360 basis: one day accrues y/360.
 * Continuous ACT/365 rate with the same one-day growth: r = 365 * ln(1 + y/360).
 */
export function dffToContinuous(ratePct: number): number {
  return 365 * Math.log(1 + ratePct / 100 / 360);
}

/** Continuous dividend yield from a trailing-12-month dividend and a price level: q = ln(1 + D/P). */
export function dividendYieldToContinuous(dividend: number, price: number): number {
  return Math.log(1 + dividend / price);
}

/**
 * A month's Shiller Dividend/SP500 is an average over that month and is published afterwards, so it
 * is used from the first day of month m + DIVIDEND_LAG_MONTHS (m + 2: one full month after the month
 * closes). No look-ahead: the snapshot of 2019-06-03 uses the 2019-04 observation.
 */
export const DIVIDEND_LAG_MONTHS = 2;

/** DGS3MO counts as ended once DFF has observations more than this many calendar days newer. */
export const DGS3MO_LAG_DAYS = 4;

/** A rate observation older than this many calendar days is stale; the next source is tried. */
export const RATE_MAX_AGE_DAYS = 10;

/** Last month with real Shiller dividends (Dividend is 0 = missing afterwards). */
export const SHILLER_DIVIDEND_LAST_MONTH = '2023-06-01' as IsoDate;

// ---------------------------------------------------------------------------------------------
// Builder inputs
// ---------------------------------------------------------------------------------------------

export interface DatedValue {
  readonly date: IsoDate;
  readonly value: number;
}

export interface SpxInputRow extends SpxBar {
  readonly date: IsoDate;
}

export interface VixFuturesRow {
  readonly date: IsoDate;
  readonly closes: VixFuturesCurve['closes'];
  /** Where the prices come from, when not the embedded CFE close file (e.g. CFE daily settlements). */
  readonly vendor?: string;
}

export interface MonthlyDividendRow {
  /** First of month. */
  readonly month: IsoDate;
  readonly sp500: number;
  readonly dividend: number;
}

/** Everything the builder needs, each series sorted by strictly increasing date. */
export interface SnapshotInputs {
  /** Defines the snapshot days: one snapshot per SPX row. */
  readonly spx: readonly SpxInputRow[];
  readonly vix: readonly DatedValue[];
  readonly vix9d: readonly DatedValue[];
  readonly vix3m: readonly DatedValue[];
  readonly vix6m: readonly DatedValue[];
  readonly vix1y: readonly DatedValue[];
  readonly vvix: readonly DatedValue[];
  readonly skew: readonly DatedValue[];
  readonly vixFutures: readonly VixFuturesRow[];
  /** Percent quotes as published. */
  readonly dgs3mo: readonly DatedValue[];
  readonly dff: readonly DatedValue[];
  /** Monthly rows with real dividends only (zeros already removed). */
  readonly dividends: readonly MonthlyDividendRow[];
  readonly fomcDates: readonly IsoDate[];
  readonly cpiDates: readonly IsoDate[];
  readonly ppiDates?: readonly IsoDate[];
  readonly payrollsDates?: readonly IsoDate[];
  /** Where each event kind is known (default EVENT_COVERAGE; extended by stored calendars). */
  readonly eventCoverage?: readonly EventCoverageEntry[];
}

// ---------------------------------------------------------------------------------------------
// Builder helpers (pure)
// ---------------------------------------------------------------------------------------------

/** Throws unless dates are strictly increasing. */
export function assertStrictlyIncreasing(dates: readonly IsoDate[], what: string): void {
  for (let i = 1; i < dates.length; i++) {
    if ((dates[i] as string) <= (dates[i - 1] as string)) {
      throw new InvalidInputError(
        `${what}: dates not strictly increasing at ${dates[i]} (after ${dates[i - 1]})`,
        what,
        'sort the series by date and remove duplicates',
      );
    }
  }
}

/** Exact-date lookup (no carry-forward). */
export function valueOn(series: readonly DatedValue[]): (d: IsoDate) => number | null {
  const m = new Map<string, number>();
  for (const p of series) m.set(p.date, p.value);
  return (d) => m.get(d) ?? null;
}

/** Index of the last element with date < d (strictly before), or -1. Binary search. */
export function lastIndexBefore(dates: readonly { date: IsoDate }[], d: IsoDate): number {
  return partitionPoint(0, dates.length, (i) => (dates[i]!.date as string) >= d) - 1;
}

/**
 * Risk-free rate known at the snapshot date: the last DGS3MO observation dated strictly before `d`
 * (FRED publishes day t's value on the next business day), forward-filled only from the past and at
 * most RATE_MAX_AGE_DAYS old; otherwise the last DFF observation before `d` under the same rule.
 */
export function rateAt(
  d: IsoDate,
  dgs3mo: readonly DatedValue[],
  dff: readonly DatedValue[],
): RiskFreeRate | null {
  const minDate = addDays(d, -RATE_MAX_AGE_DAYS);
  const i = lastIndexBefore(dgs3mo, d);
  const g = i >= 0 ? dgs3mo[i]! : undefined;
  const j = lastIndexBefore(dff, d);
  const f = j >= 0 ? dff[j]! : undefined;
  // DGS3MO is current unless DFF (published every calendar day) is more than DGS3MO_LAG_DAYS newer,
  // which happens only after DGS3MO ends (2025-06-24 in the embedded data), never over a weekend or
  // a bond-market holiday.
  const dgsCurrent = !f || (g !== undefined && daysBetween(g.date, f.date) <= DGS3MO_LAG_DAYS);
  if (g && g.date >= minDate && dgsCurrent) {
    return { r: dgs3moToContinuous(g.value), source: 'DGS3MO', asOf: g.date, quotedPct: g.value };
  }
  if (f && f.date >= minDate) {
    return { r: dffToContinuous(f.value), source: 'DFF', asOf: f.date, quotedPct: f.value };
  }
  return null;
}

/** First day of the month `months` after the month of `monthStart`. */
export function addMonths(monthStart: IsoDate, months: number): IsoDate {
  const y = Number(monthStart.slice(0, 4));
  const m = Number(monthStart.slice(5, 7)) - 1 + months;
  const yy = y + Math.floor(m / 12);
  const mm = (((m % 12) + 12) % 12) + 1;
  return isoDate(`${String(yy).padStart(4, '0')}-${String(mm).padStart(2, '0')}-01`);
}

/** Dividend yield known at `d` (see DIVIDEND_LAG_MONTHS); forward-filled after the last real month. */
export function dividendYieldAt(d: IsoDate, rows: readonly MonthlyDividendRow[]): DividendYield | null {
  return dividendLookup(rows)(d);
}

/** Precomputes knownFrom dates once; returns the lookup used by buildSnapshots. */
export function dividendLookup(rows: readonly MonthlyDividendRow[]): (d: IsoDate) => DividendYield | null {
  const known = rows.map((r) => addMonths(r.month, DIVIDEND_LAG_MONTHS) as string);
  return (d) => {
    // the observation of month m is known from addMonths(m, lag); find the last one known by d
    const lo = partitionPoint(0, rows.length, (i) => known[i]! > d);
    if (lo === 0) return null;
    const row = rows[lo - 1]!;
    // forward-filled when the next month would already be known but has no data
    const stale = (addMonths(row.month, 1 + DIVIDEND_LAG_MONTHS) as string) <= d;
    return {
      q: dividendYieldToContinuous(row.dividend, row.sp500),
      source: stale ? 'Shiller, forward-filled: no dividend data after 2023-06' : 'Shiller',
      asOf: row.month,
      knownFrom: known[lo - 1] as IsoDate,
    };
  };
}

function covered(
  kind: EventCoverageEntry['kind'],
  d: IsoDate,
  coverage: readonly EventCoverageEntry[],
): boolean {
  for (const e of coverage) {
    if (e.kind !== kind) continue;
    if (e.from === null || e.to === null || d < e.from || d > e.to) return false;
    return !(e.unknown ?? []).some((w) => d >= w.from && d <= w.to);
  }
  return false;
}

/** Event flags of date `d`, `null` outside the coverage of each kind (or when its dates are not given). */
export function eventsOn(
  d: IsoDate,
  fomc: ReadonlySet<string>,
  cpi: ReadonlySet<string>,
  ppi?: ReadonlySet<string>,
  payrolls?: ReadonlySet<string>,
  coverage: readonly EventCoverageEntry[] = EVENT_COVERAGE,
): EventFlags {
  return {
    fomc: covered('fomc', d, coverage) ? fomc.has(d) : null,
    cpi: covered('cpi', d, coverage) ? cpi.has(d) : null,
    ppi: ppi && covered('ppi', d, coverage) ? ppi.has(d) : null,
    payrolls: payrolls && covered('payrolls', d, coverage) ? payrolls.has(d) : null,
  };
}

/**
 * Builds one snapshot per SPX row. Pure: the snapshot of day d reads only values dated d (closes,
 * futures) or strictly before d (rates), or known by d (dividends, published event calendars).
 */
export function buildSnapshots(input: SnapshotInputs): MarketSnapshot[] {
  const named: Array<[string, readonly { date: IsoDate }[]]> = [
    ['spx', input.spx],
    ['vix', input.vix],
    ['vix9d', input.vix9d],
    ['vix3m', input.vix3m],
    ['vix6m', input.vix6m],
    ['vix1y', input.vix1y],
    ['vvix', input.vvix],
    ['skew', input.skew],
    ['vixFutures', input.vixFutures],
    ['dgs3mo', input.dgs3mo],
    ['dff', input.dff],
  ];
  for (const [name, s] of named)
    assertStrictlyIncreasing(
      s.map((x) => x.date),
      name,
    );
  const vix = valueOn(input.vix);
  const vix9d = valueOn(input.vix9d);
  const vix3m = valueOn(input.vix3m);
  const vix6m = valueOn(input.vix6m);
  const vix1y = valueOn(input.vix1y);
  const vvix = valueOn(input.vvix);
  const skew = valueOn(input.skew);
  const fut = new Map<string, VixFuturesRow>();
  for (const f of input.vixFutures) fut.set(f.date, f);
  const fomc = new Set<string>(input.fomcDates);
  const cpi = new Set<string>(input.cpiDates);
  const ppi = input.ppiDates ? new Set<string>(input.ppiDates) : undefined;
  const payrolls = input.payrollsDates ? new Set<string>(input.payrollsDates) : undefined;
  const coverage = input.eventCoverage ?? EVENT_COVERAGE;
  const dividendAt = dividendLookup(input.dividends);

  return input.spx.map((bar): MarketSnapshot => {
    const d = bar.date;
    const f = fut.get(d);
    return {
      date: d,
      spx: { open: bar.open, high: bar.high, low: bar.low, close: bar.close, closeOnly: bar.closeOnly },
      vix: vix(d),
      vix9d: vix9d(d),
      vix3m: vix3m(d),
      vix6m: vix6m(d),
      vix1y: vix1y(d),
      vvix: vvix(d),
      skew: skew(d),
      vixFutures: f ? { asOf: f.date, closes: f.closes, ...(f.vendor ? { vendor: f.vendor } : {}) } : null,
      rate: rateAt(d, input.dgs3mo, input.dff),
      dividendYield: dividendAt(d),
      events: eventsOn(d, fomc, cpi, ppi, payrolls, coverage),
    };
  });
}

/** Binary-search lookup of a snapshot by date. */
export function snapshotOn(snapshots: readonly MarketSnapshot[], d: IsoDate): MarketSnapshot | undefined {
  const i = lastIndexBefore(snapshots, d) + 1;
  const s = snapshots[i];
  return s && s.date === d ? s : undefined;
}
