import { dteTradingDays, REGULAR_SESSION_MINUTES, sessionFractionRemaining } from '../../calendar/index';
import { InvalidInputError } from '../../domain/errors';
import type { IsoDate } from '../../domain/index';
import { smileRatio, type VolSurface } from './surface';

/*
 * The short-dated regime of the vixshield surface (issue 14, surface model 1.2.0): expiries at most
 * maxTradingDays sessions after the quote (the 1DTE the condor sells at 15:10 CT, and the 2DTE) are
 * priced from the one-day vol `oneDayVix` (real VIX1D, else the one-day variance model), not from
 * VIX9D x the ATM factor x the variance-time ratio: on the real 2019-06-26 15:45 ET chain that older
 * construction put the 2DTE ATM vol at 17.5% against 13.6% real, and OTM mids at 2-4x the real ones.
 *
 *   sigma_atm = atmPerOneDayVix x oneDayVix / 100 x shortDatedAtmScale
 *               (VIX1D is quoted in business time, one session = 1/252 year; the scale puts the expiry's
 *               sessions of variance on the pricer's calendar T: 1.20 after a weekday close, 0.70 on a
 *               Friday's Monday expiry; surface 1.5.0, before which the vol was read as calendar time)
 *   sigma(K)  = sigma_atm x sqrt(ratio(z x smileRefVol)),  z = ln(K/F) / (sigma_atm sqrt(T)),
 *   ratio     = the surface's smile form (rho, s, callWing) with its own wing scale beta.
 *
 * Calibration (docs/calibration.md, "Short-dated smile"; scripts/short-dated-check.ts):
 * - beta and smileRefVol: least squares on implied vol of the 46 OTM options (-5% .. +3%, bid > 0) of the
 *   real 2019-06-26 15:45 ET 2DTE chain with the ATM level free: best at 0.72 x that day's surface beta
 *   (9.08) = 6.54, ATM 13.85% (real ATM 13.72%), RMSE 0.74 vol points (the surface's own smile: 1.19).
 * - atmPerOneDayVix: the VIX method on the modelled 1DTE chain returns 1.0725 x the ATM vol on every
 *   training day (the smile is a fixed shape in z), both on the same clock, so ATM = VIX1D / 1.0725 =
 *   0.932 x VIX1D (in business time) makes the modelled VIX1D calculation, annualised in business time
 *   as Cboe's, give back the one-day vol it was built from. The real 2019-06-26 2DTE chain agrees: the
 *   VIX method on it gives 14.65 against its ATM 13.72 (1.068 x).
 */

export interface ShortDatedParams {
  /** ATM vol / one-day vol (VIX1D integrates the smile, so it sits above ATM). */
  readonly atmPerOneDayVix: number;
  /** Wing scale of the short smile (the surface's rho, s, callWing; its own beta, no VIX or SKEW term). */
  readonly beta: number;
  /**
   * The smile is a fixed shape in standardised moneyness z = ln(K/F) / (sigma_atm sqrt(T)): the
   * surface's ratio is read at x = z x smileRefVol. At sigma_atm = smileRefVol this is the surface's
   * own x = ln(K/F)/sqrt(T); at higher vol the smile widens with the ATM standard deviation instead of
   * piling variance into the wings (with x itself, the VIX method on the modelled 1DTE chain gave
   * 1.03x the input VIX1D at VIX1D 7 and 2.1x at VIX1D 82).
   */
  readonly smileRefVol: number;
  /** Expiries with at most this many trading days after the quote date use this regime. */
  readonly maxTradingDays: number;
}

export const CALIBRATED_SHORT_DATED_PARAMS: ShortDatedParams = {
  atmPerOneDayVix: 0.932,
  beta: 6.54,
  smileRefVol: 0.137,
  maxTradingDays: 2,
};

