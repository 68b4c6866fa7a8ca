import { MS_PER_MINUTE, newYorkTimeToUtcMs } from '../calendar/index';
import type { IsoDate } from '../domain/index';
import { LEGS_PER_CONDOR } from '../domain/index';
import { type FeeSchedule, type FillModel, feesUsd } from '../execution/index';
import {
  CALIBRATED_SHORT_DATED_PARAMS,
  type ChainSource,
  ctToEt,
  type DailyOhlc,
  expiryVolFn,
  formatEt,
  type IntradayDay,
  type IntradaySource,
  NON_TRADING_DAY_VARIANCE_WEIGHT,
  type OptionChain,
  type ShortDatedParams,
  twapAt,
  type VolSurface,
} from '../market/index';
import type { OpenCondor, Portfolio } from '../portfolio/index';
import {
  type CondorPricer,
  evaluateIntradayExits,
  evaluateIntradayExitsOnDailyOhlc,
  hasIntradayExitRule,
  type IntradayExitEvaluation,
  type IntradayExitRule,
  modelCondorPricer,
  ohlcApproximationOptions,
  type StrategyConfig,
} from '../strategies/index';
import { closeDebitsOf, condorQuoteIn } from './simulated-broker';

/*
 * The intraday exit phase of the backtest (issue 16). Between the previous 15:10 CT session and
 * today's, the open condors live through today's regular session; where intraday SPX bars exist each
 * one is marked at every bar close with the surface known at the previous session (the last one
 * before the bars: no surface built on today's closes is used) for the time left to expiry, and the
 * exit rules of `exits.intraday` are checked bar by bar (strategies/exits/intraday-exits.ts). Where no
 * bars exist the daily-OHLC approximation stands in (adverse extreme first) and is reported as such.
 * With no rule set the phase only counts the sessions with bars (their TWAP feeds the rollback rule)
 * and touches nothing: the trades, equity and metrics are the daily backtest's, byte for byte.
 */

/** What the phase needs from outside core: the bars and the surface, both read by date only. */
export interface IntradayBacktestInputs {
  /** SPX bars of a session date (one resolution for the whole run), or undefined when none. */
  readonly bars: (date: IsoDate) => IntradayDay | undefined;
  /**
   * The short regime the run's chains were priced with, so a mark reads the model that priced the
   * entry (default CALIBRATED_SHORT_DATED_PARAMS; a sensitivity run scales it, ADR 0010).
   */
  readonly shortDated?: ShortDatedParams | null;
  /**
   * The variance weight of a non-trading day the run's chains were priced with (default
   * NON_TRADING_DAY_VARIANCE_WEIGHT; null: plain calendar time), for marks of expiries beyond the short
   * regime.
   */
  readonly nonTradingDayVarianceWeight?: number | null;
  /** The vol surface as built at the session of `asOf` (its 15:10 CT closes), or undefined. */
  readonly surface: (asOf: IsoDate) => VolSurface | undefined;
  /** What the bars are, for the report, e.g. "SPX hourly bars (Yahoo), 736 days 2023-09-15..2026-08-21". */
  readonly description: string;
  /**
   * How old a recorded quote may be at a bar close to mark the condor there, minutes (default
   * REAL_QUOTE_MAX_AGE_MINUTES). A quote stamped after the bar close is never used.
   */
  readonly realQuoteMaxAgeMinutes?: number;
}

/**
 * A recorded chain marks a condor at a bar close only when it was quoted at most this many minutes
 * before it (and not after): an hourly bar's mark then reflects that bar's market, not an older one.
 */
export const REAL_QUOTE_MAX_AGE_MINUTES = 5;

/** Intraday marks (priced bar closes) by what priced them. */
export interface IntradayMarkCounts {
  /** Real recorded bid/ask of the run's chain source, stamped at or shortly before the bar close. */
  readonly real: number;
  /** The surface model (no recorded quote for the legs at that instant). */
  readonly modelled: number;
}

/** Sessions (or condor-days) by what the intraday exit rules ran on. */
export interface IntradaySourceCounts {
  readonly bars: number;
  readonly ohlcApproximation: number;
  readonly neither: number;
}

