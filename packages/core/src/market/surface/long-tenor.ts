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
 * like every node). The smile (variance ratio in x = ln(K/F)/sqrt(T)) is the same in both regimes.
 */

export interface LongTenorParams {
  /** ATM/index factor of the 30-day-and-longer nodes at VIX 20. */
  readonly atmFactor0: number;
  /** Change of that factor per unit ln(VIX/20). */
  readonly atmFactorLevel: number;
  /** Calendar days up to which the short regime's ATM total variance is kept unchanged. */
  readonly blendFromDays: number;
}

/** First index tenor (calendar days) of the long regime: the VIX itself. */
export const LONG_TENOR_FROM_DAYS = 30;
export const LONG_FACTOR_MIN = 0.5;
export const LONG_FACTOR_MAX = 1;

/**
 * Calibrated on the Cboe BXM index 2007-01-03 .. 2025-12-31 (the level: annualised replica minus
 * index about 0) with the slope from the 2018 chain's one-month ATM vols and the BXM yearly pattern;
 * scripts/cboe-replication.ts and scripts/one-month-check.ts reproduce the figures.
 */
export const CALIBRATED_LONG_TENOR_PARAMS: LongTenorParams = {
  atmFactor0: 0.818,
  atmFactorLevel: 0.05,
  blendFromDays: 14,
};

export function validateLongTenorParams(p: LongTenorParams): void {
  for (const [k, v] of Object.entries(p)) {
    if (!Number.isFinite(v)) throw new InvalidInputError(`${k} must be finite`, k, 'see LongTenorParams');
  }
  if (!(p.atmFactor0 > 0)) throw new InvalidInputError('atmFactor0 must be > 0', 'atmFactor0', 'e.g. 0.82');
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