export function validateShortDatedParams(p: ShortDatedParams): void {
  if (!(p.atmPerOneDayVix > 0 && p.atmPerOneDayVix < 3)) {
    throw new InvalidInputError('atmPerOneDayVix must be in (0, 3)', 'atmPerOneDayVix', 'e.g. 1');
  }
  if (!(p.beta >= 0 && p.beta < 50)) {
    throw new InvalidInputError('beta must be in [0, 50)', 'beta', 'e.g. 6.5');
  }
  if (!(p.smileRefVol > 0 && p.smileRefVol < 2)) {
    throw new InvalidInputError('smileRefVol must be in (0, 2)', 'smileRefVol', 'e.g. 0.137');
  }
  // shortDatedAtmScale counts at most two sessions (the second with its releases' ratio).
  if (!(p.maxTradingDays === 1 || p.maxTradingDays === 2)) {
    throw new InvalidInputError('maxTradingDays must be 1 or 2', 'maxTradingDays', 'e.g. 2');
  }
}

/**
 * Implied vol of strike K for T years in the short-dated regime, or undefined when the day has no
 * one-day vol. `atmScale` scales the ATM level (and with it the smile's z): the expiry's calendar-time
 * ATM over the one-day vol's (shortDatedAtmScale).
 */
export function shortDatedVolFn(
  surface: VolSurface,
  p: ShortDatedParams,
  atmScale = 1,
): ((strike: number, t: number) => number) | undefined {
  const v = surface.inputs.oneDayVix;
  if (v === undefined || v === null) return undefined;
  if (!(Number.isFinite(v) && v > 0 && v < 1000)) {
    throw new InvalidInputError(
      `oneDayVix must be a positive index level, got ${String(v)}`,
      'oneDayVix',
      'e.g. 11.2',
    );
  }
  if (!(Number.isFinite(atmScale) && atmScale > 0)) {
    throw new InvalidInputError(`atmScale must be > 0, got ${String(atmScale)}`, 'atmScale', 'e.g. 1');
  }
  const atm = (p.atmPerOneDayVix * v * atmScale) / 100;
  const { rho, s, callWing } = surface.params;
  const ratio = smileRatio(rho, s, callWing, p.beta);
  const zToX = p.smileRefVol / atm;
  return (strike: number, t: number): number => {
    const x = (Math.log(strike / surface.forward(t)) / Math.sqrt(t)) * zToX;
    return atm * Math.sqrt(Math.max(0.01, ratio(x)));
  };
}

/**
 * Sessions per year in the business-time annualisation VIX1D is quoted in: one session's variance is
 * VIX1D^2 / 252 whatever the calendar gap to the expiry (a Friday's VIX1D prices the Monday session,
 * weekend included, as one day). Sources: Albers & Kestner, "The daily rise and fall of the VIX1D",
 * Finance Research Letters 62 (2024), on the index's use of business time; and the training closes
 * themselves (docs/calibration.md, "VIX1D is quoted in business time"): the calendar length of the gap
 * to the next expiry has a coefficient of 0.008 in the one-day regression (calendar-time quoting would
 * make it -0.5), and the realised next-session variance over VIX1D^2/252 is 1.20 after weekdays and 0.49
 * after Fridays, against 1.74 and 0.24 read in calendar time.
 */
export const BUSINESS_DAYS_PER_YEAR = 252;

/**
 * The share of a session's close-to-close variance that falls between its open and its close:
 * sum ln(close/open)^2 over sum ln(close/previous close)^2 of the embedded SPX daily bars, 2017-01-03 ..
 * 2026-08-21, over the 2,346 sessions without a scheduled FOMC decision (the file's opens before 2017
 * are stale first prints, data/PROVENANCE.md); an FOMC decision session has its own share
 * (FOMC_DAY_INTRADAY_SHARE_OF_SESSION_VARIANCE). A quote inside a session has at most this share of the
 * session's variance left to come (the overnight move happened at the open), and less as the session
 * goes on (intradayVarianceLeft). Test: packages/data/test/short-dated.test.ts.
 */
export const INTRADAY_SHARE_OF_SESSION_VARIANCE = 0.589;

/**
 * The same share on the 76 scheduled FOMC decision sessions of 2017-01-03 .. 2026-08-21: 0.759 (95%
 * bootstrap interval about [0.61, 0.94]). The statement at 14:00 ET and the press conference after it
 * fall inside the session, so less of the day's variance is in the overnight gap than on other days.
 */