/** One intraday exit that closed a condor. */
export interface IntradayExitRecord {
  readonly positionId: string;
  readonly chainId: string;
  readonly date: IsoDate;
  /** Decision and fill time, New York time HH:MM (the bar's close). */
  readonly atEt: string;
  readonly rule: IntradayExitRule;
  readonly triggered: readonly IntradayExitRule[];
  readonly source: IntradaySource;
  readonly resolutionMinutes: number;
  readonly spot: number;
  readonly minutesToExpiry: number;
  readonly closeMid: number;
  readonly fillDebit: number;
  /** What priced the exit's mark and fill: real recorded quotes or the model. */
  readonly quotes: 'real' | 'modelled';
  readonly entryCredit: number;
  readonly quantity: number;
  readonly reason: string;
}

/** The phase's report, in every backtest result (issue 16: every report says what each session used). */
export interface IntradayRunReport {
  readonly rules: StrategyConfig['exits']['intraday'];
  /**
   * False when no `exits.intraday` rule is set: nothing is marked or closed intraday; `sessions.bars`
   * then counts the sessions whose bars fed the rollback rule's TWAP, the approximation is not used.
   */
  readonly rulesSet: boolean;
  readonly barsDescription: string;
  /** Every session of the run by what its intraday exit check could use. */
  readonly sessions: IntradaySourceCounts;
  /** Open condors checked on a session, by source (one per condor per session). */
  readonly condorDays: IntradaySourceCounts;
  readonly barsEvaluated: number;
  readonly barsUnpriceable: number;
  /** The priced bar closes (barsEvaluated - barsUnpriceable) by what priced them. */
  readonly marks: IntradayMarkCounts;
  readonly missingBars: number;
  readonly exitsByRule: Readonly<Record<IntradayExitRule, number>>;
  readonly exitsBySource: Readonly<Record<IntradaySource, number>>;
  readonly exits: readonly IntradayExitRecord[];
  readonly notes: readonly string[];
}

/** The rollback rule's "session VWAP": a TWAP from the bars, or the typical price with the input named missing. */
export interface SessionVwap {
  readonly value: number | null;
  readonly kind: 'twap' | 'typical-price';
  /** For the reason text: what the number is. */
  readonly label: string;
}

/**
 * The rollback rule's input at the session instant: the TWAP of the bars closed by then (all of the
 * session at 15:10 CT), where bars exist; elsewhere the input is missing and the typical price
 * (H+L+C)/3 of the daily bar stands in, labelled so.
 */
export function sessionVwap(
  day: IntradayDay | undefined,
  sessionTimeCt: string,
  typicalPrice: number | null,
): SessionVwap {
  if (day) {
    const t = twapAt(day, ctToEt(sessionTimeCt));
    if (t) {
      const res = day.resolutionMinutes === 60 ? 'hourly' : `${day.resolutionMinutes}-minute`;
      return {
        value: t.twap,
        kind: 'twap',
        label: `TWAP ${t.twap.toFixed(2)} of ${t.barsUsed} ${res} bars (index bars carry no volume: not a VWAP)`,
      };
    }
  }
  return {
    value: typicalPrice,
    kind: 'typical-price',
    label:
      typicalPrice === null
        ? 'VWAP input missing (no intraday bars, no daily high/low)'
        : `VWAP input missing (no intraday bars): typical price (H+L+C)/3 ${typicalPrice.toFixed(2)} used instead`,
  };
}

export interface IntradayExitPhase {
  /**
   * Runs the day `date` for every condor open before today's session: marks, rules, and closes the
   * ones that exit at their fill. `prior`: the last session before today (surface and rates), or
   * undefined on the first session. `dailyOhlc`: today's SPX bar (for days without bars).
   */
  run(
    portfolio: Portfolio,
    date: IsoDate,
    prior: { readonly date: IsoDate; readonly r: number; readonly q: number } | undefined,
    dailyOhlc: DailyOhlc | undefined,
  ): void;
  report(): IntradayRunReport;
}

type MutableCounts = { bars: number; ohlcApproximation: number; neither: number };

