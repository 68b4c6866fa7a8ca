import { intradayData } from '@vixshield/app';
import { type BacktestResult, maxDrawdown } from '@vixshield/core';
import {
  formatHeader,
  type Interval,
  intervalText,
  MIN_SAMPLE,
  meanInterval,
  pctText,
  runVariant,
  type StudyHeader,
  type StudyWindowOptions,
  studyHeader,
  studyWindow,
  type Variant,
  type Verdict,
  verdictOf,
  verdictRule,
} from './common';

/*
 * Study `exits` (issue 16, M§6): hold to expiry versus intraday exits - stops at k x credit, a profit
 * take, a time exit on the expiry day, a short-strike touch - each run over the whole window with the
 * intraday exit phase. Every rule is reported twice, as separate rows: on the sessions with real SPX
 * bars (the bar window) and on the sessions without (the daily-OHLC approximation, adverse extreme
 * first). On the bar window the same rule is also run with the bars hidden, so the approximation's
 * error is measured against the bars on the same days.
 */

export type ExitsSegment = 'bars' | 'ohlc-approximation' | 'bars-window-approximated';

export interface ExitsStudyRow {
  readonly label: string;
  readonly rule: string;
  readonly segment: ExitsSegment;
  readonly sessions: number;
  readonly trades: number;
  readonly winRate: number | null;
  readonly meanPnlPerTradeUsd: Interval | null;
  readonly pnlUsd: number;
  readonly exitsByRule: Readonly<Record<string, number>>;
  readonly meanDailyReturn: Interval | null;
  /** This rule's daily return minus hold's on the same sessions (paired). */
  readonly vsHold: Interval | null;
  readonly verdictBeatsHold: Verdict | 'baseline';
  readonly maxDrawdown: number | null;
  readonly explanation: string;
}

export interface ExitsStudyReport {
  readonly header: StudyHeader;
  readonly barWindow: { readonly from: string | null; readonly to: string | null; readonly sessions: number };
  readonly rows: readonly ExitsStudyRow[];
  readonly verdictRule: string;
  readonly notes: readonly string[];
}

interface RuleDef {
  readonly label: string;
  readonly intraday: Record<string, unknown> | null;
  readonly why: string;
}

const RULES: readonly RuleDef[] = [
  {
    label: 'hold to expiry (published)',
    intraday: null,
    why: 'no intraday rule: condors settle (or roll at the 15:10 CT check)',
  },
  {
    label: 'stop at 2 x credit',
    intraday: { stopCreditMultiple: 2 },
    why: 'caps a loss near 2 x credit plus the exit spread, but also closes condors that would have expired worthless (the win rate falls)',
  },
  {
    label: 'stop at 1.5 x credit',
    intraday: { stopCreditMultiple: 1.5 },
    why: 'a tighter stop: more stops, smaller losses each, more winners given up',
  },
  {
    label: 'profit take at 50% of credit',
    intraday: { profitTakePct: 50 },
    why: 'closes once half the credit is captured: gives up the rest of the credit (and pays the exit spread) to avoid a late move',
  },
  {
    label: 'time exit 12:00 CT on expiry day',
    intraday: { timeExitCt: '12:00' },
    why: 'closes every condor still open at the first bar close at or after 12:00 CT (13:30 ET on hourly bars): avoids the afternoon, pays the spread on every trade',
  },
  {
    label: 'stop when a short strike is touched',
    intraday: { shortStrikeTouch: true },
    why: 'closes at the close of the first bar whose range reaches a short strike: the condor is then near its worst, so the fill is costly',
  },
];

function variantOf(r: RuleDef): Variant {
  return {
    label: r.label,
    preset: 'vixshield',
    overrides: r.intraday ? { exits: { intraday: r.intraday } } : {},
  };
}

function returnsByDate(result: BacktestResult): Map<string, number> {
  const out = new Map<string, number>();
  const eq = result.equity;
  for (let i = 1; i < eq.length; i++) {
    const prev = eq[i - 1]!.equity;
    out.set(eq[i]!.date, prev > 0 ? eq[i]!.equity / prev - 1 : 0);
  }
  return out;
}