export const FOMC_DAY_INTRADAY_SHARE_OF_SESSION_VARIANCE = 0.759;

/**
 * How a session's open-to-close variance is spread over its hours: the share of it still to come at
 * each hourly mark of a regular session, 09:30, 10:30, ..., 15:30 ET, and at the 16:00 close. The
 * variance is front-loaded: by 12:30 ET, halfway through the session, only 0.410 of it is left (0.538
 * if it were spread evenly); the last half hour carries 0.085 (0.077 evenly).
 *
 * Measured on the embedded hourly SPX bars, 2023-09-15 .. 2026-08-21: the squared log return of each
 * hourly bar (the first from the open print; the last bar is the 15:30-16:00 half hour), summed over the
 * 703 complete regular sessions without a scheduled FOMC decision (FOMC_DAY_VARIANCE_LEFT_AT_HOURLY_MARKS
 * has those), less the 1% with the largest sum (8 sessions: six of 2025-04-04 .. 04-16, 2025-03-04 and
 * 2025-11-20). They are set aside because one of them alone reshapes the profile: on 2025-04-09 the
 * tariff pause at 13:18 ET put 72% of the day's variance in the 12:30 hour. Measured directly instead,
 * as ln(official close / price at the mark)^2 on the same sessions, the share left agrees within 0.03 at
 * every mark. measureIntradayVarianceProfile (market/intraday) is the measure;
 * packages/data/test/short-dated.test.ts runs it on the embedded bars.
 */
export const INTRADAY_VARIANCE_LEFT_AT_HOURLY_MARKS: readonly number[] = [
  1, 0.705, 0.533, 0.41, 0.285, 0.176, 0.085, 0,
];

/**
 * The profile of a scheduled FOMC decision session, measured the same way on the 24 such sessions of
 * the hourly bars (none set aside: the event is what is measured). At 13:30 ET, half an hour before the
 * statement, 0.801 of the open-to-close variance is still to come (95% bootstrap interval about
 * [0.68, 0.90]; 0.285 on other days), and at 15:30 ET, after the press conference has begun, 0.298.
 * Linear in time between the marks like the other profile, so the 14:00 ET jump is spread over its hour.
 */
export const FOMC_DAY_VARIANCE_LEFT_AT_HOURLY_MARKS: readonly number[] = [
  1, 0.878, 0.848, 0.833, 0.801, 0.628, 0.298, 0,
];

/** A regular session in hours: the marks are at 0, 1, ..., 6 hours after the open and the close at 6.5. */
const REGULAR_SESSION_HOURS = REGULAR_SESSION_MINUTES / 60;

/**
 * The share of a session's open-to-close variance still to come when `timeLeft` of its trading time is
 * left (sessionFractionRemaining): `marks` (INTRADAY_VARIANCE_LEFT_AT_HOURLY_MARKS, or
 * FOMC_DAY_VARIANCE_LEFT_AT_HOURLY_MARKS on a decision day), linear in time between them. 1 at the open,
 * 0 at the close, never increasing. An early-close session is read on the same fractions of its shorter
 * day (its profile is not measured: the embedded bars have 7 such days).
 */
export function intradayVarianceLeft(
  timeLeft: number,
  marks: readonly number[] = INTRADAY_VARIANCE_LEFT_AT_HOURLY_MARKS,
): number {
  if (!(timeLeft >= 0 && timeLeft <= 1)) {
    throw new InvalidInputError(
      `timeLeft must be in [0, 1], got ${String(timeLeft)}`,
      'timeLeft',
      'sessionFractionRemaining(asOf, quote)',
    );
  }
  const elapsedHours = (1 - timeLeft) * REGULAR_SESSION_HOURS;
  const k = Math.min(Math.floor(elapsedHours), marks.length - 2); // the mark at or before the quote
  const next = Math.min(k + 1, REGULAR_SESSION_HOURS); // the last segment is the half hour to the close
  const w = (elapsedHours - k) / (next - k);
  return marks[k]! + w * (marks[k + 1]! - marks[k]!);
}

