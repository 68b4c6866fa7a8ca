import type { BacktestResult } from '../backtest/index';
import { daysBetween, InvalidInputError, type IsoDate } from '../domain/index';
import type { CondorTrade } from '../portfolio/index';
import { TIERS, type Tier } from '../strategies/index';
import { deflatedSharpe as deflatedSharpeOf } from './deflated-sharpe';
import { maxDrawdown, simpleReturns } from './series';
import { historicalCvar, kurtosis, mean, olsFit, sampleStdev, skewness } from './stats';

/** Trading days per year used to annualise daily statistics (volatility, Sharpe, Sortino, alpha). */
export const TRADING_DAYS_PER_YEAR_METRICS = 252;
/** Calendar days per year used by CAGR (Julian year). */
export const CALENDAR_DAYS_PER_YEAR = 365.25;
/**
 * Denominators (standard deviation, downside deviation, drawdown) below this are floating-point noise
 * of a flat curve (e.g. 1e5 x 1.0000000000001): the ratio is reported as null rather than as a huge number.
 */
export const NOISE_FLOOR = 1e-12;

/** VIX bands at entry: lower bound inclusive, upper exclusive (VIX 15.00 is in '15-20', 25.00 in '>25'). */
export type VixBand = '<15' | '15-20' | '20-25' | '>25';
export const VIX_BANDS: readonly VixBand[] = ['<15', '15-20', '20-25', '>25'];

export function vixBandOf(vix: number): VixBand {
  if (vix < 15) return '<15';
  if (vix < 20) return '15-20';
  if (vix < 25) return '20-25';
  return '>25';
}

/** Trade statistics of one group (a VIX band, a tier or a year). */
export interface TradeGroupStats {
  readonly trades: number;
  /** Trades with pnl > 0. */
  readonly wins: number;
  /** Trades with pnl < 0 (pnl = 0 is neither a win nor a loss). */
  readonly losses: number;
  /** wins / trades; null with no trades. */
  readonly winRate: number | null;
  /** Sum of trade pnl, USD. */
  readonly pnl: number;
  /** pnl / trades; null with no trades. */
  readonly averagePnl: number | null;
}

export interface VixBandStats extends TradeGroupStats {
  readonly band: VixBand;
}
export interface TierStats extends TradeGroupStats {
  readonly tier: Tier;
}
export interface YearStats extends TradeGroupStats {
  readonly year: number;
  /** Equity return of the calendar year: last value of the year / last value before it - 1. */
  readonly return: number | null;
  /** Hedge P&L in the year (change of hedgePnlToDate), USD. */
  readonly hedgePnl: number;
}

export interface HedgeYearStats {
  readonly year: number;
  /** Hedge P&L in the year, USD (negative = the hedge cost money). */
  readonly pnl: number;
  /** Mean of the year's daily equity, USD. */
  readonly averageEquity: number;
  /** pnl / averageEquity (not annualised: a partial year shows a partial-year share). */
  readonly pnlPctOfAverageEquity: number | null;
}

export interface DrawdownSummary {
  /** Fraction of the peak, in [0, 1] while equity is positive. */
  readonly depth: number;
  readonly peakDate: IsoDate;
  readonly troughDate: IsoDate;
  readonly recoveryDate: IsoDate | null;
  /** Trading days from the peak to recovery, or to the last day if not recovered. */
  readonly durationDays: number;
  readonly recovered: boolean;
}

export interface RollChainStats {
  readonly chains: number;
  /** Chains rolled at least once. */
  readonly rolled: number;
  /** Rolled chains still open at the end (excluded from shareRecovered). */
  readonly rolledOpen: number;
  /** Closed rolled chains that ended with P&L >= 0 (RollChain.recovered). */
  readonly recovered: number;
  /** recovered / closed rolled chains; null when no rolled chain closed. */
  readonly shareRecovered: number | null;
  /** Mean of RollChain.rollCredits over rolled chains (points per condor); null when none rolled. */
  readonly meanRollCredits: number | null;
  /** Mean number of rolls per rolled chain; null when none rolled. */
  readonly meanRolls: number | null;
  /** Sum of pnl of rolled chains, USD. */
  readonly rolledPnl: number;
}

