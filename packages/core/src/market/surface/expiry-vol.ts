import {
  dteTradingDays,
  MINUTES_PER_YEAR,
  MS_PER_MINUTE,
  nextTradingDay,
  session,
  sessionFractionRemaining,
  settlementInstantUtcMs,
  yearFraction,
} from '../../calendar/index';
import { addDays, type IsoDate } from '../../domain/index';
import {
  quoteDayVarianceLeft,
  type ShortDatedParams,
  shortDatedAtmScale,
  shortDatedVolFn,
} from './short-dated';
import type { VolSurface } from './surface';
import { VOL_INDEX_TENOR_DAYS } from './term-structure';

/*
 * The implied vol of one expiry at one quote instant, as every modelled price reads it: the modelled
 * chains (ModelledChainSource) and the intraday marks of a held condor (surfaceCondorPricer) both call
 * expiryVolFn, so a condor's close-of-day mark and its marks inside the next session come from one model.
 *
 * Two regimes meet here (surface 1.8.0 joins them without calendar arbitrage):
 * - expiries at most `maxTradingDays` sessions after the surface's date: the short regime, priced from
 *   the day's one-day vol in business time (short-dated.ts);
 * - later expiries: the term regime, the surface's own vol (anchored on VIX9D at 9 days) scaled by the
 *   variance-time ratio (weekends and holidays carry a tenth of a trading day's variance).
 *
 * When the one-day vol is high against VIX9D (the front of the curve inverted: VIX1D/VIX9D above about
 * 0.85, common in 2024-26, and 1.43 on 2025-04-04), the short regime's 2-session total variance exceeded
 * the term regime's 3-session one: on 2024-08-05 the 2-session ATM straddle was 139.45 and the 3-session
 * one 122.50, a longer option cheaper than a shorter one. Across 2012-2026 that happened at the money on
 * 119 of 3,680 days, and on more in the wings, on the days the Temporal Theta Martingale rolls into
 * 1-7 session expiries. So a term-regime expiry's total variance at a strike is floored:
 *
 *   ws = short regime's total variance at the last short session's close (the "boundary"), at K
 *   w2 = term regime's total variance at that instant, at K;  excess E = ws - w2
 *   wA = term regime's total variance at its VIX9D anchor (9 calendar days), at K
 *   w  = max(ws, wT + E+ x (1 - u)),  u = clamp((wT - w2) / (wA - w2), 0, 1)
 *
 * i.e. the front's excess variance (sessions 1-2 priced higher by the one-day vol than by VIX9D's flat
 * front) is carried into the next expiries and fades out by the VIX9D tenor, where the term regime is
 * anchored to the published index; the max with ws keeps w non-decreasing when the excess is larger than
 * the term regime's variance over the whole fade (then later expiries hold ws until the term regime passes
 * it). w is non-decreasing in T at a fixed strike by construction (u rises with wT, and
 * d/dwT [wT + E (1 - u)] = 1 - E / (wA - w2) where that is negative the max takes ws). When the short
 * regime is below the term regime at the boundary (E <= 0: a calm front, most days) nothing changes.
 */

/** Where the term regime is anchored to a published index: VIX9D's tenor, calendar days. */
export const TERM_ANCHOR_CALENDAR_DAYS = VOL_INDEX_TENOR_DAYS.vix9d;

/**
 * A term-regime expiry's total variance at one strike, floored against the short regime's boundary
 * (above). All in total variance (sigma^2 T): `boundaryShort` = ws, `boundaryTerm` = w2, `anchorTerm` = wA,
 * `term` = wT.
 */
export function floorAcrossRegimes(
  boundaryShort: number,
  boundaryTerm: number,
  anchorTerm: number,
  term: number,
): number {
  const excess = boundaryShort - boundaryTerm;
  if (!(excess > 0)) return Math.max(boundaryShort, term);
  const span = anchorTerm - boundaryTerm;
  const u = span > 0 ? Math.min(1, Math.max(0, (term - boundaryTerm) / span)) : 1;
  return Math.max(boundaryShort, term + excess * (1 - u));
}

