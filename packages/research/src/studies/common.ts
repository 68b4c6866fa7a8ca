import {
  DEFAULT_BACKTEST_FROM,
  fillModel,
  MODELLED_PRICES_DETAIL,
  marketData,
  modelErrorStatement,
  oneDayLevelNote,
  oneDayLevelPorts,
  requireDataDate,
  requireOneDayLevelScale,
  runWindowBacktest,
} from '@vixshield/app';
import {
  AS_SENTENCE,
  type BacktestResult,
  type BacktestSession,
  type BacktestSummary,
  DEFAULT_EQUITY_USD,
  formatConfigProblem,
  InvalidInputError,
  type IsoDate,
  maxDrawdown,
  mulberry32,
  type PresetName,
  quantileSorted,
  resolveConfig,
  type StepResult,
  type StrategyConfig,
  StrategyConfigError,
} from '@vixshield/core';
import type { MarketData } from '@vixshield/data';

/** Shared study plumbing: the sample window, one backtest per variant, bootstraps, verdicts. */

/** The statement of a study that reads index levels only (no option is priced). */
export const INDEX_ONLY_PRICES_STATEMENT =
  'No option prices are used: real SPX and VIX-family daily closes (and high/low where the bar is real) only.';

/** What prices a study's options (the backtest's modelled prices) and how far that model was measured from real quotes. */
export const STUDY_PRICES_STATEMENT = `Option prices are MODELLED, not real quotes: ${MODELLED_PRICES_DETAIL}. Index levels (SPX, VIX family) are real daily closes. ${modelErrorStatement()}`;

export interface StudyWindowOptions {
  from?: string;
  to?: string;
  dataDir?: string;
  /** Seed of every bootstrap (default 1). */
  seed?: number;
  /** Bootstrap resamples (default 2000). */
  iterations?: number;
  /**
   * Price 0-2 session expiries at this multiple of the model's one-day vol level (a sensitivity run,
   * ADR 0010); absent: the model's level.
   */
  oneDayLevelScale?: number;
}

export interface StudyWindow {
  readonly md: MarketData;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly seed: number;
  readonly iterations: number;
  /** Set for a sensitivity run: every variant's 1DTE options at this multiple of the one-day level. */
  readonly oneDayLevelScale?: number;
}

export function studyWindow(
  opts: StudyWindowOptions,
  defaults: { from?: string; to?: string } = {},
): StudyWindow {
  const md = marketData(opts.dataDir);
  const last = md.snapshots[md.snapshots.length - 1]!.date;
  const from = requireDataDate(md, opts.from ?? defaults.from ?? DEFAULT_BACKTEST_FROM, 'from');
  const toText = opts.to ?? defaults.to;
  // A default end (e.g. 2025-12-31) maps to the last snapshot on or before it; a user's --to is checked.
  const to =
    opts.to !== undefined
      ? requireDataDate(md, opts.to, 'to')
      : toText === undefined
        ? last
        : requireDataDate(md, lastTradingDayOnOrBefore(md, toText), 'to');
  if (to < from)
    throw new InvalidInputError(`{to} ${to} is before {from} ${from}`, 'to', 'swap from and to', AS_SENTENCE);
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(seed))
    throw new InvalidInputError(
      `{seed} '${opts.seed}' must be an integer`,
      'seed',
      'pass a whole number',
      AS_SENTENCE,
    );
  const iterations = opts.iterations ?? 2000;
  if (!(Number.isInteger(iterations) && iterations >= 100))
    throw new InvalidInputError(
      `{iterations} '${opts.iterations}' must be an integer >= 100`,
      'iterations',
      'pass a whole number >= 100',
      AS_SENTENCE,
    );
  const scale = opts.oneDayLevelScale;
  if (scale !== undefined) requireOneDayLevelScale(scale); // before any run
  return { md, from, to, seed, iterations, ...(scale !== undefined ? { oneDayLevelScale: scale } : {}) };
}

/** A default end such as 2025-12-31 (a holiday) maps to the last snapshot on or before it. */
function lastTradingDayOnOrBefore(md: MarketData, d: string): string {
  let best: string | undefined;
  for (const s of md.snapshots) {
    if (s.date <= d) best = s.date;
    else break;
  }
  return best ?? d;
}