export interface HedgeSummary {
  /** Cumulative hedge P&L at the last day (hedgePnlToDate), USD. */
  readonly totalPnl: number;
  readonly byYear: readonly HedgeYearStats[];
  /** totalPnl / years / mean daily equity: the average yearly hedge P&L as a share of equity. */
  readonly annualisedPnlPctOfAverageEquity: number | null;
  /** Max drawdown of the equity curve as run. */
  readonly maxDrawdownWithHedge: number | null;
  /** Max drawdown of equity - hedgePnlToDate (first-order "no hedge" curve; same condor trades). */
  readonly maxDrawdownWithoutHedge: number | null;
  /** 1 - with / without; null when the unhedged curve has no drawdown. */
  readonly drawdownReduction: number | null;
}

export interface BacktestSummary {
  readonly from: IsoDate;
  readonly to: IsoDate;
  /** Trading days with an equity point (= number of daily returns). */
  readonly tradingDays: number;
  /** Calendar days covered, first to last equity point inclusive. */
  readonly calendarDays: number;
  /** calendarDays / 365.25. */
  readonly years: number | null;
  readonly initialEquity: number;
  readonly finalEquity: number;
  readonly totalReturn: number | null;
  readonly cagr: number | null;
  readonly annualVolatility: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  /** The day the account could no longer carry one condor at the cap, or reached equity <= 0; null: never. */
  readonly ruinedOn: IsoDate | null;
  readonly maxDrawdown: DrawdownSummary | null;
  readonly calmar: number | null;
  readonly trades: number;
  readonly hedgeTrades: number;
  readonly winRate: number | null;
  readonly profitFactor: number | null;
  readonly averageWin: number | null;
  readonly averageLoss: number | null;
  readonly worstDay: { readonly date: IsoDate; readonly return: number; readonly pnl: number } | null;
  readonly worstTrade: { readonly id: string; readonly closedOn: IsoDate; readonly pnl: number } | null;
  readonly cvar95: number | null;
  readonly cvar99: number | null;
  readonly exposure: number | null;
  readonly beta: number | null;
  readonly alpha: number | null;
  readonly correlation: number | null;
  readonly skewness: number | null;
  readonly kurtosis: number | null;
  /** Deflated Sharpe ratio (probability), only when options.nTrials is given. */
  readonly deflatedSharpe: number | null;
  readonly byVixBand: readonly VixBandStats[];
  readonly byTier: readonly TierStats[];
  readonly byYear: readonly YearStats[];
  readonly rollChains: RollChainStats;
  readonly hedge: HedgeSummary;
  /** How the risk-free rate was applied. */
  readonly riskFree: string;
  /** Why each null metric is null, and other caveats. */
  readonly notes: readonly string[];
}

export interface SummaryOptions {
  /** Constant annual risk-free rate (decimal), compounded to a daily rate (1 + rf)^(1/252) - 1. Default 0. */
  readonly riskFreeAnnual?: number;
  /** Risk-free simple return per trading day, one per equity point (overrides riskFreeAnnual). */
  readonly riskFreeDaily?: readonly number[];
  /** Number of variants tried in the study that produced this run: enables the deflated Sharpe ratio. */
  readonly nTrials?: number;
}

function groupStats(trades: readonly CondorTrade[]): TradeGroupStats {
  let wins = 0;
  let losses = 0;
  let pnl = 0;
  for (const t of trades) {
    if (t.pnl > 0) wins++;
    else if (t.pnl < 0) losses++;
    pnl += t.pnl;
  }
  const n = trades.length;
  return {
    trades: n,
    wins,
    losses,
    winRate: n > 0 ? wins / n : null,
    pnl,
    averagePnl: n > 0 ? pnl / n : null,
  };
}

