import { windowSessions } from '@vixshield/app';
import {
  type BacktestSession,
  computeEdr,
  DEFAULT_EQUITY_USD,
  type IsoDate,
  type MarketSnapshot,
  type StepResult,
  type StrategyConfig,
  VIX_OPTION_MULTIPLIER,
} from '@vixshield/core';
import {
  bothVerdicts,
  type ClaimTarget,
  dailyReturns,
  drawdownReductionInterval,
  formatHeader,
  type Interval,
  intervalText,
  MIN_SAMPLE,
  maxDrawdownOf,
  meanInterval,
  pctText,
  runVariant,
  type StudyHeader,
  type StudyWindow,
  type StudyWindowOptions,
  splitDate,
  studyHeader,
  studyWindow,
  type Variant,
  type VariantRun,
  type Verdict,
  verdictOf,
  verdictRule,
} from './common';

/** One claim of the research notes, measured. */
export interface ClaimMeasurement {
  readonly id: string;
  readonly claim: string;
  readonly source: string;
  readonly measure: string;
  readonly measured: Interval | null;
  readonly target: ClaimTarget;
  readonly rule: string;
  readonly verdict: Verdict;
  /** The same measure on each half of the window (point estimates). */
  readonly halves: { readonly inSample: number | null; readonly outOfSample: number | null };
  readonly variants: readonly string[];
  /** Further numbers (secondary measures), label -> text. */
  readonly details: ReadonlyArray<{ readonly label: string; readonly value: string }>;
  readonly notes: readonly string[];
}

export interface ClaimsReport {
  readonly header: StudyHeader;
  readonly claims: readonly ClaimMeasurement[];
}

const share = (xs: readonly number[]): number | null =>
  xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;

function halvesOf<T>(
  items: readonly T[],
  dateOf: (t: T) => string,
  value: (t: T) => number,
  split: string,
): { inSample: number | null; outOfSample: number | null } {
  return {
    inSample: share(items.filter((t) => dateOf(t) < split).map(value)),
    outOfSample: share(items.filter((t) => dateOf(t) >= split).map(value)),
  };
}

// ---------------------------------------------------------------------------------------------------
// (a) Conservative win rate

export const CLAIM_A_TARGET: ClaimTarget = { kind: 'range', low: 0.85, high: 0.95 };

export function claimWinRate(w: StudyWindow, noRoll: VariantRun, asIs: VariantRun): ClaimMeasurement {
  const trades = [...noRoll.result.trades].sort((a, b) => (a.openedOn < b.openedOn ? -1 : 1));
  const wins = trades.map((t) => (t.pnl > 0 ? 1 : 0));
  const ci = meanInterval(wins, { iterations: w.iterations, seed: w.seed, blockLength: 5 });
  const split = splitDate(w.from, w.to);
  const chainsAsIs = asIs.result.chains.filter((c) => c.closedOn !== null);
  const chainWins = chainsAsIs.filter((c) => c.pnl > 0).length;
  const losses = trades.filter((t) => t.pnl < 0);
  const avgLoss = losses.length ? losses.reduce((a, t) => a + t.pnl, 0) / losses.length : null;
  const winners = trades.filter((t) => t.pnl > 0);
  const avgWin = winners.length ? winners.reduce((a, t) => a + t.pnl, 0) / winners.length : null;
  return {
    id: 'a',
    claim: '~90% of Conservative-tier (0.70 credit) 1DTE condors win, 2015-2025, with no stops (R8)',
    source: 'research notes R8',
    measure:
      'share of condor trades with P&L > 0, preset conservative with rolls disabled and exits on hold (no stop, held to expiry)',
    measured: ci,
    target: CLAIM_A_TARGET,
    rule: `${verdictRule(CLAIM_A_TARGET)} ("~90%" read as 85%-95%)`,
    verdict: verdictOf(CLAIM_A_TARGET, ci),
    halves: halvesOf(
      trades,
      (t) => t.openedOn,
      (t) => (t.pnl > 0 ? 1 : 0),
      split,
    ),
    variants: [noRoll.variant.label, asIs.variant.label],
    details: [
      { label: 'trades (no roll)', value: String(trades.length) },
      {
        label: 'average win / average loss (USD)',
        value: `${avgWin?.toFixed(0) ?? '-'} / ${avgLoss?.toFixed(0) ?? '-'}`,
      },
      { label: 'total condor P&L (no roll, USD)', value: trades.reduce((a, t) => a + t.pnl, 0).toFixed(0) },
      {
        label: 'win rate with the TTM rolls (preset as published, per trade)',
        value: pctText(asIs.summary.winRate),
      },
      {
        label: 'win rate with the TTM rolls (per roll chain, P&L > 0)',
        value: `${pctText(chainsAsIs.length ? chainWins / chainsAsIs.length : null)} of ${chainsAsIs.length} closed chains`,
      },
      { label: 'max drawdown (no roll)', value: pctText(noRoll.summary.maxDrawdown?.depth) },
    ],
    notes: [
      'Wins are counted per trade at expiry (settlement value vs credit, after fees); a trade with P&L exactly 0 is not a win.',
      'Block bootstrap (block 5 trades) because consecutive daily condors share market regimes.',
    ],
  };
}