/**
 * Ratio of variance time to calendar time between a quote after the session and a settlement.
 * The VIX family is annualised in calendar time, which spreads a trading day's variance over weekends;
 * a 1DTE weekday option then needs about 1.35x the calendar variance. Trading days carry weight
 * a = 7 / (5 + 2w), non-trading days w a, so a whole week has exactly its calendar variance and
 * longer tenors are (nearly) unchanged.
 */
export function varianceTimeRatio(
  asOf: IsoDate,
  expiry: IsoDate,
  settlementAm: boolean,
  calendarYears: number,
  w: number,
): number {
  const calDays = calendarYears * 365;
  if (!(calDays > 0)) return 1;
  const trading = Math.max(0, dteTradingDays(asOf, expiry) - (settlementAm ? 1 : 0));
  return weightedTimeRatio(trading, Math.max(0, calDays - trading), calDays, w);
}

/**
 * The variance-time ratio at any instant of `quoteDate`, for a held condor's marks. After the session's
 * close it is varianceTimeRatio. Before or inside the session the rest of that session is trading time,
 * counted as the short regime counts it (quoteDayVarianceLeft); its calendar time leaves the
 * non-trading time. varianceTimeRatio alone counts the rest of the session as weekend time, which
 * prices an expiry day's last hours at a tenth of their variance. Continuous at the close.
 */
export function varianceTimeRatioAt(
  quoteDate: IsoDate,
  quoteUtcMs: number,
  expiry: IsoDate,
  settlementAm: boolean,
  calendarYears: number,
  w: number,
  quoteDayFomc = false,
): number {
  const rest = sessionFractionRemaining(quoteDate, quoteUtcMs);
  if (!(rest > 0)) return varianceTimeRatio(quoteDate, expiry, settlementAm, calendarYears, w);
  const calDays = calendarYears * 365;
  if (!(calDays > 0)) return 1;
  const trading = Math.max(0, dteTradingDays(quoteDate, expiry) - (settlementAm ? 1 : 0));
  const todayDays = Math.max(0, (session(quoteDate).closeUtcMs - quoteUtcMs) / DAY_MS);
  return weightedTimeRatio(
    trading + quoteDayVarianceLeft(rest, quoteDayFomc),
    Math.max(0, calDays - trading - todayDays),
    calDays,
    w,
  );
}

/** Trading days weigh a = 7 / (5 + 2w), non-trading days w a: a whole week keeps its calendar variance. */
function weightedTimeRatio(
  tradingDays: number,
  nonTradingDays: number,
  calendarDays: number,
  w: number,
): number {
  const a = 7 / (5 + 2 * w);
  return (a * (tradingDays + w * nonTradingDays)) / calendarDays;
}

/**
 * Variance weight of a weekend or holiday day against a trading day (French and Roll: a weekend adds
 * about as much variance as one extra weekday overnight, far less than two trading days). An assumption;
 * 0.1 makes a Friday-to-Monday option about as variant as a one-day weekday option.
 */
export const NON_TRADING_DAY_VARIANCE_WEIGHT = 0.1;

export interface ExpiryQuote {
  /** The surface's date (its closes: the one-day vol, VIX9D, ...). */
  readonly surfaceDate: IsoDate;
  /** The quote's date: the surface's date for a chain, a later session for an intraday mark. */
  readonly quoteDate: IsoDate;
  readonly expiry: IsoDate;
  /** AM settlement (the SPX monthly) or PM (SPXW). */
  readonly settlementAm: boolean;
}

export interface ExpiryVolOptions {
  /** The short regime (null: the term regime for every expiry, surface 1.1.0). */
  readonly shortDated: ShortDatedParams | null;
  /** Variance weight of a non-trading day (null: plain calendar time). */
  readonly nonTradingDayVarianceWeight: number | null;
  /**
   * Inside a session, the term regime counts the rest of it as trading time (varianceTimeRatioAt): the
   * intraday marks of a held condor. Default false: the modelled chains keep varianceTimeRatio at every
   * quote time, the convention the surface's BXM-calibrated level was fitted on (their only quotes inside
   * a session are the Cboe replications' roll chains; docs/validation.md, "A clock convention").
   */
  readonly restOfSessionIsTradingTime?: boolean;
}

