import { computeBacktestSummary, maxDrawdown } from '@vixshield/core';
import {
  dailyReturns,
  formatHeader,
  type Interval,
  meanInterval,
  pctText,
  runVariant,
  type StudyHeader,
  type StudyWindowOptions,
  splitDate,
  studyHeader,
  studyWindow,
  type Variant,
  type VariantRun,
} from './common';

/**
 * The shared runner of the variant-comparison studies (M§6): one full backtest per variant over the
 * window, the same metrics for each, the window's two halves, a bootstrap interval of the mean daily
 * return and the deflated Sharpe ratio with the number of variants as the number of trials.
 */

export interface ComparisonStudyDef {
  readonly name: string;
  readonly question: string;
  readonly variants: readonly Variant[];
  readonly notes: readonly string[];
  /** Extra per-variant lines (e.g. roll statistics), label -> value. */
  readonly extra?: (run: VariantRun) => ReadonlyArray<{ label: string; value: string }>;
}

export interface HalfStats {
  readonly return: number | null;
  readonly maxDrawdown: number | null;
}

export interface ComparisonRow {
  readonly label: string;
  readonly preset: string;
  readonly overrides: Record<string, unknown>;
  readonly cagr: number | null;
  readonly maxDrawdown: number | null;
  readonly sharpe: number | null;
  readonly deflatedSharpe: number | null;
  readonly winRate: number | null;
  readonly trades: number;
  readonly hedgePnlPctPerYear: number | null;
  readonly rolledChains: number;
  readonly shareRecovered: number | null;
  readonly cvar95: number | null;
  readonly worstDay: number | null;
  readonly meanDailyReturn: Interval | null;
  readonly inSample: HalfStats;
  readonly outOfSample: HalfStats;
  readonly extra: ReadonlyArray<{ label: string; value: string }>;
}

export interface ComparisonReport {
  readonly header: StudyHeader;
  readonly rows: readonly ComparisonRow[];
  readonly notes: readonly string[];
}

function halfStats(run: VariantRun, from: string, to: string): HalfStats {
  const eq = run.result.equity.filter((e) => e.date >= from && e.date < to).map((e) => e.equity);
  if (eq.length < 2) return { return: null, maxDrawdown: null };
  const first = eq[0] as number;
  return {
    return: first > 0 ? (eq[eq.length - 1] as number) / first - 1 : null,
    maxDrawdown: maxDrawdown(eq)?.depth ?? null,
  };
}

export function runComparisonStudy(
  def: ComparisonStudyDef,
  opts: StudyWindowOptions,
  log: (line: string) => void = () => {},
): ComparisonReport {
  const w = studyWindow(opts);
  const split = splitDate(w.from, w.to);
  const rows: ComparisonRow[] = [];
  for (const v of def.variants) {
    log(`running ${v.label}`);
    const run = runVariant(w, v);
    const s = computeBacktestSummary(run.result, { nTrials: def.variants.length });
    rows.push({
      label: v.label,
      preset: v.preset,
      overrides: v.overrides,
      cagr: s.cagr,
      maxDrawdown: s.maxDrawdown?.depth ?? null,
      sharpe: s.sharpe,
      deflatedSharpe: s.deflatedSharpe,
      winRate: s.winRate,
      trades: s.trades,
      hedgePnlPctPerYear: s.hedge.annualisedPnlPctOfAverageEquity,
      rolledChains: s.rollChains.rolled,
      shareRecovered: s.rollChains.shareRecovered,
      cvar95: s.cvar95,
      worstDay: s.worstDay?.return ?? null,
      meanDailyReturn: meanInterval(dailyReturns(run.result), {
        iterations: w.iterations,
        seed: w.seed,
        blockLength: 20,
      }),
      inSample: halfStats(run, w.from, split),
      outOfSample: halfStats(run, split, '9999-12-31'),
      extra: def.extra ? def.extra(run) : [],
    });
  }
  return {
    header: studyHeader(
      w,
      def.name,
      def.question,
      { variants: def.variants.map((v) => ({ label: v.label, preset: v.preset, ...v.overrides })) },
      def.variants.length,
    ),
    rows,
    notes: [
      ...def.notes,
      `Deflated Sharpe: probability that the true Sharpe exceeds the expected maximum of ${def.variants.length} noise-only trials (Bailey & Lopez de Prado); mean daily return interval: circular block bootstrap, block 20 days.`,
      'Halves: return and max drawdown of the equity curve inside each half of the window (one run; nothing was fitted on the first half).',
    ],
  };
}

function bpInterval(ci: Interval | null): string {
  if (!ci) return '-';
  const bp = (x: number) => `${(x * 1e4).toFixed(1)}bp`;
  return `${bp(ci.estimate)} [95% ${bp(ci.lower)} .. ${bp(ci.upper)}]`;
}

