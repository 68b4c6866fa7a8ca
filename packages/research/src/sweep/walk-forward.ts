import {
  AS_SENTENCE,
  addDays,
  compound,
  daysBetween,
  daysInMonth,
  InvalidInputError,
  type IsoDate,
  maxDrawdown,
  mean,
  type PresetName,
  sampleStdev,
} from '@vixshield/core';
import { STUDY_PRICES_STATEMENT } from '../studies/common';
import { dataVersion, type SweepJob, type SweepJobResult } from './job';
import { type SweepPbo, sweepPbo } from './pbo';
import type { SweepParam } from './space';
import { overfittingOf, runJobs, runOptionsOf, type SweepOptions, type SweepRow, sweepSetup } from './sweep';

/**
 * Walk-forward analysis over a sweep's space: rolling train and test windows; in each fold the
 * configuration with the best objective on the train window is chosen and then evaluated on the test
 * window that follows it. A (configuration, window) pair is one sweep job (cached by a key that
 * includes the window), so a rerun or a longer range reuses every job already computed.
 */

// ---------------------------------------------------------------------------------------------------
// Windows

export interface WalkForwardSpec {
  readonly trainMonths: number;
  readonly testMonths: number;
  readonly stepMonths: number;
  /** As given, e.g. "3y:1y, step 1y". */
  readonly text: string;
}

/** A window of trading days, both ends inclusive. */
export interface DayWindow {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly tradingDays: number;
}

export interface WalkForwardFold {
  readonly index: number;
  readonly train: DayWindow;
  readonly test: DayWindow;
  /** The test window is shorter than TEST because the sweep's range ends inside it. */
  readonly partial: boolean;
}

/** Fewest trading days a train or test window may have (about a month; the hold-out's minimum). */
export const WF_MIN_DAYS = 20;

export const WF_FOLD_RULE =
  "Windows are whole calendar months counted from A, the 1st of the month of the range's first trading day (a range from 2015-01-02 gives calendar years). Fold k (k = 0, 1, ...) trains on the trading days in [A + k*STEP, A + k*STEP + TRAIN) and tests on those in [A + k*STEP + TRAIN, A + k*STEP + TRAIN + TEST), both cut to the range (a range starting mid-month shortens the first train window). Train and test never overlap, and with STEP >= TEST neither do the test windows. The last test window may be cut by the end of the range: it is kept (marked partial) when it still has at least 20 trading days, dropped otherwise.";

/** `label`: how the message names the span, with its field reference (e.g. `{walkForward} TRAIN`). */
function span(text: string, label: string, field: 'walkForward' | 'step'): number {
  const m = /^(\d+)\s*([ym])$/i.exec(text.trim());
  const n = m ? Number(m[1]) : Number.NaN;
  if (!m || !(n >= 1))
    throw new InvalidInputError(
      `${label} '${text}': a span is a positive whole number of years or months, e.g. 3y, 18m`,
      field,
      'write a span as 3y or 18m',
      AS_SENTENCE,
    );
  return (m[2] as string).toLowerCase() === 'y' ? 12 * n : n;
}

/** Parses `--walk-forward TRAIN:TEST` (e.g. 3y:1y, 18m:6m) and `--step SPAN` (default TEST). */
export function parseWalkForward(text: string, step?: string): WalkForwardSpec {
  const parts = text.split(':');
  if (parts.length !== 2)
    throw new InvalidInputError(
      `{walkForward} '${text}' must be TRAIN:TEST, e.g. 3y:1y or 18m:6m`,
      'walkForward',
      'write TRAIN:TEST, e.g. 3y:1y',
      AS_SENTENCE,
    );
  const trainMonths = span(parts[0] as string, '{walkForward} TRAIN', 'walkForward');
  const testMonths = span(parts[1] as string, '{walkForward} TEST', 'walkForward');
  const stepMonths = step === undefined ? testMonths : span(step, '{step}', 'step');
  if (stepMonths < testMonths)
    throw new InvalidInputError(
      `{step} ${step} is shorter than the test window (${parts[1]}): test windows would overlap and the stitched out-of-sample equity would count days twice`,
      'step',
      'give a step at least as long as the test window',
      AS_SENTENCE,
    );
  return { trainMonths, testMonths, stepMonths, text: `${text.trim()}, step ${step ?? parts[1]?.trim()}` };
}