const yearOf = (d: IsoDate): number => Number(d.slice(0, 4));

/** A finite number or null: the last line of defence against NaN/Infinity reaching a report. */
function finiteOrNull(x: number | null | undefined): number | null {
  return x !== null && x !== undefined && Number.isFinite(x) ? x : null;
}

/** The value series every return-based metric reads, with the risk-free leg. */
interface ReturnSeries {
  /** V_0 = initial equity, then each day's equity. */
  readonly values: readonly number[];
  /** Daily simple returns, stopping at the first day equity is <= 0 (that day's return kept). */
  readonly returns: readonly number[];
  readonly rf: readonly number[];
  readonly excess: readonly number[];
  readonly riskFree: string;
}

/** The window's dates and length in years (calendar days / 365.25). */
interface Period {
  readonly n: number;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly finalEquity: number;
  readonly calendarDays: number;
  readonly years: number | null;
}

function validateResult(result: BacktestResult): void {
  const eq = result.equity;
  if (!(result.initialEquity > 0)) {
    throw new InvalidInputError(
      `initialEquity must be > 0, got ${result.initialEquity}`,
      'initialEquity',
      'start with capital',
    );
  }
  for (let i = 1; i < eq.length; i++) {
    if ((eq[i] as { date: IsoDate }).date <= (eq[i - 1] as { date: IsoDate }).date) {
      throw new InvalidInputError(`equity dates not increasing at index ${i}`, 'equity', 'sort by date');
    }
  }
}

/**
 * Values, daily returns and excess returns. Ruin: a return is undefined once equity is <= 0, so daily
 * statistics stop at the first such day (whose return, <= -100%, is kept); total return, CAGR (-1) and
 * drawdown still use the whole curve.
 */
function returnSeries(result: BacktestResult, options: SummaryOptions, notes: string[]): ReturnSeries {
  const eq = result.equity;
  const n = eq.length;
  const values = [result.initialEquity, ...eq.map((p) => p.equity)];
  const ruinAt = values.findIndex((v) => !(v > 0));
  if (ruinAt > 0) {
    notes.push(
      `Equity reached ${values[ruinAt]} on ${(eq[ruinAt - 1] as { date: IsoDate }).date}: daily-return statistics use the days up to then.`,
    );
  }
  const returns = simpleReturns(ruinAt > 0 ? values.slice(0, ruinAt + 1) : values);
  let rf: number[];
  let riskFree: string;
  if (options.riskFreeDaily !== undefined) {
    if (options.riskFreeDaily.length !== n) {
      throw new InvalidInputError(
        `riskFreeDaily has ${options.riskFreeDaily.length} values for ${n} equity points`,
        'riskFreeDaily',
        'one daily risk-free return per equity point',
      );
    }
    rf = options.riskFreeDaily.slice(0, returns.length);
    riskFree = 'daily risk-free series supplied by the caller';
  } else {
    const annual = options.riskFreeAnnual ?? 0;
    const daily = (1 + annual) ** (1 / TRADING_DAYS_PER_YEAR_METRICS) - 1;
    rf = returns.map(() => daily);
    riskFree = `constant ${(annual * 100).toFixed(2)}% a year, (1 + rf)^(1/252) - 1 a trading day`;
  }
  const excess = returns.map((r, i) => r - (rf[i] as number));
  return { values, returns, rf, excess, riskFree };
}

function periodOf(result: BacktestResult, notes: string[]): Period {
  const eq = result.equity;
  const n = eq.length;
  const first = eq[0];
  const last = eq[n - 1];
  const from = first?.date ?? result.from;
  const to = last?.date ?? result.to;
  const calendarDays = n > 0 ? daysBetween(from, to) + 1 : 0;
  const years = calendarDays > 0 ? calendarDays / CALENDAR_DAYS_PER_YEAR : null;
  if (n === 0) notes.push('No equity points: every return-based metric is null.');
  return { n, from, to, finalEquity: last?.equity ?? result.initialEquity, calendarDays, years };
}