// ---------------------------------------------------------------------------------------------------
// (b) TTM recovery

export const CLAIM_B_TARGET: ClaimTarget = { kind: 'range', low: 0.85, high: 0.91 };
export const CLAIM_B2_TARGET: ClaimTarget = { kind: 'range', low: 2.5, high: 5 };

/** Why a threatened (or expiring) condor was not rolled, from the roll rules' reason text. */
export type NoRollCause =
  | 'trigger not met (EDR and VIX below the roll thresholds)'
  | 'chain used its maximum rolls'
  | 'VIX gate says no trades'
  | 'close could not be priced'
  | 'no roll target with enough credit'
  | 'roll rejected at execution';

export function classifyRollReason(reason: string): 'forward' | 'rollback' | NoRollCause | null {
  if (/^forward roll /.test(reason)) return 'forward';
  if (/^rollback roll /.test(reason)) return 'rollback';
  if (/threatened .* it settles$/.test(reason))
    return 'trigger not met (EDR and VIX below the roll thresholds)';
  if (/has used its \d+ rolls/.test(reason)) return 'chain used its maximum rolls';
  if (/VIX gate says no trades/.test(reason)) return 'VIX gate says no trades';
  if (/cannot price the close/.test(reason)) return 'close could not be priced';
  if (/no roll target/.test(reason)) return 'no roll target with enough credit';
  return null;
}

export interface RollTally {
  forward: number;
  rollback: number;
  notRolled: Record<string, number>;
}

export function rollTallyCollector(): {
  tally: RollTally;
  onDecision: (s: BacktestSession, d: StepResult) => void;
} {
  const tally: RollTally = { forward: 0, rollback: 0, notRolled: {} };
  return {
    tally,
    onDecision: (_s, d) => {
      for (const r of d.rolls) {
        for (const reason of r.reasons) {
          const c = classifyRollReason(reason);
          if (c === null) continue;
          if (c === 'forward') tally.forward++;
          else if (c === 'rollback') tally.rollback++;
          else tally.notRolled[c] = (tally.notRolled[c] ?? 0) + 1;
        }
      }
    },
  };
}