/** date + n calendar months, the day clamped to the month's length. */
export function addMonths(date: IsoDate, n: number): IsoDate {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + n;
  const yy = y + Math.floor(m / 12);
  const mm = (((m % 12) + 12) % 12) + 1;
  const dd = Math.min(Number(date.slice(8, 10)), daysInMonth(yy, mm));
  return `${String(yy).padStart(4, '0')}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}` as IsoDate;
}

function windowOf(days: readonly IsoDate[], from: IsoDate, toExclusive: IsoDate): DayWindow | null {
  const inside = days.filter((d) => d >= from && d < toExclusive);
  if (inside.length === 0) return null;
  return { from: inside[0] as IsoDate, to: inside[inside.length - 1] as IsoDate, tradingDays: inside.length };
}

/**
 * The folds over `days` (the range's trading days, ascending) by WF_FOLD_RULE. Pure. `dropped` is the
 * test window left out at the end for having fewer than `minDays` trading days (null when none).
 */
export function walkForwardFolds(
  days: readonly IsoDate[],
  spec: WalkForwardSpec,
  minDays = WF_MIN_DAYS,
): { folds: WalkForwardFold[]; dropped: DayWindow | null } {
  const folds: WalkForwardFold[] = [];
  let dropped: DayWindow | null = null;
  const first = days[0];
  const last = days[days.length - 1];
  if (!first || !last) return { folds, dropped };
  const endExclusive = addDays(last, 1);
  const anchor = `${first.slice(0, 7)}-01` as IsoDate;
  for (let k = 0; ; k++) {
    const trainStart = addMonths(anchor, k * spec.stepMonths);
    const testStart = addMonths(anchor, k * spec.stepMonths + spec.trainMonths);
    const testEnd = addMonths(anchor, k * spec.stepMonths + spec.trainMonths + spec.testMonths);
    if (testStart > last) break;
    const train = windowOf(days, trainStart, testStart);
    const test = windowOf(days, testStart, testEnd);
    if (!train || !test) break;
    const partial = testEnd > endExclusive;
    if (train.tradingDays < minDays || test.tradingDays < minDays) {
      if (partial) dropped = test;
      break;
    }
    folds.push({ index: folds.length, train, test, partial });
    if (partial) break;
  }
  return { folds, dropped };
}

// ---------------------------------------------------------------------------------------------------
// Choice

/** What the walk-forward maximises on a train window: the sweep's ranking objective. */
export const WF_OBJECTIVE =
  'annualised Sharpe ratio (252 days) on the train window, the objective every sweep ranks by; ties go to the first variant in grid order; a variant without a Sharpe (flat equity) is never chosen';

/**
 * The index of the variant to trade in a fold. It is given the train-window results and nothing
 * else, so the choice cannot depend on the test window.
 */
export function chooseOnTrain(train: readonly SweepJobResult[]): number | null {
  let best: number | null = null;
  train.forEach((r, i) => {
    if (r.sharpe === null) return;
    if (best === null || r.sharpe > (train[best]?.sharpe as number)) best = i;
  });
  return best;
}

// ---------------------------------------------------------------------------------------------------
// Report

export interface WindowMetrics {
  readonly sharpe: number | null;
  readonly cagr: number | null;
  readonly totalReturn: number | null;
  readonly maxDrawdown: number | null;
  readonly trades: number;
  readonly winRate: number | null;
}

function metricsOf(r: SweepJobResult): WindowMetrics {
  return {
    sharpe: r.sharpe,
    cagr: r.cagr,
    totalReturn: r.totalReturn,
    maxDrawdown: r.maxDrawdown,
    trades: r.trades,
    winRate: r.winRate,
  };
}