/** Total return, CAGR, volatility, Sharpe and Sortino (annualised by sqrt(252)). */
function returnAndRisk(result: BacktestResult, period: Period, series: ReturnSeries, notes: string[]) {
  const { n, finalEquity, years } = period;
  const { returns, excess } = series;
  const totalReturn = n > 0 ? finalEquity / result.initialEquity - 1 : null;
  let cagr: number | null = null;
  if (totalReturn !== null && years !== null) {
    cagr = finalEquity <= 0 ? -1 : (finalEquity / result.initialEquity) ** (1 / years) - 1;
  }
  const sd = sampleStdev(returns);
  const annualVolatility = sd === null ? null : sd * Math.sqrt(TRADING_DAYS_PER_YEAR_METRICS);
  if (sd === null && n > 0) notes.push('Volatility, Sharpe and Sortino need at least 2 daily returns.');

  const exSd = sampleStdev(excess);
  const exMean = mean(excess);
  let sharpe: number | null = null;
  if (exSd !== null && exMean !== null) {
    if (exSd > NOISE_FLOOR) sharpe = finiteOrNull((exMean / exSd) * Math.sqrt(TRADING_DAYS_PER_YEAR_METRICS));
    else notes.push('Sharpe is null: excess returns have zero standard deviation (flat equity).');
  }
  let sortino: number | null = null;
  if (excess.length >= 2 && exMean !== null) {
    let dsq = 0;
    for (const x of excess) if (x < 0) dsq += x * x;
    const downside = Math.sqrt(dsq / excess.length);
    if (downside > NOISE_FLOOR)
      sortino = finiteOrNull((exMean / downside) * Math.sqrt(TRADING_DAYS_PER_YEAR_METRICS));
    else
      notes.push('Sortino is null: no day returned less than the risk-free rate (zero downside deviation).');
  }
  // A wiped-out account has no risk-adjusted return to speak of: a Sharpe computed over the days before
  // the wipe-out can be positive (issue 18: +0.57 beside a CAGR of -100%).
  const ruinedOn = result.ruin?.on ?? result.equity.find((p) => !(p.equity > 0))?.date ?? null;
  if (ruinedOn !== null && (sharpe !== null || sortino !== null)) {
    notes.push(
      `Sharpe and Sortino are null: the account was ruined (${result.ruin?.reason ?? `equity <= 0 by ${ruinedOn}`}).`,
    );
    sharpe = null;
    sortino = null;
  }
  return { totalReturn, cagr, annualVolatility, sharpe, sortino, ruinedOn };
}

/** The deepest drawdown of the whole curve with its dates, and Calmar (CAGR / depth). */
function drawdownOf(
  result: BacktestResult,
  series: ReturnSeries,
  cagr: number | null,
  notes: string[],
): { maxDd: DrawdownSummary | null; calmar: number | null } {
  const eq = result.equity;
  const dd = maxDrawdown(series.values);
  const dateAt = (i: number): IsoDate => (i === 0 ? result.from : (eq[i - 1] as { date: IsoDate }).date);
  const maxDd: DrawdownSummary | null =
    dd === null || eq.length === 0
      ? null
      : {
          depth: dd.depth,
          peakDate: dateAt(dd.peakIndex),
          troughDate: dateAt(dd.troughIndex),
          recoveryDate: dd.recoveryIndex === null ? null : dateAt(dd.recoveryIndex),
          durationDays: dd.duration,
          recovered: dd.recovered,
        };
  let calmar: number | null = null;
  if (maxDd !== null && cagr !== null) {
    if (maxDd.depth > NOISE_FLOOR) calmar = finiteOrNull(cagr / maxDd.depth);
    else notes.push('Calmar is null: the equity curve never fell (max drawdown 0).');
  }
  return { maxDd, calmar };
}