export interface Variant {
  /** Short label shown in tables, e.g. "condor + ALVH". */
  readonly label: string;
  readonly preset: PresetName;
  /** resolveConfig overrides on top of the preset. */
  readonly overrides: Record<string, unknown>;
}

export interface VariantRun {
  readonly variant: Variant;
  readonly config: StrategyConfig;
  readonly result: BacktestResult;
  readonly summary: BacktestSummary;
  readonly elapsedMs: number;
}

export function configOf(v: Variant): StrategyConfig {
  try {
    return resolveConfig(v.preset, v.overrides);
  } catch (err) {
    if (err instanceof StrategyConfigError) {
      const lines = err.problems.map(formatConfigProblem);
      throw new InvalidInputError(
        `variant '${v.label}' has an invalid configuration:\n  ${lines.join('\n  ')}`,
        'config',
        'fix the fields named',
        AS_SENTENCE,
      );
    }
    throw err;
  }
}

/**
 * Backtests one variant over the window (the default equity, orats-like fills, the default fee
 * schedule) through the one window backtest use case, so a variant two studies share runs once.
 */
export function runVariant(
  w: StudyWindow,
  v: Variant,
  onDecision?: (s: BacktestSession, d: StepResult) => void,
  /** 'none': hide the intraday bars (every day then uses the daily-OHLC approximation or nothing). */
  bars: 'embedded' | 'none' = 'embedded',
): VariantRun {
  const config = configOf(v);
  const scale = w.oneDayLevelScale;
  const run = runWindowBacktest({
    md: w.md,
    config,
    from: w.from,
    to: w.to,
    intradayBars: bars === 'none' ? 'hidden' : 'loaded',
    fill: fillModel('orats-like'),
    initialEquityUsd: DEFAULT_EQUITY_USD,
    pricesSource: { kind: 'modelled', detail: studyPricesOf(w) },
    ...(scale !== undefined ? { ports: oneDayLevelPorts(w.md, config.entry.timeCt, scale) } : {}),
    ...(onDecision ? { onDecision: (s: BacktestSession, d: StepResult) => onDecision(s, d) } : {}),
  });
  return { variant: v, config, result: run.result, summary: run.summary, elapsedMs: run.elapsedMs };
}

// ---------------------------------------------------------------------------------------------------
// Bootstrap

export interface Interval {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  readonly level: number;
  readonly iterations: number;
  readonly seed: number;
  readonly blockLength: number;
  readonly n: number;
  /** How the interval was built, in words. */
  readonly method: string;
}

/**
 * Percentile bootstrap of any statistic of a series: `iterations` resamples of length n built from
 * circular blocks of `blockLength` consecutive indices (blockLength 1 = i.i.d.), drawn with
 * mulberry32(seed). Deterministic for a given seed. `stat` receives the resampled index list.
 * Null when n = 0.
 */
export function bootstrapStatistic(
  n: number,
  stat: (indices: Int32Array) => number,
  opts: { iterations: number; seed: number; blockLength: number; level?: number },
): { lower: number; upper: number } | null {
  if (n === 0) return null;
  const level = opts.level ?? 0.95;
  const b = Math.max(1, Math.min(opts.blockLength, n));
  const rand = mulberry32(opts.seed);
  const stats: number[] = [];
  const idx = new Int32Array(n);
  for (let it = 0; it < opts.iterations; it++) {
    let taken = 0;
    while (taken < n) {
      const start = Math.floor(rand() * n);
      for (let j = 0; j < b && taken < n; j++, taken++) idx[taken] = (start + j) % n;
    }
    const v = stat(idx);
    if (Number.isFinite(v)) stats.push(v);
  }
  if (stats.length === 0) return null;
  stats.sort((a, c) => a - c);
  return {
    lower: quantileSorted(stats, (1 - level) / 2) as number,
    upper: quantileSorted(stats, (1 + level) / 2) as number,
  };
}

