import { InvalidInputError } from '../../domain/errors';
import { smileRatio, type VolSurface } from './surface';

/*
 * The short-dated regime of the vixshield surface (issue 14, surface model 1.2.0): expiries at most
 * maxTradingDays sessions after the quote (the 1DTE the condor sells at 15:10 CT, and the 2DTE) are
 * priced from the one-day vol `oneDayVix` (real VIX1D, else the one-day variance model), not from
 * VIX9D x the ATM factor x the variance-time ratio: on the real 2019-06-26 15:45 ET chain that older
 * construction put the 2DTE ATM vol at 17.5% against 13.6% real, and OTM mids at 2-4x the real ones.
 *
 *   sigma_atm = atmPerOneDayVix x oneDayVix / 100           (calendar-time vol, as VIX1D is quoted)
 *   sigma(K)  = sigma_atm x sqrt(ratio(z x smileRefVol)),  z = ln(K/F) / (sigma_atm sqrt(T)),
 *   ratio     = the surface's smile form (rho, s, callWing) with its own wing scale beta.
 *
 * Calibration (docs/calibration.md, "Short-dated smile"; scripts/short-dated-check.ts):
 * - beta and smileRefVol: least squares on implied vol of the 46 OTM options (-5% .. +3%, bid > 0) of the
 *   real 2019-06-26 15:45 ET 2DTE chain with the ATM level free: best at 0.72 x that day's surface beta
 *   (9.08) = 6.54, ATM 13.85% (real ATM 13.72%), RMSE 0.74 vol points (the surface's own smile: 1.19).
 * - atmPerOneDayVix: the VIX method on the modelled 1DTE chain returns 1.0725 x the ATM vol on every
 *   training day (the smile is a fixed shape in z), so ATM = VIX1D / 1.0725 = 0.932 x VIX1D makes the
 *   modelled VIX1D calculation give back the one-day vol it was built from. The real 2019-06-26 2DTE
 *   chain agrees: the VIX method on it gives 14.65 against its ATM 13.72 (1.068 x).
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
  if (!(Number.isInteger(p.maxTradingDays) && p.maxTradingDays >= 1)) {
    throw new InvalidInputError('maxTradingDays must be an integer >= 1', 'maxTradingDays', 'e.g. 2');
  }
}

/**
 * Implied vol of strike K for T years in the short-dated regime, or undefined when the day has no
 * one-day vol. `atmScale` scales the ATM level (and with it the smile's z): the 2-session expiry's
 * ATM over the one-day vol's (twoSessionAtmScale).
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
 * ATM of the 2-session expiry over the one-day vol's ATM. Variance is counted in sessions, not calendar
 * days: the first session's total variance w1 = sigma1^2 t1 (t1: years to the first session's close, the
 * one-day vol's own calendar-time convention), the second adds w1 x `secondSessionVarianceRatio`
 * (its scheduled releases against the first's), and nothing accrues over the nights and weekends in
 * between, so sigma2 = sigma1 sqrt((t1 / t2) (1 + ratio)). Thursday to Monday (t2 = 4 days, t1 = 1):
 * sqrt(2 / 4) = 0.71 of the one-day vol; Friday to Tuesday (t1 = 3, t2 = 4): sqrt(6 / 4) = 1.22; Monday
 * to Wednesday with an FOMC on Wednesday: sqrt((1 / 2)(1 + 1.31)) = 1.07.
 */
export function twoSessionAtmScale(t1Years: number, t2Years: number, secondSessionVarianceRatio = 1): number {
  if (!(t1Years > 0 && t2Years > t1Years)) {
    throw new InvalidInputError(
      `need 0 < t1 < t2, got t1 ${String(t1Years)}, t2 ${String(t2Years)}`,
      't1Years',
      'years to the first and second session closes',
    );
  }
  if (!(Number.isFinite(secondSessionVarianceRatio) && secondSessionVarianceRatio > 0)) {
    throw new InvalidInputError(
      `secondSessionVarianceRatio must be > 0, got ${String(secondSessionVarianceRatio)}`,
      'secondSessionVarianceRatio',
      'e.g. 1.31 (an FOMC day after a plain one)',
    );
  }
  return Math.sqrt((t1Years / t2Years) * (1 + secondSessionVarianceRatio));
}
