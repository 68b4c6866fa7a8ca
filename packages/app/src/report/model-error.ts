import { SURFACE_MODEL_VERSION } from '@vixshield/core';

/**
 * The model's error measured on every real chain we have, in the condor's zone (1-2 trading days to
 * expiry, out of the money 0.5-2.5% from spot): `vixshield model check` (usecases/model-check.ts)
 * reproduces these figures, and a test recomputes them, so they cannot drift from the model.
 */
export const MODEL_MEASURED_ERROR = {
  surfaceVersion: '1.8.0',
  condorZone: { quotes: 111, medianAbsMidError: 0.333 },
  /** The 2018 SPXW file's 1-2 DTE days (2018-01-29/30, 2018-02-26/27): the model is too cheap there. */
  nearExpiry2018: { quotes: 88, medianAbsMidError: 0.295 },
  /** The real 2019-06-26 15:45 ET chain's 2DTE expiry: the model is too rich there. */
  spxw20190626TwoDay: { quotes: 23, medianAbsMidError: 0.667 },
  /**
   * The same 1-2 session days with the real ATM level put in and read on the parity forward
   * (usecases/short-dated-shape.ts): what is left is the smile's shape, so the rest is the level.
   */
  shapeOnly: { quotes: 115, medianAbsMidError: 0.096 },
} as const;

/**
 * The one-day vol levels the model-sensitivity runs price 1DTE options at, as multiples of the model's:
 * the lowest and highest level a real 1-2 session chain traded at, measured by model check
 * (`oneDayLevelCheck`: Cboe's VIX method on the chain, read in business time, over the model's one-day
 * vol that day). 0.88 on 2019-06-26 (12.09 against 13.70), 1.23 on 2018-02-27 (17.84 against 14.56);
 * the other three 2018 expiries sit at 1.12-1.21. A test recomputes both bounds.
 */
export const ONE_DAY_LEVEL_SENSITIVITY_SCALES: readonly number[] = [0.88, 1.23];

/** The sensitivity bounds in words, for the reports that show the runs at them. */
export function oneDayLevelBoundsText(): string {
  const [lo, hi] = ONE_DAY_LEVEL_SENSITIVITY_SCALES;
  return `real 1-2 day SPXW chains traded at ${lo!.toFixed(2)} to ${hi!.toFixed(2)} times the model's one-day vol level (vixshield model check)`;
}

/** One sentence for reports: the measured error next to results priced by the model. */
export function modelErrorStatement(): string {
  const m = MODEL_MEASURED_ERROR;
  const p = (v: number) => `${(100 * v).toFixed(1)}%`;
  const stale =
    m.surfaceVersion !== SURFACE_MODEL_VERSION ? ` (measured on surface ${m.surfaceVersion})` : '';
  return (
    `Measured model error in the condor's zone (1-2 DTE, OTM 0.5-2.5% from spot; vixshield model check)${stale}: ` +
    `median |model mid / real mid - 1| ${p(m.condorZone.medianAbsMidError)} over ${m.condorZone.quotes} real quotes ` +
    `(2018 near-expiry days ${p(m.nearExpiry2018.medianAbsMidError)}, model too cheap; ` +
    `2019-06-26 2DTE ${p(m.spxw20190626TwoDay.medianAbsMidError)}, model too rich); with the real ATM level put in, ` +
    `${p(m.shapeOnly.medianAbsMidError)}: the error is the one-day vol level, not the smile's shape.`
  );
}