export function claimRecovery(w: StudyWindow, run: VariantRun, tally: RollTally): ClaimMeasurement[] {
  const rolled = run.result.chains
    .filter((c) => c.rolls > 0 && c.closedOn !== null)
    .sort((a, b) => (a.openedOn < b.openedOn ? -1 : 1));
  const ind = rolled.map((c) => (c.recovered ? 1 : 0));
  const ci = meanInterval(ind, { iterations: w.iterations, seed: w.seed, blockLength: 1 });
  const split = splitDate(w.from, w.to);
  const rejectedRolls = run.result.rejected.filter((r) => r.kind === 'roll').length;
  const notRolled: Record<string, number> = { ...tally.notRolled };
  if (rejectedRolls > 0) notRolled['roll rejected at execution'] = rejectedRolls;
  const notRolledTotal = Object.values(notRolled).reduce((a, b) => a + b, 0);
  const credits = rolled.map((c) => c.rollCredits / Math.max(1, c.rolls));
  const creditCi = meanInterval(credits, { iterations: w.iterations, seed: w.seed + 1, blockLength: 1 });
  const open = run.result.chains.filter((c) => c.rolls > 0 && c.closedOn === null).length;
  const details = [
    {
      label: 'roll chains (all) / rolled and closed / rolled still open',
      value: `${run.result.chains.length} / ${rolled.length} / ${open}`,
    },
    { label: 'forward rolls done / rollbacks done', value: `${tally.forward} / ${tally.rollback}` },
    { label: 'roll candidates not rolled (total)', value: String(notRolledTotal) },
    ...Object.entries(notRolled)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => ({ label: `  not rolled: ${k}`, value: String(v) })),
    { label: 'P&L of rolled chains (USD)', value: run.summary.rollChains.rolledPnl.toFixed(0) },
  ];
  const notes = [
    'A chain counts as recovered when it was rolled at least once and its cumulative P&L (all legs, fees) ended >= 0 (RollChain.recovered).',
    '"Not rolled" counts decisions on expiry day: a threatened condor whose roll trigger (EDR > 0.94% or VIX > 16) was not met, or that met it but found no target, no price or the VIX gate; "maximum rolls" counts every expiring condor of a chain at its roll cap, threatened or not.',
  ];
  const recovery: ClaimMeasurement = {
    id: 'b',
    claim: 'the Temporal Theta Martingale recovers 88% of threatened condors (R23)',
    source: 'research notes R23',
    measure:
      'share of closed rolled chains ending with P&L >= 0, preset vixshield (rolls and ALVH as published)',
    measured: ci,
    target: CLAIM_B_TARGET,
    rule: `${verdictRule(CLAIM_B_TARGET)} ("88%" read as 85%-91%)`,
    verdict: verdictOf(CLAIM_B_TARGET, ci),
    halves: halvesOf(
      rolled,
      (c) => c.openedOn,
      (c) => (c.recovered ? 1 : 0),
      split,
    ),
    variants: [run.variant.label],
    details,
    notes,
  };
  const credit: ClaimMeasurement = {
    id: 'b2',
    claim: 'a roll brings +2.50 to +5.00 points of net credit (R23)',
    source: 'research notes R23',
    measure: 'mean net roll credit per roll of the closed rolled chains, points per condor',
    measured: creditCi,
    target: CLAIM_B2_TARGET,
    rule: verdictRule(CLAIM_B2_TARGET),
    verdict: verdictOf(CLAIM_B2_TARGET, creditCi),
    halves: halvesOf(
      rolled,
      (c) => c.openedOn,
      (c) => c.rollCredits / Math.max(1, c.rolls),
      split,
    ),
    variants: [run.variant.label],
    details: [],
    notes: [
      'Net roll credit = new condor credit (mid) - cost to close the old one; the config asks for >= 0.',
    ],
  };
  return [recovery, credit];
}

// ---------------------------------------------------------------------------------------------------
// (c) ALVH drawdown reduction and cost

export const CLAIM_C_DD_TARGET: ClaimTarget = { kind: 'range', low: 0.35, high: 0.4 };
export const CLAIM_C_COST_TARGET: ClaimTarget = { kind: 'range', low: 0.01, high: 0.02 };
export const MIN_YEARS = 5;