/** The worst day (return and USD) and the historical CVaR of daily returns at 95% and 99%. */
function tailOf(result: BacktestResult, series: ReturnSeries) {
  const eq = result.equity;
  const { returns, values } = series;
  let worstDay: BacktestSummary['worstDay'] = null;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i] as number;
    if (worstDay === null || r < worstDay.return) {
      worstDay = {
        date: (eq[i] as { date: IsoDate }).date,
        return: r,
        pnl: (values[i + 1] as number) - (values[i] as number),
      };
    }
  }
  return { worstDay, cvar95: historicalCvar(returns, 0.95), cvar99: historicalCvar(returns, 0.99) };
}

/**
 * Share of days with a position open, and beta/alpha/correlation: OLS of strategy excess returns on SPX
 * excess returns, days 2..n (SPX needs a prior close); alpha annualised x252.
 */
function marketExposureOf(result: BacktestResult, series: ReturnSeries, notes: string[]) {
  const eq = result.equity;
  const n = eq.length;
  const { returns, rf, excess } = series;
  let exposure: number | null = null;
  if (n > 0) {
    let open = 0;
    for (const p of eq) if (p.marginUsed > 0 || p.condorValue !== 0) open++;
    exposure = open / n;
  }
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 1; i < returns.length; i++) {
    const s0 = (eq[i - 1] as { spx: number }).spx;
    const s1 = (eq[i] as { spx: number }).spx;
    if (!(s0 > 0 && s1 > 0)) continue;
    xs.push(s1 / s0 - 1 - (rf[i] as number));
    ys.push(excess[i] as number);
  }
  const fit = olsFit(xs, ys);
  if (fit === null && n > 0)
    notes.push('Beta and alpha are null: fewer than 2 SPX returns or SPX did not move.');
  return {
    exposure,
    beta: finiteOrNull(fit?.slope),
    alpha: fit === null ? null : finiteOrNull(fit.intercept * TRADING_DAYS_PER_YEAR_METRICS),
    correlation: finiteOrNull(fit?.correlation),
  };
}

/** Skewness, kurtosis and, when the number of variants tried is known, the deflated Sharpe ratio. */
function distributionOf(
  series: ReturnSeries,
  sharpe: number | null,
  options: SummaryOptions,
  notes: string[],
) {
  const { returns } = series;
  const skew = skewness(returns);
  const kurt = kurtosis(returns);
  let dsr: number | null = null;
  if (options.nTrials !== undefined) {
    if (sharpe !== null && skew !== null && kurt !== null && returns.length >= 2) {
      dsr = deflatedSharpeOf(
        sharpe / Math.sqrt(TRADING_DAYS_PER_YEAR_METRICS),
        options.nTrials,
        returns.length,
        skew,
        kurt,
      );
      if (dsr === null) notes.push('Deflated Sharpe is null: 1 - skew SR + (kurt - 1)/4 SR^2 <= 0.');
    } else {
      notes.push('Deflated Sharpe is null: Sharpe, skewness or kurtosis undefined.');
    }
  }
  return { skew, kurt, dsr };
}

/** Win rate, profit factor, averages, the worst trade, and the same by VIX band and by tier. */
function tradeStatsOf(trades: readonly CondorTrade[], notes: string[]) {
  const all = groupStats(trades);
  let grossWin = 0;
  let grossLoss = 0;
  for (const t of trades) {
    if (t.pnl > 0) grossWin += t.pnl;
    else if (t.pnl < 0) grossLoss -= t.pnl;
  }
  if (trades.length === 0) notes.push('No condor trades: win rate, profit factor and averages are null.');
  let profitFactor: number | null = null;
  if (trades.length > 0) {
    if (grossLoss > 0) profitFactor = grossWin / grossLoss;
    else notes.push('Profit factor is null: no losing trade (gross loss 0).');
  }
  let worstTrade: BacktestSummary['worstTrade'] = null;
  for (const t of trades) {
    if (worstTrade === null || t.pnl < worstTrade.pnl)
      worstTrade = { id: t.id, closedOn: t.closedOn, pnl: t.pnl };
  }
  const byVixBand: VixBandStats[] = VIX_BANDS.map((band) => ({
    band,
    ...groupStats(trades.filter((t) => vixBandOf(t.vixAtEntry) === band)),
  }));
  const byTier: TierStats[] = TIERS.map((tier) => ({
    tier,
    ...groupStats(trades.filter((t) => t.tier === tier)),
  }));
  return {
    winRate: all.winRate,
    profitFactor,
    averageWin: all.wins > 0 ? grossWin / all.wins : null,
    averageLoss: all.losses > 0 ? -grossLoss / all.losses : null,
    worstTrade,
    byVixBand,
    byTier,
  };
}

