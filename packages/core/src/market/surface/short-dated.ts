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
 *   sigma(K)  = sigma_atm x sqrt(ratio(x)),  x = ln(K/F)/sqrt(T),
 *   ratio     = the short regime's smile (rho, s, callWing) with wing scale betaScale x the day's beta.
 *
 * Calibrated on the 2019-06-26 15:45 ET SPXW 2DTE chain (docs/calibration.md, "Short-dated smile").
 */

export interface ShortDatedParams {
  /** ATM vol / one-day vol (VIX1D integrates the smile, so it sits a little above ATM). */
  readonly atmPerOneDayVix: number;
  /** Multiplier of the day's wing scale beta for these expiries. */
  readonly betaScale: number;
  /** Expiries with at most this many trading days after the quote date use this regime. */
  readonly maxTradingDays: number;
}

export const CALIBRATED_SHORT_DATED_PARAMS: ShortDatedParams = {
  atmPerOneDayVix: 1,
  betaScale: 1,
  maxTradingDays: 2,
};

export function validateShortDatedParams(p: ShortDatedParams): void {
  if (!(p.atmPerOneDayVix > 0 && p.atmPerOneDayVix < 3)) {
    throw new InvalidInputError('atmPerOneDayVix must be in (0, 3)', 'atmPerOneDayVix', 'e.g. 1');
  }
  if (!(p.betaScale >= 0 && p.betaScale < 5)) {
    throw new InvalidInputError('betaScale must be in [0, 5)', 'betaScale', 'e.g. 0.8');
  }
  if (!(Number.isInteger(p.maxTradingDays) && p.maxTradingDays >= 1)) {
    throw new InvalidInputError('maxTradingDays must be an integer >= 1', 'maxTradingDays', 'e.g. 2');
  }
}

/**
 * Implied vol of strike K for T years in the short-dated regime, or undefined when the day has no
 * one-day vol. The wing scale stays under the day's Durrleman-capped beta when betaScale <= 1.
 */
export function shortDatedVolFn(
  surface: VolSurface,
  p: ShortDatedParams,
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
  const atm = (p.atmPerOneDayVix * v) / 100;
  const { rho, s, callWing } = surface.params;
  const ratio = smileRatio(rho, s, callWing, surface.beta * p.betaScale);
  return (strike: number, t: number): number => {
    const x = Math.log(strike / surface.forward(t)) / Math.sqrt(t);
    return atm * Math.sqrt(Math.max(0.01, ratio(x)));
  };
}
