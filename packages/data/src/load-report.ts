import type { IsoDate } from '@vixshield/core';

/** Identifiers of the series the loaders know. */
export const SERIES_IDS = [
  'spx',
  'spxFred',
  'vix',
  'vix1d',
  'vix9d',
  'vix3m',
  'vix6m',
  'vix1y',
  'vvix',
  'skew',
  'bxm',
  'vixFutures',
  'dgs3mo',
  'dff',
  'shiller',
  'fomc',
  'cpi',
  'ppi',
  'payrolls',
] as const;
export type SeriesId = (typeof SERIES_IDS)[number];

/** A documented quirk rule that the loader applied, with the dates it touched. */
export interface QuirkApplied {
  readonly series: SeriesId;
  readonly rule: string;
  readonly dates: readonly IsoDate[];
  readonly note: string;
}

/** An anomaly not covered by a documented rule: handled visibly, and `data check` fails on it. */
export interface Problem {
  readonly series: SeriesId;
  readonly kind: string;
  readonly dates: readonly IsoDate[];
  readonly message: string;
}

export interface LoadReport {
  readonly quirks: QuirkApplied[];
  readonly problems: Problem[];
}

export function newReport(): LoadReport {
  return { quirks: [], problems: [] };
}

/** Records a quirk; rules that touched no date are recorded too (so the report lists every rule run). */
export function recordQuirk(
  report: LoadReport,
  series: SeriesId,
  rule: string,
  dates: readonly IsoDate[],
  note: string,
): void {
  report.quirks.push({ series, rule, dates: [...dates], note });
}

export function recordProblem(
  report: LoadReport,
  series: SeriesId,
  kind: string,
  dates: readonly IsoDate[],
  message: string,
): void {
  if (dates.length > 0) report.problems.push({ series, kind, dates: [...dates], message });
}

/** Port: whether the exchange (NYSE/Cboe) had a regular session on date `d`. */
export type IsTradingDay = (d: IsoDate) => boolean;