export interface WalkForwardFoldResult extends WalkForwardFold {
  /** Index into `variants` of the configuration chosen on the train window; null if none had a Sharpe. */
  readonly chosen: number | null;
  readonly inSample: WindowMetrics | null;
  readonly outOfSample: WindowMetrics | null;
  /** Test-window rank of the chosen variant among all variants, 0 = worst, 1 = best (Sharpe). */
  readonly outOfSampleRelativeRank: number | null;
  /** Deflated Sharpe of the train-window best (trials = variants, trial variance measured). */
  readonly deflatedSharpe: number | null;
  /** For reference only (never used to choose): the variant with the best test-window Sharpe. */
  readonly bestOnTest: number | null;
}

export interface WalkForwardVariant {
  readonly values: ReadonlyArray<readonly [string, number | boolean | string]>;
  readonly trainSharpe: ReadonlyArray<number | null>;
  readonly testSharpe: ReadonlyArray<number | null>;
  readonly timesChosen: number;
}

export interface StitchedOutOfSample {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly months: number;
  readonly totalReturn: number;
  readonly cagr: number;
  /** Mean / sd of the stitched monthly returns x sqrt(12). */
  readonly sharpeMonthly: number | null;
  /** Deepest fall of the stitched month-end equity (daily dips inside a month are not seen). */
  readonly maxDrawdownMonthEnd: number;
  /** Deepest daily drawdown inside any one test window (a lower bound for the stitched daily one). */
  readonly worstFoldMaxDrawdown: number | null;
  /** Month-end equity, 1 at the start of the first test window. */
  readonly equity: ReadonlyArray<{ readonly period: string; readonly value: number }>;
}

export interface WalkForwardReport {
  readonly kind: 'walk-forward';
  readonly preset: PresetName;
  readonly params: readonly SweepParam[];
  readonly mode: 'grid' | 'random';
  readonly variants: number;
  readonly spec: WalkForwardSpec;
  readonly foldRule: string;
  readonly objective: string;
  readonly window: { readonly from: IsoDate; readonly to: IsoDate };
  readonly folds: readonly WalkForwardFoldResult[];
  readonly droppedTail: DayWindow | null;
  readonly variantResults: readonly WalkForwardVariant[];
  readonly stitched: StitchedOutOfSample;
  readonly efficiency: {
    /** Mean OOS Sharpe / mean IS Sharpe of the chosen variants; null when the IS mean is <= 0. */
    readonly sharpe: number | null;
    /**
     * Stitched OOS CAGR / mean IS CAGR of the chosen variants (annualised return out of sample over
     * annualised return in sample, after Pardo); null when the IS mean is <= 0. The stitched CAGR,
     * not the mean of the folds' CAGRs, so that one wild year does not dominate.
     */
    readonly cagr: number | null;
    readonly meanInSampleSharpe: number | null;
    readonly meanOutOfSampleSharpe: number | null;
    readonly meanInSampleCagr: number | null;
    readonly meanOutOfSampleCagr: number | null;
  };
  /** CSCV over the monthly returns of every variant on the test windows (stitched). */
  readonly pbo: SweepPbo;
  readonly dataVersion: string;
  readonly jobs: number;
  readonly cacheHits: number;
  readonly workers: number;
  readonly elapsedMs: number;
  readonly notes: readonly string[];
  readonly prices: string;
}

export interface WalkForwardOptions extends SweepOptions {
  /** TRAIN:TEST, e.g. "3y:1y". */
  readonly walkForward: string;
  /** Step between folds (default TEST). */
  readonly step?: string;
}

function meanOf(xs: ReadonlyArray<number | null>): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? (mean(v) as number) : null;
}

function ratio(num: number | null, den: number | null): number | null {
  return num !== null && den !== null && den > 0 ? num / den : null;
}