/** Per calendar year: trades (by close date), the equity return and the hedge P&L. */
function yearsOf(result: BacktestResult): { byYear: YearStats[]; hedgeByYear: HedgeYearStats[] } {
  const eq = result.equity;
  const trades = result.trades;
  const yearSet = new Set<number>();
  for (const p of eq) yearSet.add(yearOf(p.date));
  for (const t of trades) yearSet.add(yearOf(t.closedOn));
  const yearList = [...yearSet].sort((a, b) => a - b);
  const lastOfYear = new Map<number, number>(); // year -> index into eq of its last point
  eq.forEach((p, i) => {
    lastOfYear.set(yearOf(p.date), i);
  });
  const hedgeByYear: HedgeYearStats[] = [];
  const byYear: YearStats[] = [];
  let prevValue = result.initialEquity;
  let prevHedge = 0;
  for (const year of yearList) {
    const li = lastOfYear.get(year);
    let ret: number | null = null;
    let hedgePnl = 0;
    if (li !== undefined) {
      const p = eq[li] as (typeof eq)[number];
      ret = prevValue > 0 ? p.equity / prevValue - 1 : null;
      hedgePnl = p.hedgePnlToDate - prevHedge;
      prevValue = p.equity;
      prevHedge = p.hedgePnlToDate;
      const avg = mean(eq.filter((q) => yearOf(q.date) === year).map((q) => q.equity)) as number;
      hedgeByYear.push({
        year,
        pnl: hedgePnl,
        averageEquity: avg,
        pnlPctOfAverageEquity: avg > 0 ? hedgePnl / avg : null,
      });
    }
    byYear.push({
      year,
      ...groupStats(trades.filter((t) => yearOf(t.closedOn) === year)),
      return: ret,
      hedgePnl,
    });
  }
  return { byYear, hedgeByYear };
}

/** Temporal Theta Martingale chains: how many were rolled, recovered, and what the rolls earned. */
function rollChainStatsOf(result: BacktestResult, notes: string[]): RollChainStats {
  const rolledChains = result.chains.filter((c) => c.rolls > 0);
  const rolledClosed = rolledChains.filter((c) => c.closedOn !== null);
  const recovered = rolledClosed.filter((c) => c.recovered).length;
  if (rolledClosed.length === 0) notes.push('Share recovered is null: no rolled chain closed.');
  return {
    chains: result.chains.length,
    rolled: rolledChains.length,
    rolledOpen: rolledChains.length - rolledClosed.length,
    recovered,
    shareRecovered: rolledClosed.length > 0 ? recovered / rolledClosed.length : null,
    meanRollCredits: mean(rolledChains.map((c) => c.rollCredits)),
    meanRolls: mean(rolledChains.map((c) => c.rolls)),
    rolledPnl: rolledChains.reduce((s, c) => s + c.pnl, 0),
  };
}