export function claimHedge(w: StudyWindow, hedged: VariantRun, unhedged: VariantRun): ClaimMeasurement {
  const rh = dailyReturns(hedged.result);
  const ru = dailyReturns(unhedged.result);
  const dd = drawdownReductionInterval(rh, ru, { iterations: w.iterations, seed: w.seed, blockLength: 20 });
  // Yearly net hedge cost as a share of the year's average equity (full calendar years in the window).
  const years = hedged.summary.hedge.byYear.filter((y) => {
    const days = hedged.result.equity.filter((e) => e.date.startsWith(String(y.year)));
    return days.length >= 200;
  });
  const costs = years.map((y) => -(y.pnlPctOfAverageEquity ?? 0));
  const costCi = meanInterval(costs, { iterations: w.iterations, seed: w.seed + 2, blockLength: 1 });
  const premiumByYear = new Map<number, number>();
  for (const h of hedged.result.hedgeTrades) {
    const y = Number(h.openedOn.slice(0, 4));
    premiumByYear.set(
      y,
      (premiumByYear.get(y) ?? 0) + h.entryPrice * VIX_OPTION_MULTIPLIER * h.quantity + h.fees,
    );
  }
  const premiumPct = years.map((y) => (premiumByYear.get(y.year) ?? 0) / y.averageEquity);
  const vDd = verdictOf(CLAIM_C_DD_TARGET, dd, MIN_SAMPLE);
  const vCost = verdictOf(CLAIM_C_COST_TARGET, costCi, MIN_YEARS);
  const split = splitDate(w.from, w.to);
  const half = (from: string, to: string) => {
    const eh = hedged.result.equity.filter((e) => e.date >= from && e.date < to).map((e) => e.equity);
    const eu = unhedged.result.equity.filter((e) => e.date >= from && e.date < to).map((e) => e.equity);
    const a = maxDrawdownOf(eh);
    const b = maxDrawdownOf(eu);
    return a !== null && b !== null && b > 0 ? 1 - a / b : null;
  };
  return {
    id: 'c',
    claim: 'the ALVH ladder cuts drawdowns by 35-40% for a cost of 1-2% a year (R28)',
    source: 'research notes R28',
    measure:
      "max drawdown reduction 1 - MDD(with ALVH) / MDD(without), two full runs of preset vixshield (hedge.enabled true / false); cost = - yearly net hedge P&L / the year's average equity, full years",
    measured: dd,
    target: CLAIM_C_DD_TARGET,
    rule: `both parts must hold. Drawdown: ${verdictRule(CLAIM_C_DD_TARGET)}. Cost: ${verdictRule(CLAIM_C_COST_TARGET, MIN_YEARS)}`,
    verdict: bothVerdicts(vDd, vCost),
    halves: { inSample: half(w.from, split), outOfSample: half(split, '9999') },
    variants: [hedged.variant.label, unhedged.variant.label],
    details: [
      { label: 'max drawdown with ALVH', value: pctText(hedged.summary.maxDrawdown?.depth) },
      { label: 'max drawdown without ALVH', value: pctText(unhedged.summary.maxDrawdown?.depth) },
      { label: 'drawdown part verdict', value: vDd },
      { label: 'yearly net hedge cost (% of equity)', value: intervalText(costCi) },
      { label: 'cost part verdict', value: vCost },
      {
        label: 'yearly premium spent on VIX calls (% of equity, mean)',
        value: pctText(
          premiumPct.length ? premiumPct.reduce((a, b) => a + b, 0) / premiumPct.length : null,
          2,
        ),
      },
      { label: 'hedge P&L over the window (USD)', value: hedged.summary.hedge.totalPnl.toFixed(0) },
      {
        label: 'CAGR with / without ALVH',
        value: `${pctText(hedged.summary.cagr, 2)} / ${pctText(unhedged.summary.cagr, 2)}`,
      },
      {
        label: 'first-order reduction (same trades, equity minus hedge P&L)',
        value: pctText(hedged.summary.hedge.drawdownReduction),
      },
      ...years.map((y, i) => ({
        label: `  ${y.year} net cost / premium`,
        value: `${pctText(costs[i], 2)} / ${pctText(premiumPct[i], 2)}`,
      })),
    ],
    notes: [
      'The unhedged run is a separate backtest (condor sizing follows its own equity), not the hedged curve minus hedge P&L; both are shown.',
      'Drawdown interval: paired block bootstrap of daily returns (block 20 days keeps volatility clusters together).',
      `The cost part has one value per full year, so its minimum sample is ${MIN_YEARS} years.`,
    ],
  };
}

// ---------------------------------------------------------------------------------------------------
// (d) EDR containment

export const CLAIM_D_TARGET: ClaimTarget = { kind: 'above', threshold: 0.8 };

export interface EdrDay {
  readonly date: IsoDate;
  readonly edrPts: number;
  /** |close(t+1) - close(t)| < EDR(t) x multiple. */
  readonly closeInside: boolean;
  /** Next day's high and low both within close(t) +- EDR(t) x multiple; null without a real bar. */
  readonly rangeInside: boolean | null;
  /** |close(t+1) / close(t) - 1| in units of EDR. */
  readonly moveInEdr: number;
}

