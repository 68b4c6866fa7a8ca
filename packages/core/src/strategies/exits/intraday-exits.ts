import {
  MS_PER_MINUTE,
  newYorkTimeToUtcMs,
  parseHhmm,
  type SettlementStyle,
  settlementInstantUtcMs,
} from '../../calendar/index';
import { InvalidInputError, type IsoDate } from '../../domain/index';
import { buyFillDebit, type FillModel } from '../../execution/index';
import {
  type AdverseExtreme,
  barEndEt,
  checkDailyOhlc,
  ctToEt,
  type DailyOhlc,
  DEFAULT_OHLC_APPROXIMATION,
  formatEt,
  type IntradayBar,
  type IntradayDay,
  type IntradaySource,
  intradayWindowEt,
  type OhlcApproximationOptions,
  ohlcApproximationDay,
} from '../../market/index';
import type { CondorStrikes } from '../types';

/*
 * Intraday exit rules for one short iron condor, evaluated at each bar close (R10-R11 variants: stop
 * at k x credit, profit take at p% of the credit, a time exit on expiry day, a stop when a short
 * strike is touched). Pure: the caller supplies the bars, a pricer and a fill model.
 *
 * No look-ahead: the decision at a bar close uses that bar and earlier ones only; the first rule that
 * fires ends the evaluation, so later bars are never read (tested with a poisoned later bar).
 */

/** Cost to buy back one short condor, index points per condor: at mid, and crossing every leg. */
export interface CondorCloseQuote {
  readonly mid: number;
  /** Natural debit: shorts bought at the ask, longs sold at the bid (>= mid). */
  readonly natural: number;
  /**
   * Where the price came from: real recorded quotes (vendor, quote instant) or the model (absent =
   * modelled). Counted per mark in the evaluation, so a report never passes a model price for a quote.
   */
  readonly quotes?: { readonly kind: 'real'; readonly vendor: string; readonly quoteTimeUtcMs: number };
}

/**
 * Prices the condor at an SPX level and a time left to expiry (minutes, > 0). Returns null when it
 * cannot be priced (no two-sided market); that bar is then skipped and counted. `atEt` is the bar
 * close (minutes ET) when the evaluator marks at a bar: a pricer with recorded quotes may use the ones
 * stamped at or before it (never after); without it (e.g. the approximation's choice of the adverse
 * extreme) only a model can answer.
 */
export type CondorPricer = (spot: number, minutesToExpiry: number, atEt?: number) => CondorCloseQuote | null;

/** The rules (null / false = off). Semantics as in `exits` of the strategy config. */
export interface IntradayExitRules {
  /** Stop when the mid cost to close >= this multiple of the entry credit (e.g. 2). */
  readonly stopCreditMultiple: number | null;
  /** Take profit when the captured share of the credit >= this percentage, i.e. mid <= (1 - p/100) x credit. */
  readonly profitTakePct: number | null;
  /** Close at the first bar close at or after this Chicago time (`HH:MM` CT) on the expiry day. */
  readonly timeExitCt: string | null;
  /** Close at the close of the first bar whose range reaches a short strike (low <= put short or high >= call short). */
  readonly shortStrikeTouch: boolean;
}

/** Every rule off: the evaluator never exits (hold to expiry, today's behaviour). */
export const NO_INTRADAY_EXIT_RULES: IntradayExitRules = {
  stopCreditMultiple: null,
  profitTakePct: null,
  timeExitCt: null,
  shortStrikeTouch: false,
};

/** True when at least one intraday exit rule is set. */
export function hasIntradayExitRule(rules: IntradayExitRules): boolean {
  return (
    rules.stopCreditMultiple !== null ||
    rules.profitTakePct !== null ||
    rules.timeExitCt !== null ||
    rules.shortStrikeTouch
  );
}

export type IntradayExitRule = 'stop-credit-multiple' | 'short-strike-touch' | 'profit-take' | 'time-exit';

/** Order in which rules that fire at the same bar close are reported (the first one is the exit). */
export const INTRADAY_EXIT_RULE_PRIORITY: readonly IntradayExitRule[] = [
  'stop-credit-multiple',
  'short-strike-touch',
  'profit-take',
  'time-exit',
];

/** What the evaluator needs of the position. */
export interface IntradayExitPosition {
  readonly strikes: CondorStrikes;
  /** Credit received at the entry fill, points per condor (> 0). */
  readonly entryCredit: number;
  readonly expiry: IsoDate;
  readonly settlement: SettlementStyle;
}