/**
 * The quote day's variance still to come, in sessions of the one-day vol: the whole session before its
 * open (its overnight move is still to come), inside it the open-to-close share times the variance still
 * to come at `quoteDayRemaining` (intradayVarianceLeft), both the FOMC-day ones on a scheduled decision
 * day; 0 after the close. The short regime (shortDatedAtmScale) and the term regime's session clock
 * (varianceTimeRatioAt) count the rest of a session with it.
 */
export function quoteDayVarianceLeft(
  quoteDayRemaining: number,
  quoteDayFomc = false,
  intradayShare = quoteDayFomc
    ? FOMC_DAY_INTRADAY_SHARE_OF_SESSION_VARIANCE
    : INTRADAY_SHARE_OF_SESSION_VARIANCE,
): number {
  if (quoteDayRemaining >= 1) return 1;
  const profile = quoteDayFomc
    ? FOMC_DAY_VARIANCE_LEFT_AT_HOURLY_MARKS
    : INTRADAY_VARIANCE_LEFT_AT_HOURLY_MARKS;
  return intradayShare * intradayVarianceLeft(quoteDayRemaining, profile);
}

/**
 * Business time from a quote instant on `asOf` to the close of `expiry`, in years: the part of asOf's
 * session still to trade plus every trading day after asOf up to and including the expiry, over 252.
 * This is the index's clock (time left, as `vix --days 1` annualises); the variance left inside a
 * session is smaller and front-loaded (shortDatedAtmScale: INTRADAY_SHARE_OF_SESSION_VARIANCE x
 * intradayVarianceLeft). At the 15:10 CT quote, after the close, the two agree.
 */
export function shortDatedBusinessYears(asOf: IsoDate, quoteUtcMs: number, expiry: IsoDate): number {
  return (sessionFractionRemaining(asOf, quoteUtcMs) + dteTradingDays(asOf, expiry)) / BUSINESS_DAYS_PER_YEAR;
}

export interface ShortDatedTime {
  /** Calendar years from the quote instant to the expiry's settlement (the pricer's T). */
  readonly tYears: number;
  /**
   * Trading days after the surface's date up to and including the expiry: 0, 1 or 2. The surface's
   * one-day vol (its date's VIX1D close) prices session 1; session 2 is weighted by its releases.
   */
  readonly sessions: number;
  /**
   * Trading days after the surface's date up to and including the quote's date: 0 for a chain quoted on
   * the surface's own date (the default), 1 for an intraday mark on the next session (sticky strike on
   * the previous session's surface, docs/intraday.md).
   */
  readonly quoteDaySessions?: number;
  /** The part of the quote date's session still to trade at the quote (sessionFractionRemaining). */
  readonly quoteDayRemaining: number;
  /** The second session's variance over the first's (secondSessionVarianceRatio); 2-session expiries. */
  readonly secondSessionVarianceRatio?: number;
  /**
   * The quote date holds a scheduled FOMC decision (SurfaceInputs.fomcDecisionSessions): the variance
   * left inside its session reads FOMC_DAY_INTRADAY_SHARE_OF_SESSION_VARIANCE and
   * FOMC_DAY_VARIANCE_LEFT_AT_HOURLY_MARKS. Default false.
   */
  readonly quoteDayFomc?: boolean;
  /** Default INTRADAY_SHARE_OF_SESSION_VARIANCE, or the FOMC-day share when quoteDayFomc. */
  readonly intradayShare?: number;
}