export function formatComparison(r: ComparisonReport): string {
  const lines = [formatHeader(r.header), ''];
  for (const x of r.rows) {
    lines.push(x.label);
    lines.push(
      `    CAGR ${pctText(x.cagr, 2)}  MDD ${pctText(x.maxDrawdown)}  Sharpe ${x.sharpe?.toFixed(2) ?? '-'}  DSR ${x.deflatedSharpe?.toFixed(3) ?? '-'}  win ${pctText(x.winRate)} of ${x.trades}  CVaR95 ${pctText(x.cvar95, 2)}  worst day ${pctText(x.worstDay, 2)}`,
    );
    lines.push(
      `    hedge P&L/yr ${pctText(x.hedgePnlPctPerYear, 2)} of equity  rolled chains ${x.rolledChains} (recovered ${pctText(x.shareRecovered)})  mean daily return ${bpInterval(x.meanDailyReturn)}`,
    );
    lines.push(
      `    in-sample return ${pctText(x.inSample.return, 2)} (MDD ${pctText(x.inSample.maxDrawdown)}), out-of-sample ${pctText(x.outOfSample.return, 2)} (MDD ${pctText(x.outOfSample.maxDrawdown)})`,
    );
    for (const e of x.extra) lines.push(`    ${e.label}: ${e.value}`);
  }
  lines.push('');
  for (const n of r.notes) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------
// The studies built on it

const v = (label: string, preset: Variant['preset'], overrides: Record<string, unknown> = {}): Variant => ({
  label,
  preset,
  overrides,
});

export const COMPARISON_STUDIES: Readonly<Record<string, ComparisonStudyDef>> = {
  ttm: {
    name: 'ttm',
    question:
      'Does the Temporal Theta Martingale work: share of threatened condors recovered, roll credits, effect on win rate and drawdown?',
    variants: [
      v('no rolls', 'vixshield', { roll: { enabled: false } }),
      v('TTM as published (EDR > 0.94% OR VIX > 16, up to 3 rolls)', 'vixshield'),
      v('TTM with AND trigger', 'vixshield', { roll: { combine: 'and' } }),
      v('TTM, 1 roll max', 'vixshield', { roll: { maxRolls: 1 } }),
    ],
    notes: ['Recovered = a rolled chain closed with P&L >= 0.'],
    extra: (run) => [
      {
        label: 'mean roll credit per rolled chain (points)',
        value: run.summary.rollChains.meanRollCredits?.toFixed(2) ?? '-',
      },
      { label: 'P&L of rolled chains (USD)', value: run.summary.rollChains.rolledPnl.toFixed(0) },
    ],
  },
  'alvh-ladder': {
    name: 'alvh-ladder',
    question:
      'Is the ALVH 4:4:2 ladder worth it: yearly cost against drawdown reduction, versus no hedge, one layer, or only long-dated calls?',
    variants: [
      v('no hedge', 'vixshield', { hedge: { enabled: false } }),
      v('ALVH 4:4:2 (30/110/220 DTE)', 'vixshield'),
      v('one layer (30 DTE x 4)', 'vixshield', {
        hedge: { layers: [{ targetDte: 30, ratio: 4, rollAtDte: 10 }] },
      }),
      v('only long-dated (220 DTE x 2)', 'vixshield', {
        hedge: { layers: [{ targetDte: 220, ratio: 2, rollAtDte: 110 }] },
      }),
    ],
    notes: ['Hedge P&L/yr is the average yearly hedge P&L as a share of mean equity (negative = cost).'],
  },
  'tier-gate': {
    name: 'tier-gate',
    question: 'Which tier at which VIX level; is the VIX gate right (Aggressive blocked above 15 vs 20)?',
    variants: [
      v('conservative only', 'conservative'),
      v('balanced only', 'balanced'),
      v('aggressive only, gate 15', 'aggressive'),
      v('aggressive only, gate 20', 'aggressive', { gate: { allTiersBelow: 20 } }),
      v('highest allowed, gate 15', 'vixshield', { entry: { tierPolicy: 'highest-allowed' } }),
      v('highest allowed, gate 20', 'vixshield', {
        entry: { tierPolicy: 'highest-allowed' },
        gate: { allTiersBelow: 20 },
      }),
    ],
    notes: [
      'The win rate per VIX band of each variant is in its JSON (byVixBand of a backtest run with the same overrides).',
    ],
  },
  'conservative-win-rate': {
    name: 'conservative-win-rate',
    question: 'Is the ~90% win rate of the Conservative tier over 2015-2025 real, after slippage and gaps?',
    variants: [
      v('conservative, no rolls, fills per the orats-like model', 'conservative', {
        roll: { enabled: false },
      }),
      v('conservative, no rolls, trading through event days', 'conservative', {
        roll: { enabled: false },
        events: { policy: 'ignore' },
      }),
      v('conservative as published (rolls, ALVH)', 'conservative'),
    ],
    notes: [
      'Gaps are in the sample: a 1DTE condor held overnight settles on the next close, so overnight gaps are counted in every trade.',
      'Slippage: the study runner fills at the orats-like model; `vixshield backtest --preset conservative --cost-sensitivity` shows fills from mid to natural.',
    ],
  },
  'rollback-theta': {
    name: 'rollback-theta',
    question: 'Rollback to 0-2 DTE: how much theta does it harvest versus staying at 1-7 DTE?',
    variants: [
      v('forward rolls only (rollback disabled by an unreachable 3+ DTE window)', 'vixshield', {
        roll: { rollbackMinDte: 1000 },
      }),
      v('rollback back-to-short to 0-2 DTE (published)', 'vixshield'),
      v('seed rollback: next weekly near break-even', 'vixshield', { roll: { rollbackMode: 'next-weekly' } }),
    ],
    notes: [
      'Theta harvest is read from the P&L of rolled chains and the total return; the engine has no per-day theta attribution.',
    ],
    extra: (run) => [
      { label: 'P&L of rolled chains (USD)', value: run.summary.rollChains.rolledPnl.toFixed(0) },
    ],
  },
  'alvh-unit': {
    name: 'alvh-unit',
    question: 'ALVH unit size: which unit minimises drawdown per dollar of hedge cost?',
    variants: [0.5, 1, 2, 3].map((u) =>
      v(`unit ${u} contract(s)`, 'vixshield', { hedge: { sizing: 'unit', unitContracts: u } }),
    ),
    notes: ['Compare MDD against hedge P&L/yr across units; the no-hedge baseline is in study alvh-ladder.'],
  },
};