function countSource(c: MutableCounts, s: IntradaySource | 'neither'): void {
  if (s === 'bars') c.bars++;
  else if (s === 'ohlc-approximation') c.ohlcApproximation++;
  else c.neither++;
}

/** A daily bar the approximation can use: positive, low <= open, close <= high (else 'neither'). */
function usableDailyBar(b: DailyOhlc): boolean {
  return b.low > 0 && b.low <= Math.min(b.open, b.close) && b.high >= Math.max(b.open, b.close);
}

/**
 * The pricer of one condor for the day: Black-Scholes-Merton per leg at the surface's implied vol for
 * the leg's strike and the time left (sticky strike: the surface of the previous session, moved only
 * by time), bid/ask from the calibrated spread model, so the spread widens near expiry as the model's.
 */
/**
 * The real chains that may mark a condor on `date`: the run's chain source's recorded quotes for the
 * condor's expiry and settlement (`quotesOn`, every snapshot of the day; else the day's one chain when
 * the source is real). A modelled source has none (it is not even asked: no chain is built for this).
 */
export function recordedChainsFor(
  chains: ChainSource | undefined,
  date: IsoDate,
  p: Pick<OpenCondor, 'expiry' | 'settlement'>,
): readonly OptionChain[] {
  if (!chains) return [];
  let list: readonly OptionChain[];
  if (chains.quotesOn) list = chains.quotesOn(date, p.expiry);
  else if (chains.pricesSource === 'real') {
    const c = chains.chain(date, p.expiry);
    list = c ? [c] : [];
  } else return [];
  return list.filter(
    (c) =>
      c.source.kind === 'real' && c.asOf === date && c.expiry === p.expiry && c.settlement === p.settlement,
  );
}

/**
 * The latest of `chains` quoted at or before `atUtcMs` and at most `maxAgeMinutes` before it; never
 * one stamped after (a later quote is look-ahead for a decision at `atUtcMs`).
 */
export function recordedChainAt(
  chains: readonly OptionChain[],
  atUtcMs: number,
  maxAgeMinutes: number,
): OptionChain | undefined {
  let best: OptionChain | undefined;
  for (const c of chains) {
    if (c.quoteTimeUtcMs > atUtcMs || atUtcMs - c.quoteTimeUtcMs > maxAgeMinutes * MS_PER_MINUTE) continue;
    if (!best || c.quoteTimeUtcMs > best.quoteTimeUtcMs) best = c;
  }
  return best;
}

/**
 * The condor's pricer for the day: at a bar close where a recorded chain has two-sided quotes for all
 * four legs (stamped at or at most `maxAgeMinutes` before it), those quotes, priced as the daily
 * session prices a held condor (`condorQuoteIn`: mid and natural from the real bid/ask, the fill model
 * applied by the evaluator); everywhere else the model.
 */
export function recordedOrModelCondorPricer(
  model: CondorPricer,
  recorded: readonly OptionChain[],
  date: IsoDate,
  p: Pick<OpenCondor, 'strikes'>,
  r: number,
  q: number,
  maxAgeMinutes: number,
): CondorPricer {
  if (recorded.length === 0) return model;
  const midnightUtcMs = newYorkTimeToUtcMs(date, '00:00');
  return (spot, minutesToExpiry, atEt) => {
    if (atEt !== undefined) {
      const chain = recordedChainAt(recorded, midnightUtcMs + atEt * MS_PER_MINUTE, maxAgeMinutes);
      const quote = chain ? condorQuoteIn(chain, r, q, p.strikes) : undefined;
      if (chain && quote && chain.source.kind === 'real') {
        return {
          ...closeDebitsOf(quote),
          quotes: { kind: 'real', vendor: chain.source.vendor, quoteTimeUtcMs: chain.quoteTimeUtcMs },
        };
      }
    }
    return model(spot, minutesToExpiry);
  };
}