/**
 * The short regime's ATM scale: the calendar-time ATM of an expiry 0-2 sessions out over the one-day
 * vol's ATM. The one-day vol (VIX1D) is an annualised variance in business time, one session = 1/252 of
 * a year, and the pricer's T is calendar time, so the variance left to the expiry, in sessions of the
 * one-day vol,
 *
 *   units = left x w(quoteDaySessions) + sum of w(k) for k = quoteDaySessions + 1 .. sessions,
 *   w(0) = w(1) = 1, w(2) = secondSessionVarianceRatio,
 *   left  = 1 before the quote day's open (its overnight move is still to come), else
 *           intradayShare x intradayVarianceLeft(quoteDayRemaining) (0.589 of a session's variance falls
 *           between its open and close, front-loaded: INTRADAY_VARIANCE_LEFT_AT_HOURLY_MARKS; on a
 *           scheduled FOMC decision day 0.759, held back for the 14:00 ET statement:
 *           FOMC_DAY_VARIANCE_LEFT_AT_HOURLY_MARKS)
 *
 * (variance accrues in sessions with their release jumps, not over nights and weekends), is spread over
 * T: scale = sqrt(units / 252 / T). After the close on a weekday the next session's expiry is about one
 * calendar day away: sqrt(365 / 252) = 1.20; from a Friday the Monday expiry is three days away:
 * sqrt(365 / (3 x 252)) = 0.70; Monday to Wednesday with an FOMC on Wednesday: sqrt((1 + 1.31) x 365 /
 * (2 x 252)) = 1.29; an intraday mark during the expiry session at 12:30 ET: sqrt(0.589 x 0.410 x 365 x 24
 * / (252 x 3.5)) = 1.55 (the variance still to come in the session over its 3.5 hours left; 1.77 were it
 * spread evenly over the session; 2.51 on an FOMC decision day, sqrt(0.759 x 0.833 x ...)).
 */
export function shortDatedAtmScale(time: ShortDatedTime): number {
  const { tYears, sessions, quoteDayRemaining } = time;
  const quoteDay = time.quoteDaySessions ?? 0;
  const ratio = time.secondSessionVarianceRatio ?? 1;
  const fomc = time.quoteDayFomc === true;
  const share =
    time.intradayShare ??
    (fomc ? FOMC_DAY_INTRADAY_SHARE_OF_SESSION_VARIANCE : INTRADAY_SHARE_OF_SESSION_VARIANCE);
  if (!(Number.isFinite(tYears) && tYears > 0)) {
    throw new InvalidInputError(
      `tYears must be > 0, got ${String(tYears)}`,
      'tYears',
      'years to the settlement',
    );
  }
  if (!(Number.isInteger(sessions) && sessions >= 0 && sessions <= 2)) {
    throw new InvalidInputError(
      `sessions must be 0, 1 or 2, got ${String(sessions)}`,
      'sessions',
      'trading days after the surface date up to the expiry',
    );
  }
  if (!(Number.isInteger(quoteDay) && quoteDay >= 0 && quoteDay <= sessions)) {
    throw new InvalidInputError(
      `quoteDaySessions must be an integer in [0, sessions], got ${String(quoteDay)}`,
      'quoteDaySessions',
      'trading days after the surface date up to the quote date',
    );
  }
  if (!(quoteDayRemaining >= 0 && quoteDayRemaining <= 1)) {
    throw new InvalidInputError(
      `quoteDayRemaining must be in [0, 1], got ${String(quoteDayRemaining)}`,
      'quoteDayRemaining',
      'sessionFractionRemaining(asOf, quote)',
    );
  }
  if (!(Number.isFinite(ratio) && ratio > 0)) {
    throw new InvalidInputError(
      `secondSessionVarianceRatio must be > 0, got ${String(ratio)}`,
      'secondSessionVarianceRatio',
      'e.g. 1.31 (an FOMC day after a plain one)',
    );
  }
  if (!(share > 0 && share <= 1)) {
    throw new InvalidInputError(
      `intradayShare must be in (0, 1], got ${String(share)}`,
      'intradayShare',
      'e.g. 0.589',
    );
  }
  const w = (k: number) => (k === 2 ? ratio : 1);
  const left = quoteDayVarianceLeft(quoteDayRemaining, fomc, share);
  let units = left * w(quoteDay);
  for (let k = quoteDay + 1; k <= sessions; k++) units += w(k);
  if (!(units > 0)) {
    throw new InvalidInputError(
      'no session left to trade before the expiry',
      'sessions',
      'a quote on the expiry date needs to be before its close',
    );
  }
  return Math.sqrt(units / BUSINESS_DAYS_PER_YEAR / tYears);
}