export interface IntradayExitInput {
  readonly day: IntradayDay;
  readonly position: IntradayExitPosition;
  readonly rules: IntradayExitRules;
  readonly pricer: CondorPricer;
  readonly fill: FillModel;
  /**
   * Use only bars that start at or after this instant (minutes ET): the entry time on the entry day,
   * so no bar that began before the fill is used. Default: every bar of the day.
   */
  readonly afterEt?: number;
  /** Also return the condor's mark at every evaluated bar close. */
  readonly recordMarks?: boolean;
}

/** The condor's value at one bar close. */
export interface IntradayMark {
  readonly atEt: number;
  readonly spot: number;
  readonly minutesToExpiry: number;
  /** null when the pricer could not price the condor there. */
  readonly quote: CondorCloseQuote | null;
}

export interface IntradayExit {
  readonly rule: IntradayExitRule;
  /** Every rule that fired at this bar close, in priority order (the first is `rule`). */
  readonly triggered: readonly IntradayExitRule[];
  readonly date: IsoDate;
  /** Decision and fill instant: the bar's close, minutes ET. */
  readonly atEt: number;
  readonly barStartEt: number;
  /** SPX at the decision (the bar's close). */
  readonly spot: number;
  readonly minutesToExpiry: number;
  readonly closeMid: number;
  readonly closeNatural: number;
  /** 'real': the mark and the fill used recorded bid/ask quotes; 'modelled': the pricer's model. */
  readonly quotes: 'real' | 'modelled';
  /** Debit paid to close under the fill model (4 legs), points per condor. */
  readonly fillDebit: number;
  /** entryCredit - fillDebit, points per condor, before fees. */
  readonly pnlPoints: number;
  readonly source: IntradaySource;
  readonly reason: string;
}

export interface IntradayExitEvaluation {
  /** The first exit, or null: no rule fired on this day (the position stays open or settles). */
  readonly exit: IntradayExit | null;
  readonly date: IsoDate;
  readonly source: IntradaySource;
  /** Bar closes at which the rules were evaluated (before expiry, after `afterEt`). */
  readonly barsEvaluated: number;
  /** Of those, bars the pricer could not price: no rule is checked there (an exit needs a price to fill). */
  readonly barsUnpriceable: number;
  /** Of the priced bar closes, those marked with real recorded quotes (the others were modelled). */
  readonly realQuoteMarks: number;
  /** Vendor gaps of the day (grid bars missing) inside the evaluated span: decisions that could not be taken. */
  readonly missingBars: number;
  readonly marks?: readonly IntradayMark[];
}

function checkRules(rules: IntradayExitRules): void {
  const k = rules.stopCreditMultiple;
  if (k !== null && !(k > 0 && Number.isFinite(k))) {
    throw new InvalidInputError(
      `stopCreditMultiple: ${String(k)} must be a positive number or null`,
      'stopCreditMultiple',
      'e.g. 2 (close when the condor costs twice the credit)',
    );
  }
  const p = rules.profitTakePct;
  if (p !== null && !(p > 0 && p <= 100)) {
    throw new InvalidInputError(
      `profitTakePct: ${String(p)} must be in (0, 100] or null`,
      'profitTakePct',
      'e.g. 50 (close when half the credit is captured)',
    );
  }
  if (rules.timeExitCt !== null) parseHhmm(rules.timeExitCt, 'timeExitCt');
}

/**
 * Evaluates the exit rules at each bar close of `day` for one condor. A bar is evaluated when it
 * starts at or after `afterEt` and closes before the settlement instant (a PM condor is not
 * evaluated at 16:00 on its expiry day: it settles). At each close: price the condor with
 * `pricer(close, minutesToExpiry)`, then check, in priority order, the stop (mid >= k x credit), the
 * short-strike touch (the bar's range reaches a short strike), the profit take
 * (mid <= (1 - p/100) x credit) and the time exit (expiry day, bar close >= the exit time). The
 * first bar where a rule fires is the exit; it fills at `buyFillDebit(mid, natural, 4, fill)` at that
 * bar's close. A bar the pricer cannot price is skipped (counted).
 */