/**
 * The modelled pricer of a live condor at an intraday instant, on the surface built at `surfaceDate`
 * (sticky strike: nothing built on the marked session's closes is used). An expiry at most two sessions
 * after `surfaceDate` is priced as the modelled chains price it (the short-dated regime): the surface's
 * one-day vol, in business time, for the variance left to the expiry at the bar (the rest of `date`'s
 * session and the sessions after it, short-dated.ts), so an entry at 15:10 CT and its marks the next
 * day come from one model. Later expiries, or a surface without a one-day vol, use the surface's own
 * implied vol in variance time, floored at the short regime's boundary: the modelled chains' own vol
 * function (expiryVolFn), with the rest of the marked session counted as trading time
 * (varianceTimeRatioAt), so after the close a mark equals the chain's price and inside the session it
 * carries the variance the short regime would give the session's remainder.
 */
export function surfaceCondorPricer(
  surface: VolSurface,
  p: Pick<OpenCondor, 'strikes' | 'expiry' | 'settlement'>,
  r: number,
  q: number,
  days: { readonly surfaceDate: IsoDate; readonly date: IsoDate },
  shortDated: ShortDatedParams | null = CALIBRATED_SHORT_DATED_PARAMS,
  nonTradingDayVarianceWeight: number | null = NON_TRADING_DAY_VARIANCE_WEIGHT,
): CondorPricer {
  return modelCondorPricer({
    strikes: p.strikes,
    r,
    q,
    vol: expiryVolFn(
      surface,
      {
        surfaceDate: days.surfaceDate,
        quoteDate: days.date,
        expiry: p.expiry,
        settlementAm: p.settlement === 'AM',
      },
      { shortDated, nonTradingDayVarianceWeight, restOfSessionIsTradingTime: true },
    ),
  });
}

/**
 * The phase for a run. With no intraday exit rule set it only counts sessions (bars or neither) and
 * never touches the portfolio (the daily backtest, unchanged). Throws nothing on missing data: a day
 * without bars or a daily bar is counted as 'neither'.
 */