/** The hedge's P&L by year and annualised, and the drawdown with and without it. */
function hedgeSummaryOf(
  result: BacktestResult,
  years: number | null,
  maxDd: DrawdownSummary | null,
  hedgeByYear: readonly HedgeYearStats[],
  notes: string[],
): HedgeSummary {
  const eq = result.equity;
  const n = eq.length;
  const totalHedgePnl = eq[n - 1]?.hedgePnlToDate ?? 0;
  const avgEquity = mean(eq.map((p) => p.equity));
  const unhedged = [result.initialEquity, ...eq.map((p) => p.equity - p.hedgePnlToDate)];
  const ddWithout = n > 0 ? (maxDrawdown(unhedged)?.depth ?? null) : null;
  const ddWith = maxDd?.depth ?? null;
  let drawdownReduction: number | null = null;
  if (ddWith !== null && ddWithout !== null) {
    if (ddWithout > NOISE_FLOOR) drawdownReduction = 1 - ddWith / ddWithout;
    else notes.push('Hedge drawdown reduction is null: the curve without the hedge has no drawdown.');
  }
  return {
    totalPnl: totalHedgePnl,
    byYear: hedgeByYear,
    annualisedPnlPctOfAverageEquity:
      years !== null && avgEquity !== null && avgEquity > 0 ? totalHedgePnl / years / avgEquity : null,
    maxDrawdownWithHedge: ddWith,
    maxDrawdownWithoutHedge: ddWithout,
    drawdownReduction,
  };
}

/**
 * Summary statistics of a backtest. See docs/metrics.md for every definition. Conventions:
 * - the value series is V_0 = initialEquity (dated `from`, before the first mark) then each day's
 *   equity, so n equity points give n daily returns and prod(1 + r) - 1 = totalReturn;
 * - annualisation: sqrt(252) for volatility, Sharpe and Sortino, x252 for alpha; CAGR by calendar
 *   days / 365.25;
 * - every ratio is null (never NaN or Infinity) when undefined, with the reason in `notes` (in the
 *   order the steps below run).
 */
export function computeBacktestSummary(
  result: BacktestResult,
  options: SummaryOptions = {},
): BacktestSummary {
  validateResult(result);
  const notes: string[] = [];
  const series = returnSeries(result, options, notes);
  const period = periodOf(result, notes);
  const risk = returnAndRisk(result, period, series, notes);
  const { maxDd, calmar } = drawdownOf(result, series, risk.cagr, notes);
  const tail = tailOf(result, series);
  const market = marketExposureOf(result, series, notes);
  const dist = distributionOf(series, risk.sharpe, options, notes);
  const trades = tradeStatsOf(result.trades, notes);
  const { byYear, hedgeByYear } = yearsOf(result);
  const rollChains = rollChainStatsOf(result, notes);
  const hedge = hedgeSummaryOf(result, period.years, maxDd, hedgeByYear, notes);

  return {
    from: period.from,
    to: period.to,
    tradingDays: period.n,
    calendarDays: period.calendarDays,
    years: period.years,
    initialEquity: result.initialEquity,
    finalEquity: period.finalEquity,
    totalReturn: finiteOrNull(risk.totalReturn),
    cagr: finiteOrNull(risk.cagr),
    annualVolatility: finiteOrNull(risk.annualVolatility),
    sharpe: risk.sharpe,
    sortino: risk.sortino,
    ruinedOn: risk.ruinedOn,
    maxDrawdown: maxDd,
    calmar,
    trades: result.trades.length,
    hedgeTrades: result.hedgeTrades.length,
    winRate: trades.winRate,
    profitFactor: finiteOrNull(trades.profitFactor),
    averageWin: trades.averageWin,
    averageLoss: trades.averageLoss,
    worstDay: tail.worstDay,
    worstTrade: trades.worstTrade,
    cvar95: tail.cvar95,
    cvar99: tail.cvar99,
    exposure: market.exposure,
    beta: market.beta,
    alpha: market.alpha,
    correlation: market.correlation,
    skewness: dist.skew,
    kurtosis: dist.kurt,
    deflatedSharpe: dist.dsr,
    byVixBand: trades.byVixBand,
    byTier: trades.byTier,
    byYear,
    rollChains,
    hedge,
    riskFree: series.riskFree,
    notes,
  };
}