export function evaluateIntradayExits(input: IntradayExitInput): IntradayExitEvaluation {
  const { day, position: pos, rules, pricer, fill } = input;
  checkRules(rules);
  if (!(pos.entryCredit > 0 && Number.isFinite(pos.entryCredit))) {
    throw new InvalidInputError(
      `entryCredit: ${String(pos.entryCredit)} must be a positive number of points`,
      'entryCredit',
      'the credit received per condor at the entry fill',
    );
  }
  const afterEt = input.afterEt ?? Number.NEGATIVE_INFINITY;
  const marks: IntradayMark[] | undefined = input.recordMarks ? [] : undefined;
  const base = {
    date: day.date,
    source: day.source,
  };
  if (day.date > pos.expiry || !hasIntradayExitRule(rules)) {
    return {
      ...base,
      exit: null,
      barsEvaluated: 0,
      barsUnpriceable: 0,
      realQuoteMarks: 0,
      missingBars: 0,
      marks,
    };
  }
  const expiryUtcMs = settlementInstantUtcMs(pos.expiry, pos.settlement);
  const openUtcMs = newYorkTimeToUtcMs(day.date, formatEt(day.windowOpenEt));
  const minutesToExpiryAt = (et: number) =>
    (expiryUtcMs - (openUtcMs + (et - day.windowOpenEt) * MS_PER_MINUTE)) / MS_PER_MINUTE;
  const timeExitEt =
    rules.timeExitCt !== null && day.date === pos.expiry ? ctToEt(rules.timeExitCt, 'timeExitCt') : null;
  let evaluated = 0;
  let unpriceable = 0;
  let realMarks = 0;
  let lastEt = Number.NEGATIVE_INFINITY;
  let exit: IntradayExit | null = null;
  for (const bar of day.bars) {
    if (bar.startEt < afterEt) continue;
    const atEt = barEndEt(day, bar);
    const minutesToExpiry = minutesToExpiryAt(atEt);
    if (minutesToExpiry <= 0) break;
    evaluated++;
    lastEt = atEt;
    const quote = pricer(bar.close, minutesToExpiry, atEt);
    marks?.push({ atEt, spot: bar.close, minutesToExpiry, quote });
    if (quote === null) {
      unpriceable++;
      continue;
    }
    if (quote.quotes?.kind === 'real') realMarks++;
    const triggered = firedRules(bar, quote, atEt, pos, rules, timeExitEt);
    if (triggered.length === 0) continue;
    exit = makeExit(day, bar, atEt, minutesToExpiry, quote, triggered, pos, rules, fill);
    break;
  }
  const missingBars = day.missingStartsEt.filter(
    (t) => t >= afterEt && Math.min(t + day.resolutionMinutes, day.windowCloseEt) <= lastEt,
  ).length;
  return {
    ...base,
    exit,
    barsEvaluated: evaluated,
    barsUnpriceable: unpriceable,
    realQuoteMarks: realMarks,
    missingBars,
    marks,
  };
}

function firedRules(
  bar: IntradayBar,
  quote: CondorCloseQuote,
  atEt: number,
  pos: IntradayExitPosition,
  rules: IntradayExitRules,
  timeExitEt: number | null,
): IntradayExitRule[] {
  const out: IntradayExitRule[] = [];
  if (rules.stopCreditMultiple !== null && quote.mid >= rules.stopCreditMultiple * pos.entryCredit) {
    out.push('stop-credit-multiple');
  }
  if (rules.shortStrikeTouch && (bar.low <= pos.strikes.putShort || bar.high >= pos.strikes.callShort)) {
    out.push('short-strike-touch');
  }
  if (rules.profitTakePct !== null && quote.mid <= (1 - rules.profitTakePct / 100) * pos.entryCredit) {
    out.push('profit-take');
  }
  if (timeExitEt !== null && atEt >= timeExitEt) out.push('time-exit');
  return out;
}

function makeExit(
  day: IntradayDay,
  bar: IntradayBar,
  atEt: number,
  minutesToExpiry: number,
  quote: CondorCloseQuote,
  triggered: IntradayExitRule[],
  pos: IntradayExitPosition,
  rules: IntradayExitRules,
  fill: FillModel,
): IntradayExit {
  const rule = triggered[0] as IntradayExitRule;
  const fillDebit = buyFillDebit(quote.mid, quote.natural, 4, fill);
  const at = `${day.date} ${formatEt(atEt)} ET`;
  const src = day.source === 'bars' ? `${day.resolutionMinutes}-minute bars` : 'the daily-OHLC approximation';
  const real = quote.quotes?.kind === 'real' ? quote.quotes : undefined;
  const priced = real
    ? `real quotes of ${real.vendor} stamped ${formatUtcAsEt(day.date, real.quoteTimeUtcMs)} ET`
    : 'modelled';
  let why: string;
  switch (rule) {
    case 'stop-credit-multiple':
      why = `cost to close ${quote.mid.toFixed(2)} >= ${rules.stopCreditMultiple} x credit ${pos.entryCredit.toFixed(2)}`;
      break;
    case 'short-strike-touch':
      why = `SPX range ${bar.low.toFixed(2)}-${bar.high.toFixed(2)} reached a short strike (${pos.strikes.putShort} / ${pos.strikes.callShort})`;
      break;
    case 'profit-take':
      why = `cost to close ${quote.mid.toFixed(2)} <= ${(1 - (rules.profitTakePct as number) / 100).toFixed(2)} x credit ${pos.entryCredit.toFixed(2)} (${rules.profitTakePct}% captured)`;
      break;
    default:
      why = `time exit ${rules.timeExitCt} CT on the expiry day`;
  }
  return {
    rule,
    triggered,
    date: day.date,
    atEt,
    barStartEt: bar.startEt,
    spot: bar.close,
    minutesToExpiry,
    closeMid: quote.mid,
    closeNatural: quote.natural,
    quotes: real ? 'real' : 'modelled',
    fillDebit,
    pnlPoints: pos.entryCredit - fillDebit,
    source: day.source,
    reason: `${rule} at ${at} (SPX ${bar.close.toFixed(2)}, ${src}): ${why}; fill ${fillDebit.toFixed(2)} (${fill.name}, ${priced})`,
  };
}