/** Bootstrap interval of the mean of a series (a share when the values are 0/1). */
export function meanInterval(
  values: readonly number[],
  opts: { iterations: number; seed: number; blockLength: number },
): Interval | null {
  const n = values.length;
  if (n === 0) return null;
  const est = values.reduce((a, b) => a + b, 0) / n;
  const ci = bootstrapStatistic(
    n,
    (ix) => {
      let s = 0;
      for (let i = 0; i < ix.length; i++) s += values[ix[i] as number] as number;
      return s / n;
    },
    opts,
  );
  if (!ci) return null;
  return {
    estimate: est,
    ...ci,
    level: 0.95,
    iterations: opts.iterations,
    seed: opts.seed,
    blockLength: opts.blockLength,
    n,
    method:
      opts.blockLength > 1
        ? `circular block bootstrap of the mean, block ${opts.blockLength}, ${opts.iterations} resamples, seed ${opts.seed}`
        : `i.i.d. bootstrap of the mean, ${opts.iterations} resamples, seed ${opts.seed}`,
  };
}

/**
 * Paired block bootstrap of the drawdown reduction 1 - MDD(a) / MDD(b) from two daily return series
 * over the same days (the same resampled days for both, so the pairing is kept).
 */
export function drawdownReductionInterval(
  returnsWith: readonly number[],
  returnsWithout: readonly number[],
  opts: { iterations: number; seed: number; blockLength: number },
): Interval | null {
  const n = Math.min(returnsWith.length, returnsWithout.length);
  if (n === 0) return null;
  const mddOf = (r: readonly number[], ix: ArrayLike<number>): number => {
    let eq = 1;
    let peak = 1;
    let mdd = 0;
    for (let i = 0; i < ix.length; i++) {
      eq *= 1 + (r[ix[i] as number] as number);
      if (eq > peak) peak = eq;
      const dd = 1 - eq / peak;
      if (dd > mdd) mdd = dd;
    }
    return mdd;
  };
  const all = Array.from({ length: n }, (_, i) => i);
  const a = mddOf(returnsWith, all);
  const b = mddOf(returnsWithout, all);
  if (!(b > 0)) return null;
  const ci = bootstrapStatistic(
    n,
    (ix) => {
      const db = mddOf(returnsWithout, ix);
      return db > 0 ? 1 - mddOf(returnsWith, ix) / db : Number.NaN;
    },
    opts,
  );
  if (!ci) return null;
  return {
    estimate: 1 - a / b,
    ...ci,
    level: 0.95,
    iterations: opts.iterations,
    seed: opts.seed,
    blockLength: opts.blockLength,
    n,
    method: `paired circular block bootstrap of daily returns (block ${opts.blockLength}, ${opts.iterations} resamples, seed ${opts.seed}); statistic 1 - MDD(with) / MDD(without)`,
  };
}

export function dailyReturns(result: BacktestResult): number[] {
  const out: number[] = [];
  const eq = result.equity;
  for (let i = 1; i < eq.length; i++) {
    const prev = eq[i - 1]!.equity;
    out.push(prev > 0 ? eq[i]!.equity / prev - 1 : 0);
  }
  return out;
}

export function maxDrawdownOf(values: readonly number[]): number | null {
  return maxDrawdown(values)?.depth ?? null;
}

// ---------------------------------------------------------------------------------------------------
// Verdicts

export type Verdict = 'supported' | 'not supported' | 'inconclusive';

/** A claim about a value: a range [low, high] it should lie in, or a threshold it should exceed. */
export type ClaimTarget =
  | { readonly kind: 'range'; readonly low: number; readonly high: number }
  | { readonly kind: 'above'; readonly threshold: number };

export const MIN_SAMPLE = 30;

export function verdictRule(target: ClaimTarget, minSample = MIN_SAMPLE): string {
  const small = `inconclusive when the sample has fewer than ${minSample} observations or no interval could be built`;
  if (target.kind === 'range')
    return `supported when the point estimate lies in the claimed range [${target.low}, ${target.high}]; not supported when the whole 95% interval lies outside it; inconclusive when the estimate is outside but the interval still overlaps the range; ${small}`;
  return `supported when the whole 95% interval is above ${target.threshold}; not supported when the whole interval is at or below it; inconclusive when it straddles ${target.threshold}; ${small}`;
}