/** Stitches the chosen variants' test-window monthly returns (0 for a fold without a choice). */
export function stitchOutOfSample(
  folds: readonly WalkForwardFoldResult[],
  testResults: ReadonlyArray<readonly SweepJobResult[]>,
): StitchedOutOfSample {
  const periods: string[] = [];
  const returns: number[] = [];
  folds.forEach((f, k) => {
    const any = testResults[k]?.[0];
    const chosen = f.chosen === null ? null : testResults[k]?.[f.chosen];
    const m = (chosen ?? any)?.monthly;
    if (!m) return;
    m.periods.forEach((p, i) => {
      periods.push(p);
      returns.push(chosen ? (m.returns[i] as number) : 0);
    });
  });
  const values = compound(returns, 1);
  const from = folds[0]?.test.from as IsoDate;
  const to = folds[folds.length - 1]?.test.to as IsoDate;
  const total = (values[values.length - 1] as number) - 1;
  const years = (daysBetween(from, to) + 1) / 365.25;
  const sd = sampleStdev(returns);
  const m = mean(returns);
  const ddFold = folds.map((f) => f.outOfSample?.maxDrawdown ?? null).filter((x): x is number => x !== null);
  return {
    from,
    to,
    months: returns.length,
    totalReturn: total,
    cagr: total <= -1 ? -1 : (1 + total) ** (1 / years) - 1,
    sharpeMonthly: sd !== null && sd > 1e-12 && m !== null ? (m / sd) * Math.sqrt(12) : null,
    maxDrawdownMonthEnd: maxDrawdown(values)?.depth ?? 0,
    worstFoldMaxDrawdown: ddFold.length ? Math.max(...ddFold) : null,
    equity: periods.map((p, i) => ({ period: p, value: values[i + 1] as number })),
  };
}