/** A UTC instant on `date` as New York HH:MM (quotes are stamped on their trading date). */
function formatUtcAsEt(date: IsoDate, utcMs: number): string {
  const m = Math.round((utcMs - newYorkTimeToUtcMs(date, '00:00')) / MS_PER_MINUTE);
  return m >= 0 && m < 1440 ? formatEt(m) : `${m} min after ${date} 00:00`;
}

/**
 * Which extreme of a daily bar is adverse for a short condor: the one at which it costs more to
 * close (`costAt(spot)`, e.g. the pricer's mid at the time the approximation reaches the first
 * extreme). When the cost cannot tell (either side unpriceable, or equal), the geometric rule: the
 * extreme with the smaller margin to its short strike (low - put short vs call short - high);
 * a tie goes to the low.
 */
export function adverseExtremeForCondor(
  ohlc: DailyOhlc,
  strikes: CondorStrikes,
  costAt?: (spot: number) => number | null,
): AdverseExtreme {
  checkDailyOhlc(ohlc);
  const atLow = costAt?.(ohlc.low) ?? null;
  const atHigh = costAt?.(ohlc.high) ?? null;
  if (atLow !== null && atHigh !== null && atLow !== atHigh) return atLow > atHigh ? 'low' : 'high';
  const lowMargin = ohlc.low - strikes.putShort;
  const highMargin = strikes.callShort - ohlc.high;
  return highMargin < lowMargin ? 'high' : 'low';
}

export interface DailyOhlcExitInput extends Omit<IntradayExitInput, 'day'> {
  readonly date: IsoDate;
  readonly ohlc: DailyOhlc;
  readonly approximation?: OhlcApproximationOptions;
}

/**
 * The exit rules on a day without bars: the adverse extreme (adverseExtremeForCondor, priced at the
 * time the path reaches it) is taken first, the synthetic path is built (ohlcApproximationDay) and
 * evaluated like bars. Every result says source 'ohlc-approximation'.
 */
export function evaluateIntradayExitsOnDailyOhlc(
  input: DailyOhlcExitInput,
): IntradayExitEvaluation & { readonly adverse: AdverseExtreme } {
  const { date, ohlc, position, pricer } = input;
  const window = intradayWindowEt(date, 'spx');
  const res = input.approximation?.resolutionMinutes ?? DEFAULT_OHLC_APPROXIMATION.resolutionMinutes;
  const [f1] = input.approximation?.extremeFractions ?? DEFAULT_OHLC_APPROXIMATION.extremeFractions;
  const t1 = window.openEt + Math.round((f1 * (window.closeEt - window.openEt)) / res) * res;
  const expiryUtcMs = settlementInstantUtcMs(position.expiry, position.settlement);
  const minutesAtT1 = (expiryUtcMs - newYorkTimeToUtcMs(date, formatEt(t1))) / MS_PER_MINUTE;
  const costAt =
    minutesAtT1 > 0 && date <= position.expiry
      ? (spot: number) => pricer(spot, minutesAtT1)?.mid ?? null
      : undefined;
  const adverse = adverseExtremeForCondor(ohlc, position.strikes, costAt);
  const day = ohlcApproximationDay(date, ohlc, adverse, input.approximation);
  return { ...evaluateIntradayExits({ ...input, day }), adverse };
}

/** The options of `exits.intraday.approximation` (strategy config) for the approximation functions. */
export function ohlcApproximationOptions(a: {
  readonly firstExtremeAt: number;
  readonly secondExtremeAt: number;
  readonly barMinutes: number;
}): OhlcApproximationOptions {
  return { extremeFractions: [a.firstExtremeAt, a.secondExtremeAt], resolutionMinutes: a.barMinutes };
}