/** Pure: for each session with a next snapshot, the EDR at the close against the next day's move. */
export function edrDays(
  sessions: readonly BacktestSession[],
  nextOf: (date: IsoDate) => MarketSnapshot | undefined,
  edr: StrategyConfig['edr'],
  multiple = 1,
): EdrDay[] {
  const out: EdrDay[] = [];
  for (const s of sessions) {
    const next = nextOf(s.date);
    if (!next) continue;
    const m = s.market;
    const e = computeEdr(
      { spx: m.spx, vix: m.vix, vix9d: m.vix9d, hv20: m.hv20 },
      { mode: edr.mode, multiplier: edr.multiplier, bias: edr.bias },
    );
    const band = e.edrPts * multiple;
    const move = Math.abs(next.spx.close - m.spx);
    const bar = next.spx;
    const rangeInside =
      bar.closeOnly || bar.high === null || bar.low === null
        ? null
        : bar.high < m.spx + band && bar.low > m.spx - band;
    out.push({
      date: s.date,
      edrPts: e.edrPts,
      closeInside: move < band,
      rangeInside,
      moveInEdr: move / e.edrPts,
    });
  }
  return out;
}

export function claimEdr(
  w: StudyWindow,
  sessions: readonly BacktestSession[],
  edr: StrategyConfig['edr'],
): ClaimMeasurement {
  const snaps = w.md.snapshots;
  const idx = new Map<string, number>(snaps.map((s, i) => [s.date, i]));
  const nextOf = (d: IsoDate) => {
    const i = idx.get(d);
    const n = i === undefined ? undefined : snaps[i + 1];
    return n && n.date <= w.to ? n : undefined;
  };
  const inWindow = sessions.filter((s) => s.date >= w.from && s.date <= w.to);
  const days = edrDays(inWindow, nextOf, edr, 1);
  const closeInd = days.map((d) => (d.closeInside ? 1 : 0));
  const ci = meanInterval(closeInd, { iterations: w.iterations, seed: w.seed, blockLength: 5 });
  const ranged = days.filter((d) => d.rangeInside !== null);
  const rangeCi = meanInterval(
    ranged.map((d) => (d.rangeInside ? 1 : 0)),
    { iterations: w.iterations, seed: w.seed + 3, blockLength: 5 },
  );
  const wide = edrDays(inWindow, nextOf, edr, 1.5);
  const split = splitDate(w.from, w.to);
  const sortedMoves = days.map((d) => d.moveInEdr).sort((a, b) => a - b);
  const q = (p: number) =>
    sortedMoves[Math.min(sortedMoves.length - 1, Math.floor(p * sortedMoves.length))] ?? Number.NaN;
  return {
    id: 'd',
    claim: "short strikes beyond the EDR stay outside the next day's move on more than 80% of days (R5)",
    source: 'research notes R5',
    measure: `share of sessions where |SPX close(t+1) - close(t)| < EDR(t) (mode ${edr.mode}, multiplier ${edr.multiplier}, EDR at the session close); a short strike exactly 1 x EDR out then expires out of the money`,
    measured: ci,
    target: CLAIM_D_TARGET,
    rule: verdictRule(CLAIM_D_TARGET),
    verdict: verdictOf(CLAIM_D_TARGET, ci),
    halves: halvesOf(
      days,
      (d) => d.date,
      (d) => (d.closeInside ? 1 : 0),
      split,
    ),
    variants: ['EDR x 1.0 (the verdict)', 'EDR x 1.5 (shown)'],
    details: [
      { label: 'sessions measured', value: String(days.length) },
      {
        label: 'next day high AND low inside close +- EDR (intraday touch)',
        value: `${intervalText(rangeCi)} (days with a real high/low bar)`,
      },
      {
        label: 'close inside close +- 1.5 x EDR',
        value: pctText(share(wide.map((d) => (d.closeInside ? 1 : 0)))),
      },
      {
        label: 'range inside close +- 1.5 x EDR',
        value: pctText(share(wide.filter((d) => d.rangeInside !== null).map((d) => (d.rangeInside ? 1 : 0)))),
      },
      {
        label: 'next-day |move| in EDR units: median / 90th / 99th pct',
        value: `${q(0.5).toFixed(2)} / ${q(0.9).toFixed(2)} / ${q(0.99).toFixed(2)}`,
      },
    ],
    notes: [
      'No option prices are needed: index closes and the EDR formula only.',
      'Days where the next bar is close-only (no real high/low) are left out of the range measure only.',
    ],
  };
}

