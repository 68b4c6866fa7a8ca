import { InvalidInputError } from '../../domain/errors';

/*
 * The one-month-and-longer regime of the vixshield surface (issue 14).
 *
 * The surface's ATM factor f = ATM vol / index level was fitted jointly with the smile on the 2018
 * SPXW chain, whose options are mostly 1-29 days out, so at one month it was wrong in both directions:
 * with f falling in ln(VIX) (fLevel -0.21) it gave 0.96 x VIX at VIX 10 (the 2018 chain's one-month
 * ATM was 0.71-0.77 x VIX that January) and 0.56 x VIX at VIX 70 (October 2008), so the Cboe BXM
 * replica earned 1-3.5%/yr too much in calm years and 3-5%/yr too little in crisis years.
 *
 * Index nodes of LONG_TENOR_FROM_DAYS (30, the VIX) and longer take their own factor
 *     fL = clamp(f0 + fLevel * ln(VIX/20), LONG_FACTOR_MIN, LONG_FACTOR_MAX)
 * (calibration: docs/calibration.md, "One month and longer"). Options up to blendFromDays calendar
 * days keep the short regime's ATM total variance exactly (the 0-7 trading-day options of the
 * methodology, priced from VIX1D/VIX9D); between blendFromDays and the 30-day node the ATM total
 * variance is linear from the short regime's value to the long node's (then forced non-decreasing,
 * like every node). The long regime has its own smile (LongTenorSmile), fitted on the 2018 chain's
 * one-month options: at VIX 10 the one-month put wing is far steeper relative to ATM than the
 * short-dated smile, at VIX 30 flatter (betaVix 1.2 against 0.69); the variance ratio is blended
 * linearly in T between blendFromDays and 30 days.
 */

/**
 * The smile of the long regime: the short regime's form sigma^2 = sigma_atm^2 (1 + beta phi(x)) with its
 * own shape (rho, s, callWing) and wing scale beta = betaScale x beta0 (VIX/20)^-betaVix exp(betaSkew
 * (SKEW-130)/100) (beta0 and betaSkew from the short regime's SurfaceParams), then capped for
 * Durrleman's condition over the long ATM curve.
 */
export interface LongTenorSmile {
  readonly rho: number;
  readonly s: number;
  readonly betaScale: number;
  readonly betaVix: number;
  readonly callWing: number;
}

export interface LongTenorParams {
  /** ATM/index factor of the 30-day-and-longer nodes at VIX 20. */
  readonly atmFactor0: number;
  /** Change of that factor per unit ln(VIX/20). */
  readonly atmFactorLevel: number;
  /** Calendar days up to which the short regime's ATM total variance is kept unchanged. */
  readonly blendFromDays: number;
  /** The long regime's smile; absent: the short regime's smile at every tenor. */
  readonly smile?: LongTenorSmile;
}

/** First index tenor (calendar days) of the long regime: the VIX itself. */
export const LONG_TENOR_FROM_DAYS = 30;
export const LONG_FACTOR_MIN = 0.5;
export const LONG_FACTOR_MAX = 1;

/**
 * The ATM level is calibrated on the Cboe BXM index 2007-01-03 .. 2025-12-31 (annualised replica minus
 * index about 0, sale at mid), the slope on the 2018 chain's one-month ATM vols and the BXM yearly
 * pattern; the smile on the 2018 SPXW chain's one-month options (19-29 days, 2018-02-05 left out):
 * least squares on sigma(x)/sigma_atm of out-of-the-money options with |delta| 0.02-0.5 (1,406 options,
 * 15 days). scripts/one-month-check.ts reproduces the fit and the checks (docs/calibration.md).
 */
export const CALIBRATED_LONG_TENOR_PARAMS: LongTenorParams = {
  atmFactor0: 0.818,
  atmFactorLevel: 0.05,
  blendFromDays: 14,
  smile: { rho: -0.2897, s: 0.2574, betaScale: 0.8304, betaVix: 1.1981, callWing: 0 },
};

export function validateLongTenorParams(p: LongTenorParams): void {
  for (const k of ['atmFactor0', 'atmFactorLevel', 'blendFromDays'] as const) {
    if (!Number.isFinite(p[k])) throw new InvalidInputError(`${k} must be finite`, k, 'see LongTenorParams');
  }
  if (!(p.atmFactor0 > 0)) throw new InvalidInputError('atmFactor0 must be > 0', 'atmFactor0', 'e.g. 0.82');
  const sm = p.smile;
  if (sm) {
    for (const [k, v] of Object.entries(sm)) {
      if (!Number.isFinite(v))
        throw new InvalidInputError(`smile.${k} must be finite`, `smile.${k}`, 'see LongTenorSmile');
    }
    if (!(sm.rho > -1 && sm.rho < 1))
      throw new InvalidInputError('smile.rho must be in (-1, 1)', 'smile.rho', 'e.g. -0.3');
    if (!(sm.s > 0)) throw new InvalidInputError('smile.s must be > 0', 'smile.s', 'e.g. 0.25');
    if (!(sm.betaScale > 0))
      throw new InvalidInputError('smile.betaScale must be > 0', 'smile.betaScale', 'e.g. 0.8');
    if (!(sm.callWing >= 0 && sm.callWing <= 1))
      throw new InvalidInputError('smile.callWing must be in [0, 1]', 'smile.callWing', 'e.g. 0');
  }
  if (!(p.blendFromDays > 0 && p.blendFromDays < LONG_TENOR_FROM_DAYS)) {
    throw new InvalidInputError(
      `blendFromDays must be in (0, ${LONG_TENOR_FROM_DAYS})`,
      'blendFromDays',
      'e.g. 14 (beyond the 7-trading-day options of the short regime)',
    );
  }
}

/** The long regime's ATM/index factor of the day. */
export function longAtmFactorOf(p: LongTenorParams, vix: number): number {
  const f = p.atmFactor0 + p.atmFactorLevel * Math.log(vix / 20);
  return Math.min(LONG_FACTOR_MAX, Math.max(LONG_FACTOR_MIN, f));
}