/**
 * The vol function of one expiry: (strike, years to its settlement) -> implied vol, where the quote
 * instant is the settlement minus `years` (so an intraday pricer can walk the session). Which regime
 * prices it, and the floor between them, as described at the top of this file.
 */
export function expiryVolFn(
  surface: VolSurface,
  quote: ExpiryQuote,
  opts: ExpiryVolOptions,
): (strike: number, years: number) => number {
  const { surfaceDate, quoteDate, expiry, settlementAm } = quote;
  const { shortDated, nonTradingDayVarianceWeight: w } = opts;
  const settleMs = settlementInstantUtcMs(expiry, settlementAm ? 'AM' : 'PM');
  const { sessions, quoteDaySessions, hasShort, short } = regimeOf(surface, quote, shortDated);
  const ratio = surface.inputs.secondSessionVarianceRatio ?? 1;
  const quoteDayFomc = surface.inputs.fomcDecisionSessions?.includes(quoteDaySessions) === true;
  const quoteDayRemaining = (years: number) =>
    sessionFractionRemaining(quoteDate, settleMs - years * YEAR_MS);

  if (short && shortDated !== null) {
    // The four legs of a mark share `years`: one vol function per instant.
    let lastYears = Number.NaN;
    let volAt: (strike: number, years: number) => number = () => Number.NaN;
    return (strike, years) => {
      if (years !== lastYears) {
        const scale = shortDatedAtmScale({
          tYears: years,
          sessions,
          quoteDaySessions,
          quoteDayRemaining: quoteDayRemaining(years),
          secondSessionVarianceRatio: ratio,
          quoteDayFomc,
        });
        volAt = shortDatedVolFn(surface, shortDated, scale)!;
        lastYears = years;
      }
      return volAt(strike, years);
    };
  }

  // The term regime's variance-time scale depends on the instant, not the strike: one per instant.
  const sessionClock = opts.restOfSessionIsTradingTime === true;
  const timeScale = (quoteMs: number, years: number, date: IsoDate, am: boolean): number =>
    w === null
      ? 1
      : Math.sqrt(
          sessionClock
            ? varianceTimeRatioAt(quoteDate, quoteMs, date, am, years, w, quoteDayFomc)
            : varianceTimeRatio(quoteDate, date, am, years, w),
        );
  let scaleYears = Number.NaN;
  let scale = 1;
  const termVol = (strike: number, years: number): number => {
    if (years !== scaleYears) {
      scale = timeScale(settleMs - years * YEAR_MS, years, expiry, settlementAm);
      scaleYears = years;
    }
    return w === null ? surface.impliedVol(strike, years) : surface.impliedVol(strike, years) * scale;
  };
  if (!hasShort || shortDated === null || quoteDaySessions > shortDated.maxTradingDays) return termVol;

  // The boundary: the close of the last short-regime session after the surface's date.
  let boundaryDate = surfaceDate;
  for (let k = 0; k < shortDated.maxTradingDays; k++) boundaryDate = nextTradingDay(boundaryDate);
  const boundaryMs = settlementInstantUtcMs(boundaryDate, 'PM');
  const anchorDate = addDays(quoteDate, TERM_ANCHOR_CALENDAR_DAYS);
  const tA = TERM_ANCHOR_CALENDAR_DAYS / 365;
  let lastYears = Number.NaN;
  let boundary: {
    readonly t2: number;
    readonly scale2: number;
    readonly scaleA: number;
    readonly shortAt: (strike: number, years: number) => number;
  } | null = null;
  return (strike, years) => {
    const term = termVol(strike, years);
    if (years !== lastYears) {
      lastYears = years;
      const quoteMs = settleMs - years * YEAR_MS;
      const t2 = yearFraction(quoteMs, boundaryMs);
      if (t2 > 0 && t2 < years) {
        const atmScale = shortDatedAtmScale({
          tYears: t2,
          sessions: shortDated.maxTradingDays,
          quoteDaySessions,
          quoteDayRemaining: quoteDayRemaining(years),
          secondSessionVarianceRatio: ratio,
          quoteDayFomc,
        });
        boundary = {
          t2,
          scale2: timeScale(quoteMs, t2, boundaryDate, false),
          scaleA: tA > t2 ? timeScale(quoteMs, tA, anchorDate, false) : 1,
          shortAt: shortDatedVolFn(surface, shortDated, atmScale)!,
        };
      } else {
        boundary = null;
      }
    }
    if (boundary === null) return term;
    const { t2, scale2, scaleA, shortAt } = boundary;
    const ws = shortAt(strike, t2) ** 2 * t2;
    const w2 = (surface.impliedVol(strike, t2) * scale2) ** 2 * t2;
    const wT = term * term * years;
    if (!(ws > w2) && wT >= ws) return term;
    const wA = tA > t2 ? (surface.impliedVol(strike, tA) * scaleA) ** 2 * tA : w2;
    return Math.sqrt(floorAcrossRegimes(ws, w2, wA, wT) / years);
  };
}