/** The verdict of a claim given the measured interval (see verdictRule for the words). */
export function verdictOf(target: ClaimTarget, ci: Interval | null, minSample = MIN_SAMPLE): Verdict {
  if (!ci || ci.n < minSample) return 'inconclusive';
  if (target.kind === 'range') {
    if (ci.upper < target.low || ci.lower > target.high) return 'not supported';
    return ci.estimate >= target.low && ci.estimate <= target.high ? 'supported' : 'inconclusive';
  }
  if (ci.lower > target.threshold) return 'supported';
  if (ci.upper <= target.threshold) return 'not supported';
  return 'inconclusive';
}

/** Combines the verdicts of a two-part claim: both must hold. */
export function bothVerdicts(a: Verdict, b: Verdict): Verdict {
  if (a === 'not supported' || b === 'not supported') return 'not supported';
  if (a === 'supported' && b === 'supported') return 'supported';
  return 'inconclusive';
}

// ---------------------------------------------------------------------------------------------------
// In-sample / out-of-sample split

/** The split date: the first trading day of the second half of the window (by calendar days). */
export function splitDate(from: IsoDate, to: IsoDate): IsoDate {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  const mid = new Date(a + Math.floor((b - a) / 2 / 86_400_000) * 86_400_000);
  return mid.toISOString().slice(0, 10) as IsoDate;
}

export interface StudyHeader {
  readonly study: string;
  readonly question: string;
  readonly sample: { readonly from: IsoDate; readonly to: IsoDate; readonly tradingDays: number };
  readonly split: { readonly inSample: string; readonly outOfSample: string; readonly rule: string };
  readonly parameters: Record<string, unknown>;
  readonly variantsTried: number;
  readonly prices: string;
  readonly seed: number;
  readonly iterations: number;
}

/** The prices statement of a study's window: the model's, or a sensitivity run's (ADR 0010). */
export function studyPricesOf(w: StudyWindow): string {
  return w.oneDayLevelScale === undefined
    ? STUDY_PRICES_STATEMENT
    : `${STUDY_PRICES_STATEMENT} This is ${oneDayLevelNote(w.oneDayLevelScale)}.`;
}

export function studyHeader(
  w: StudyWindow,
  study: string,
  question: string,
  parameters: Record<string, unknown>,
  variantsTried: number,
  /** What the study's prices are; default: the modelled-option statement (a study of index data says so). */
  prices: string = studyPricesOf(w),
): StudyHeader {
  const split = splitDate(w.from, w.to);
  return {
    study,
    question,
    sample: {
      from: w.from,
      to: w.to,
      tradingDays: w.md.snapshots.filter((s) => s.date >= w.from && s.date <= w.to).length,
    },
    split: {
      inSample: `${w.from} .. before ${split}`,
      outOfSample: `${split} .. ${w.to}`,
      rule: 'the window split in two halves by calendar date; nothing was fitted on either half (the parameters are the published ones), so the halves show stability, not a fitted model out of sample',
    },
    parameters,
    variantsTried,
    prices,
    seed: w.seed,
    iterations: w.iterations,
  };
}

export function formatHeader(h: StudyHeader): string {
  return [
    `study ${h.study}: ${h.question}`,
    `  sample         ${h.sample.from} .. ${h.sample.to} (${h.sample.tradingDays} trading days)`,
    `  halves         in-sample ${h.split.inSample}; out-of-sample ${h.split.outOfSample}`,
    `  variants tried ${h.variantsTried}`,
    `  bootstrap      ${h.iterations} resamples, seed ${h.seed}`,
    `  parameters     ${JSON.stringify(h.parameters)}`,
    `  prices         ${h.prices}`,
  ].join('\n');
}

export const pctText = (x: number | null | undefined, d = 1): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '-' : `${(100 * x).toFixed(d)}%`;

export function intervalText(ci: Interval | null, asPct = true): string {
  if (!ci) return 'no interval (empty sample)';
  const f = (x: number) => (asPct ? pctText(x) : x.toFixed(2));
  return `${f(ci.estimate)} [95% ${f(ci.lower)} .. ${f(ci.upper)}], n = ${ci.n}`;
}