export async function runWalkForward(
  opts: WalkForwardOptions,
  log: (s: string) => void = () => {},
): Promise<WalkForwardReport> {
  const t0 = performance.now();
  if (opts.holdout)
    throw new InvalidInputError(
      '{holdout} and {walkForward} are alternatives: give one of them',
      'holdout',
      'give either a holdout date or a walk-forward spec',
      AS_SENTENCE,
    );
  const spec = parseWalkForward(opts.walkForward, opts.step);
  const { preset, params, w, workers, points } = sweepSetup(opts);
  const days = w.md.snapshots.filter((s) => s.date >= w.from && s.date <= w.to).map((s) => s.date);
  const { folds, dropped } = walkForwardFolds(days, spec);
  if (folds.length === 0)
    throw new InvalidInputError(
      `{walkForward} ${opts.walkForward}: the range ${w.from} .. ${w.to} is too short for one train window plus ${WF_MIN_DAYS} trading days of test`,
      'walkForward',
      'widen the range or shorten the windows',
      AS_SENTENCE,
    );
  const N = points.length;
  const dd = opts.dataDir ? { dataDir: opts.dataDir } : {};
  const jobs: SweepJob[] = [];
  for (const f of folds)
    for (const p of points) jobs.push({ config: p.config, from: f.train.from, to: f.train.to, ...dd });
  for (const f of folds)
    for (const p of points) jobs.push({ config: p.config, from: f.test.from, to: f.test.to, ...dd });
  log(
    `walk-forward ${spec.text}: ${folds.length} folds x ${N} variants x (train + test) = ${jobs.length} jobs, ${opts.queue ? `queue ${opts.queue}` : `${workers} worker(s)`}`,
  );
  const { results, cacheHits } = await runJobs(jobs, runOptionsOf(opts, workers, log));
  const trainOf = (k: number) => results.slice(k * N, (k + 1) * N);
  const testOf = (k: number) => results.slice((folds.length + k) * N, (folds.length + k + 1) * N);
  const testResults = folds.map((_, k) => testOf(k));
  const foldResults: WalkForwardFoldResult[] = folds.map((f, k) => {
    const train = trainOf(k);
    const test = testOf(k);
    const chosen = chooseOnTrain(train);
    const rows: SweepRow[] = points.map((p, i) => ({
      values: p.values,
      inSample: train[i] as SweepJobResult,
      outOfSample: test[i] as SweepJobResult,
    }));
    const o = overfittingOf(rows);
    let rank: number | null = null;
    const oos = chosen === null ? null : test[chosen]?.sharpe;
    const others = test.map((r) => r.sharpe).filter((x): x is number => x !== null);
    if (oos !== null && oos !== undefined && others.length > 1)
      rank = others.filter((x) => x < oos).length / (others.length - 1);
    return {
      ...f,
      chosen,
      inSample: chosen === null ? null : metricsOf(train[chosen] as SweepJobResult),
      outOfSample: chosen === null ? null : metricsOf(test[chosen] as SweepJobResult),
      outOfSampleRelativeRank: rank,
      deflatedSharpe: o.deflatedSharpe,
      bestOnTest: chooseOnTrain(test),
    };
  });
  const variantResults: WalkForwardVariant[] = points.map((p, i) => ({
    values: p.values,
    trainSharpe: folds.map((_, k) => trainOf(k)[i]?.sharpe ?? null),
    testSharpe: folds.map((_, k) => testOf(k)[i]?.sharpe ?? null),
    timesChosen: foldResults.filter((f) => f.chosen === i).length,
  }));
  const chosenFolds = foldResults.filter((f) => f.chosen !== null);
  const isSharpe = meanOf(chosenFolds.map((f) => f.inSample?.sharpe ?? null));
  const oosSharpe = meanOf(chosenFolds.map((f) => f.outOfSample?.sharpe ?? null));
  const isCagr = meanOf(chosenFolds.map((f) => f.inSample?.cagr ?? null));
  const oosCagr = meanOf(chosenFolds.map((f) => f.outOfSample?.cagr ?? null));
  const oosMatrix = points.map((_, i) => {
    const periods: string[] = [];
    const returns: number[] = [];
    for (const t of testResults) {
      const m = (t[i] as SweepJobResult).monthly;
      periods.push(...m.periods);
      returns.push(...m.returns);
    }
    return { periods, returns };
  });
  const notes = [
    'Every job is an independent backtest of one configuration over one window: it starts with 100,000 USD and no positions on the window’s first day and is given no data after its last day. A test window therefore starts flat; nothing is carried over from training.',
    'The choice in a fold reads only that fold’s train-window results (chooseOnTrain); test-window results of the other variants are used for the rank, the PBO and the bestOnTest reference, never to choose.',
    'The stitched equity chains the chosen variants’ test windows at month ends; its drawdown is measured at month ends, so daily dips inside a month are not seen (each fold’s own daily drawdown is in the fold table).',
  ];
  if (chosenFolds.length < folds.length)
    notes.push(
      `${folds.length - chosenFolds.length} fold(s) had no variant with a Sharpe on the train window: no trade, flat in the stitched equity.`,
    );
  const stitched = stitchOutOfSample(foldResults, testResults);
  return {
    kind: 'walk-forward',
    preset,
    params,
    mode: opts.random !== undefined ? 'random' : 'grid',
    variants: N,
    spec,
    foldRule: WF_FOLD_RULE,
    objective: WF_OBJECTIVE,
    window: { from: w.from, to: w.to },
    folds: foldResults,
    droppedTail: dropped,
    variantResults,
    stitched,
    efficiency: {
      sharpe: ratio(oosSharpe, isSharpe),
      cagr: ratio(stitched.cagr, isCagr),
      meanInSampleSharpe: isSharpe,
      meanOutOfSampleSharpe: oosSharpe,
      meanInSampleCagr: isCagr,
      meanOutOfSampleCagr: oosCagr,
    },
    pbo: sweepPbo(
      oosMatrix,
      opts.pboBlocks,
      `monthly returns of every variant over the ${folds.length} test windows (${folds[0]?.test.from} .. ${folds[folds.length - 1]?.test.to}), stitched`,
    ),
    dataVersion: dataVersion(w.md),
    jobs: jobs.length,
    cacheHits,
    workers,
    elapsedMs: performance.now() - t0,
    notes,
    prices: STUDY_PRICES_STATEMENT,
  };
}