export function runExitsStudy(
  opts: StudyWindowOptions,
  log: (line: string) => void = () => {},
): ExitsStudyReport {
  const w = studyWindow(opts);
  const barDates = new Set<string>(
    (
      intradayData(opts.dataDir).series.find((s) => s.symbol === 'spx' && s.resolutionMinutes === 60)?.days ??
      []
    ).map((d) => d.date),
  );
  const sessionDates = w.md.snapshots.filter((s) => s.date >= w.from && s.date <= w.to).map((s) => s.date);
  const inBars = sessionDates.filter((d) => barDates.has(d));
  const segments: Record<'bars' | 'ohlc-approximation', Set<string>> = {
    bars: new Set(inBars),
    'ohlc-approximation': new Set(sessionDates.filter((d) => !barDates.has(d))),
  };
  const boot = { iterations: w.iterations, seed: w.seed };
  const rows: ExitsStudyRow[] = [];
  const holdReturns = new Map<ExitsSegment, Map<string, number>>();

  const addRow = (rule: RuleDef, segment: ExitsSegment, result: BacktestResult, dates: Set<string>) => {
    const rets = returnsByDate(result);
    const segRets = [...dates].filter((d) => rets.has(d)).map((d) => rets.get(d)!);
    const trades = result.trades.filter((t) => dates.has(t.closedOn));
    const pnls = trades.map((t) => t.pnl);
    const exits = (result.intraday?.exits ?? []).filter((e) => dates.has(e.date));
    const byRule: Record<string, number> = {};
    for (const e of exits) byRule[e.rule] = (byRule[e.rule] ?? 0) + 1;
    const isHold = rule.intraday === null;
    if (isHold) holdReturns.set(segment, rets);
    const hold = holdReturns.get(segment === 'bars-window-approximated' ? 'bars' : segment);
    const diffs =
      !isHold && hold
        ? [...dates].filter((d) => rets.has(d) && hold.has(d)).map((d) => rets.get(d)! - hold.get(d)!)
        : [];
    const vsHold = diffs.length > 0 ? meanInterval(diffs, { ...boot, blockLength: 20 }) : null;
    const eq = result.equity.filter((e) => dates.has(e.date)).map((e) => e.equity);
    const wins = trades.filter((t) => t.pnl > 0).length;
    const exitText = Object.entries(byRule)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    rows.push({
      label: rule.label,
      rule: JSON.stringify(rule.intraday ?? 'hold'),
      segment,
      sessions: dates.size,
      trades: trades.length,
      winRate: trades.length > 0 ? wins / trades.length : null,
      meanPnlPerTradeUsd: meanInterval(pnls, { ...boot, blockLength: 1 }),
      pnlUsd: pnls.reduce((a, b) => a + b, 0),
      exitsByRule: byRule,
      meanDailyReturn: meanInterval(segRets, { ...boot, blockLength: 20 }),
      vsHold,
      verdictBeatsHold: isHold ? 'baseline' : verdictOf({ kind: 'above', threshold: 0 }, vsHold),
      maxDrawdown: eq.length > 1 ? (maxDrawdown(eq)?.depth ?? null) : null,
      explanation: `${rule.why}. Here: ${exits.length} intraday exits${exitText ? ` (${exitText})` : ''} over ${dates.size} sessions; ${trades.length} trades closed, win rate ${pctText(trades.length > 0 ? wins / trades.length : null)}.`,
    });
  };

  for (const rule of RULES) {
    log(`running ${rule.label}`);
    const run = runVariant(w, variantOf(rule));
    addRow(rule, 'bars', run.result, segments.bars);
    addRow(rule, 'ohlc-approximation', run.result, segments['ohlc-approximation']);
    if (inBars.length > 0) {
      log(`running ${rule.label} with the bars hidden (approximation on the bar window)`);
      const hidden = runVariant(w, variantOf(rule), undefined, 'none');
      addRow(rule, 'bars-window-approximated', hidden.result, segments.bars);
    }
  }
  return {
    header: studyHeader(
      w,
      'exits',
      'Hold to expiry versus intraday exits (stops at k x credit, a profit take, a time exit, a short-strike touch), on real bars and on the daily-OHLC approximation.',
      { variants: RULES.map((r) => ({ label: r.label, intraday: r.intraday })), barMinutes: 60 },
      RULES.length,
    ),
    barWindow: { from: inBars[0] ?? null, to: inBars[inBars.length - 1] ?? null, sessions: inBars.length },
    rows,
    verdictRule: `"beats hold" per row: the paired mean daily return (rule minus hold, same sessions, circular block bootstrap, block 20): ${verdictRule({ kind: 'above', threshold: 0 }, MIN_SAMPLE)}.`,
    notes: [
      'Rows per rule: "bars" = the sessions with real SPX hourly bars in the window (marks at every bar close); "ohlc-approximation" = the sessions without bars (the daily bar\'s high and low both reached, the adverse extreme first, at 1/3 and 2/3 of the session, 5-minute synthetic bars); "bars-window-approximated" = the bar window run again with the bars hidden, so the approximation is measured against the bars on the same days.',
      'One full run per rule over the window: the rows of a rule are slices of that run by the session the trade closed on (P&L) or the day (returns).',
      'Marks are modelled: the surface built at the previous session (sticky strike, the time left to expiry), the calibrated spread model; exits fill at the orats-like model at the bar close. The VIX-call hedge has no intraday data and keeps its session mark.',
      inBars.length === 0
        ? 'The window has no session with intraday bars (the embedded bars start 2023-09-15): every "bars" row is empty.'
        : `Bar window in the sample: ${inBars[0]} .. ${inBars[inBars.length - 1]} (${inBars.length} sessions).`,
    ],
  };
}

export function formatExitsStudy(r: ExitsStudyReport): string {
  const lines = [formatHeader(r.header), ''];
  for (const x of r.rows) {
    lines.push(`${x.label} [${x.segment}]`);
    lines.push(
      `    sessions ${x.sessions}  trades ${x.trades}  win ${pctText(x.winRate)}  P&L ${x.pnlUsd.toFixed(0)} USD  mean P&L/trade ${intervalText(x.meanPnlPerTradeUsd, false)}  MDD ${pctText(x.maxDrawdown)}`,
    );
    lines.push(
      `    mean daily return ${x.meanDailyReturn ? `${(x.meanDailyReturn.estimate * 1e4).toFixed(1)}bp [95% ${(x.meanDailyReturn.lower * 1e4).toFixed(1)} .. ${(x.meanDailyReturn.upper * 1e4).toFixed(1)}]` : '-'}  vs hold ${x.vsHold ? `${(x.vsHold.estimate * 1e4).toFixed(1)}bp [95% ${(x.vsHold.lower * 1e4).toFixed(1)} .. ${(x.vsHold.upper * 1e4).toFixed(1)}]` : '-'}  beats hold: ${x.verdictBeatsHold}`,
    );
    lines.push(`    why: ${x.explanation}`);
  }
  lines.push('', `verdict rule: ${r.verdictRule}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
}