/**
 * The regime of an expiry (one place for the choice): `hasShort` when the short regime can price at this
 * quote (it is on, the surface has a one-day vol, the quote is not before the surface's date); `short`
 * when it prices this expiry (at most maxTradingDays sessions out, not quoted after it).
 */
function regimeOf(
  surface: VolSurface,
  quote: ExpiryQuote,
  shortDated: ShortDatedParams | null,
): { sessions: number; quoteDaySessions: number; hasShort: boolean; short: boolean } {
  const sessions = dteTradingDays(quote.surfaceDate, quote.expiry);
  const quoteDaySessions =
    quote.quoteDate < quote.surfaceDate ? -1 : dteTradingDays(quote.surfaceDate, quote.quoteDate);
  const oneDay = surface.inputs.oneDayVix;
  const hasShort = shortDated !== null && oneDay !== undefined && oneDay !== null && quoteDaySessions >= 0;
  const short = hasShort && sessions <= shortDated.maxTradingDays && quoteDaySessions <= sessions;
  return { sessions, quoteDaySessions, hasShort, short };
}

/** Whether the short regime (the one-day vol) prices `quote`'s expiry; otherwise the term regime does. */
export function shortRegimePrices(
  surface: VolSurface,
  quote: ExpiryQuote,
  shortDated: ShortDatedParams | null,
): boolean {
  return regimeOf(surface, quote, shortDated).short;
}

/** Which regime prices an expiry at an instant, and how much the boundary floor lifts its ATM vol. */
export interface ExpiryRegime {
  /** 'short': the one-day vol in business time; 'term': the surface (VIX9D and up) in variance time. */
  readonly regime: 'short' | 'term';
  /** Trading days after the surface's date up to and including the expiry. */
  readonly sessions: number;
  /** The term regime's ATM vol with the floor over without it: 1 when the floor does not bind. */
  readonly atmFloorLift: number;
}

/** The regime of one expiry `years` before its settlement (expiryVolFn's choice, for reports). */
export function expiryRegime(
  surface: VolSurface,
  quote: ExpiryQuote,
  opts: ExpiryVolOptions,
  years: number,
): ExpiryRegime {
  const { sessions, short } = regimeOf(surface, quote, opts.shortDated);
  if (short) return { regime: 'short', sessions, atmFloorLift: 1 };
  const atm = surface.forward(years);
  const floored = expiryVolFn(surface, quote, opts)(atm, years);
  const plain = expiryVolFn(surface, quote, { ...opts, shortDated: null })(atm, years);
  return { regime: 'term', sessions, atmFloorLift: floored / plain };
}

const YEAR_MS = MINUTES_PER_YEAR * MS_PER_MINUTE;
const DAY_MS = 24 * 60 * MS_PER_MINUTE;