export function createIntradayExitPhase(
  cfg: StrategyConfig,
  inputs: IntradayBacktestInputs | undefined,
  fill: FillModel,
  fees: FeeSchedule,
  /** The run's chain source (the daily path's pricing port): its recorded quotes mark where they exist. */
  chains?: ChainSource,
): IntradayExitPhase {
  const rules = cfg.exits.intraday;
  const rulesSet = hasIntradayExitRule(rules);
  const approximation = ohlcApproximationOptions(rules.approximation);
  const sessions: MutableCounts = { bars: 0, ohlcApproximation: 0, neither: 0 };
  const condorDays: MutableCounts = { bars: 0, ohlcApproximation: 0, neither: 0 };
  const exitsByRule: Record<IntradayExitRule, number> = {
    'stop-credit-multiple': 0,
    'short-strike-touch': 0,
    'profit-take': 0,
    'time-exit': 0,
  };
  const exitsBySource: Record<IntradaySource, number> = { bars: 0, 'ohlc-approximation': 0 };
  const exits: IntradayExitRecord[] = [];
  let barsEvaluated = 0;
  let barsUnpriceable = 0;
  let realQuoteMarks = 0;
  let missingBars = 0;
  const maxAge = inputs?.realQuoteMaxAgeMinutes ?? REAL_QUOTE_MAX_AGE_MINUTES;

  return {
    run(portfolio, date, prior, dailyOhlc) {
      const day = inputs?.bars(date);
      if (!rulesSet) {
        countSource(sessions, day ? 'bars' : 'neither');
        return;
      }
      const source: IntradaySource | 'neither' = day
        ? 'bars'
        : dailyOhlc && usableDailyBar(dailyOhlc) && rules.daysWithoutBars === 'ohlc-approximation'
          ? 'ohlc-approximation'
          : 'neither';
      countSource(sessions, source);
      const open = portfolio.openCondors.filter((p) => p.openedOn < date && p.expiry >= date);
      if (open.length === 0) return;
      const surface = prior ? inputs?.surface(prior.date) : undefined;
      for (const p of open) {
        if (source === 'neither' || !surface || !prior) {
          countSource(condorDays, 'neither');
          continue;
        }
        countSource(condorDays, source);
        const common = {
          position: {
            strikes: p.strikes,
            entryCredit: p.entryCredit,
            expiry: p.expiry,
            settlement: p.settlement,
          },
          rules,
          pricer: recordedOrModelCondorPricer(
            surfaceCondorPricer(
              surface,
              p,
              prior.r,
              prior.q,
              { surfaceDate: prior.date, date },
              inputs?.shortDated === undefined ? CALIBRATED_SHORT_DATED_PARAMS : inputs.shortDated,
              inputs?.nonTradingDayVarianceWeight === undefined
                ? NON_TRADING_DAY_VARIANCE_WEIGHT
                : inputs.nonTradingDayVarianceWeight,
            ),
            recordedChainsFor(chains, date, p),
            date,
            p,
            prior.r,
            prior.q,
            maxAge,
          ),
          fill,
        };
        const ev: IntradayExitEvaluation =
          source === 'bars'
            ? evaluateIntradayExits({ ...common, day: day as IntradayDay })
            : evaluateIntradayExitsOnDailyOhlc({
                ...common,
                date,
                ohlc: dailyOhlc as DailyOhlc,
                approximation,
              });
        barsEvaluated += ev.barsEvaluated;
        barsUnpriceable += ev.barsUnpriceable;
        realQuoteMarks += ev.realQuoteMarks;
        missingBars += ev.missingBars;
        const x = ev.exit;
        if (!x) continue;
        portfolio.closeCondor(p, date, x.fillDebit, 'closed', feesUsd(LEGS_PER_CONDOR * p.quantity, fees));
        exitsByRule[x.rule]++;
        exitsBySource[x.source]++;
        exits.push({
          positionId: p.id,
          chainId: p.chainId,
          date,
          atEt: formatEt(x.atEt),
          rule: x.rule,
          triggered: x.triggered,
          source: x.source,
          resolutionMinutes:
            source === 'bars'
              ? (day as IntradayDay).resolutionMinutes
              : (approximation.resolutionMinutes ?? 5),
          spot: x.spot,
          minutesToExpiry: x.minutesToExpiry,
          closeMid: x.closeMid,
          fillDebit: x.fillDebit,
          quotes: x.quotes,
          entryCredit: p.entryCredit,
          quantity: p.quantity,
          reason: x.reason,
        });
      }
    },
    report() {
      const sessionsNote = rulesSet
        ? `Sessions: ${sessions.bars} with intraday bars, ${sessions.ohlcApproximation} on the daily-OHLC approximation (high and low both reached, the adverse extreme first; timing assumed), ${sessions.neither} with neither (no exit rule could run).`
        : `No intraday exit rule set (exits.intraday): nothing was marked or closed intraday (condors held to expiry or closed at the daily session). Sessions: ${sessions.bars} with intraday bars (their TWAP fed the rollback rule's VWAP input, nothing else), ${sessions.neither} with neither; the daily-OHLC approximation is used by exit rules only (0).`;
      return {
        rules,
        rulesSet,
        barsDescription: inputs?.description ?? 'no intraday bars given',
        sessions: { ...sessions },
        condorDays: { ...condorDays },
        barsEvaluated,
        barsUnpriceable,
        marks: { real: realQuoteMarks, modelled: barsEvaluated - barsUnpriceable - realQuoteMarks },
        missingBars,
        exitsByRule: { ...exitsByRule },
        exitsBySource: { ...exitsBySource },
        exits: [...exits],
        notes: [
          sessionsNote,
          `Marks: each open condor at every bar close; ${realQuoteMarks} of ${barsEvaluated - barsUnpriceable} from real recorded quotes (a chain of the run's chain source stamped at most ${maxAge} min before the bar close, never after; ${chains?.quotesOn || chains?.pricesSource === 'real' ? 'the recorded chains of this run' : 'this run prices with the model: backtest --source real reads recorded chains'}), the rest modelled: Black-Scholes-Merton per leg at the implied vol of the surface built at the previous session (sticky strike, only the time left changes), bid/ask from the calibrated spread model. Exits fill under the run fill model at that bar close, on the bid/ask that marked it.`,
          'The VIX-call hedge has no intraday data (no VIX bars): it keeps its last session mark through the day and no rule acts on it.',
          'No look-ahead inside the day: a decision at a bar close sees that bar and earlier ones only; the first rule that fires ends the day for the condor.',
        ],
      };
    },
  };
}