// ---------------------------------------------------------------------------------------------------
// Runner

export const CLAIMS_DEFAULT_WINDOW = { from: '2015-01-02', to: '2025-12-31' };

export function claimsVariants(): Record<'aNoRoll' | 'aAsIs' | 'hedged' | 'unhedged', Variant> {
  return {
    aNoRoll: {
      label: 'conservative, no rolls (hold to expiry, no stops)',
      preset: 'conservative',
      overrides: { roll: { enabled: false }, exits: { policy: 'hold' } },
    },
    aAsIs: { label: 'conservative as published (TTM rolls, ALVH)', preset: 'conservative', overrides: {} },
    hedged: { label: 'vixshield as published (TTM rolls, ALVH ladder)', preset: 'vixshield', overrides: {} },
    unhedged: {
      label: 'vixshield without ALVH',
      preset: 'vixshield',
      overrides: { hedge: { enabled: false } },
    },
  };
}

export function runClaimsStudy(
  opts: StudyWindowOptions,
  log: (line: string) => void = () => {},
): ClaimsReport {
  const w = studyWindow(opts, CLAIMS_DEFAULT_WINDOW);
  const v = claimsVariants();
  log(`running ${v.aNoRoll.label}`);
  const aNoRoll = runVariant(w, v.aNoRoll);
  log(`running ${v.aAsIs.label}`);
  const aAsIs = runVariant(w, v.aAsIs);
  log(`running ${v.hedged.label}`);
  const col = rollTallyCollector();
  const hedged = runVariant(w, v.hedged, col.onDecision);
  log(`running ${v.unhedged.label}`);
  const unhedged = runVariant(w, v.unhedged);
  const sessionsForEdr = sessionsOf(w, hedged);
  const claims = [
    claimWinRate(w, aNoRoll, aAsIs),
    ...claimRecovery(w, hedged, col.tally),
    claimHedge(w, hedged, unhedged),
    claimEdr(w, sessionsForEdr, hedged.config.edr),
  ];
  const header = studyHeader(
    w,
    'claims',
    'Do the published claims R8, R23, R28 and R5 hold on the embedded history?',
    {
      presets: ['conservative', 'vixshield'],
      overrides: Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k, { preset: x.preset, ...x.overrides }]),
      ),
      initialEquity: DEFAULT_EQUITY_USD,
      fill: 'orats-like',
      minSample: MIN_SAMPLE,
    },
    // Four backtest variants plus the EDR x 1.5 view; nothing was tuned.
    5,
  );
  return { header, claims };
}

/** The sessions the backtest used, rebuilt (same builder, same inputs). */
function sessionsOf(w: StudyWindow, run: VariantRun): BacktestSession[] {
  return windowSessions(w.md, run.config, w.from, w.to);
}

export function formatClaims(r: ClaimsReport): string {
  const out = [formatHeader(r.header), ''];
  for (const c of r.claims) {
    out.push(`(${c.id}) ${c.claim}`);
    out.push(`    measure   ${c.measure}`);
    const asPct = c.id !== 'b2';
    out.push(
      `    measured  ${intervalText(c.measured, asPct)}${c.measured ? ` (${c.measured.method})` : ''}`,
    );
    const h = (x: number | null) => (asPct ? pctText(x) : x === null ? '-' : x.toFixed(2));
    out.push(`    halves    in-sample ${h(c.halves.inSample)}, out-of-sample ${h(c.halves.outOfSample)}`);
    out.push(`    VERDICT   ${c.verdict.toUpperCase()}`);
    out.push(`    rule      ${c.rule}`);
    for (const d of c.details) out.push(`    ${d.label}: ${d.value}`);
    for (const n of c.notes) out.push(`    note: ${n}`);
    out.push('');
  }
  return out.join('\n');
}
