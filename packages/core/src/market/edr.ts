import { InvalidInputError } from '../domain/index';
import { TRADING_DAYS_PER_YEAR } from './indicators/volatility';

/**
 * EDR, Expected Daily Range: the expected one-day SPX move as a percent of spot.
 *
 * Source: docs/methodology.md §1, its rule notes R15-R17 and research §2.1 "EDR"; from the product
 * glossary entry "EDR — Expected Daily Range" (Tier A: vixshield.com glossary/edr-expected-daily-range
 * and ask/what-is-edr-expected-daily-range; Tier B anchor: VIX 17.95 -> 1.16%, ~83 pts at SPX 7140).
 *
 *   edrPct   = m * bias * blendVol / sqrt(252)
 *   blendVol = w * VIX9D + (1 - w) * HV20        (vol points; HV20 = annualised 20-day log-return stdev)
 *   edrPts   = edrPct / 100 * S,  upper/lower = S +/- edrPts
 *
 * Modes (glossary: "High = blended VIX9D+HV; Medium = VIX9D-driven; Low = VIX30-driven"):
 *   low              blendVol = VIX (30-day)
 *   medium (default) blendVol = VIX9D; falls back to VIX when VIX9D is missing, and reports it
 *   high             blendVol = 0.5 * VIX9D + 0.5 * HV20 (same VIX9D -> VIX fallback)
 *   glossary-literal EDR = (VIX9D x 0.1) + (HV x 0.5) x multiplier, the glossary's printed formula
 *                    taken literally (standard precedence: the multiplier scales the HV term only).
 *                    UNVERIFIED: it yields several percent a day, implausible for SPX; kept only so
 *                    it can be compared. No bias is applied in this mode.
 */
export type EdrMode = 'low' | 'medium' | 'high' | 'glossary-literal';

export const EDR_MODES: readonly EdrMode[] = ['low', 'medium', 'high', 'glossary-literal'];

/** Default mode: docs/methodology.md §1, "Defaults: w = 1 (VIX9D; fall back to VIX ...)". */
export const DEFAULT_EDR_MODE: EdrMode = 'medium';

/** Calibration anchor (Tier B, research R16): VIX 17.95 gives EDR 1.16% (~83 pts at SPX 7140). */
export const EDR_ANCHOR_VIX = 17.95;
export const EDR_ANCHOR_PCT = 1.16;

/**
 * Default bias, computed from the anchor so that VIX 17.95 -> exactly 1.16% with m = 1:
 * `bias = 1.16 * sqrt(252) / 17.95` (about 1.02587; the research notes round it to 1.026).
 */
export const DEFAULT_EDR_BIAS = (EDR_ANCHOR_PCT * Math.sqrt(TRADING_DAYS_PER_YEAR)) / EDR_ANCHOR_VIX;

export interface EdrParams {
  /** Regime multiplier m. docs/methodology.md §1 default 1; the glossary quotes 0.8-2.0 "by regime". */
  readonly multiplier: number;
  /** Empirical bias over VIX/sqrt(252); default DEFAULT_EDR_BIAS (anchor calibration, R16). */
  readonly bias: number;
  /** Weight w of VIX9D in `high` mode (the rest is HV20). docs/methodology.md §1: 0.5. */
  readonly highVix9dWeight: number;
  /** Coefficient of VIX9D in the glossary-literal formula (glossary: 0.1). */
  readonly glossaryVix9dCoef: number;
  /** Coefficient of HV in the glossary-literal formula (glossary: 0.5). */
  readonly glossaryHvCoef: number;
}

export const DEFAULT_EDR_PARAMS: Readonly<EdrParams> = {
  multiplier: 1,
  bias: DEFAULT_EDR_BIAS,
  highVix9dWeight: 0.5,
  glossaryVix9dCoef: 0.1,
  glossaryHvCoef: 0.5,
};

/** Market inputs, all at the same as-of time. Vols in vol points (17.95 = 17.95%). */
export interface EdrInputs {
  /** SPX level S (index points), > 0. */
  readonly spx: number;
  /** VIX (30-day), > 0. Always required: it is the fallback for VIX9D. */
  readonly vix: number;
  /** VIX9D, > 0, or null/absent when not available (e.g. before 2011). */
  readonly vix9d?: number | null;
  /** HV20 in vol points, > 0, or null/absent; required by `high` and `glossary-literal`. */
  readonly hv20?: number | null;
}

export interface EdrOptions extends Partial<EdrParams> {
  readonly mode?: EdrMode;
}

/** A substitution made because an input was missing. */
export interface EdrFallback {
  readonly missing: 'vix9d';
  readonly usedInstead: 'vix';
  readonly reason: string;
}

/** What the EDR was computed from. */
export interface EdrUsedInputs {
  readonly spx: number;
  readonly vix: number;
  /** VIX9D as given (null when missing). */
  readonly vix9d: number | null;
  /** HV20 as given (null when missing). */
  readonly hv20: number | null;
  /**
   * Effective weight of each source after fallbacks. In the bias modes they sum to 1 and
   * `blendVol = sum(weight * value)`; in glossary-literal they are the printed coefficients
   * (VIX9D 0.1, HV 0.5 x multiplier) and the sum is the EDR in percent.
   */
  readonly weights: { readonly vix: number; readonly vix9d: number; readonly hv20: number };
  /** The blended vol in vol points (null in glossary-literal, which has no blend). */
  readonly blendVol: number | null;
  /** Bias applied (null in glossary-literal, which applies none). */
  readonly bias: number | null;
  readonly multiplier: number;
  /** The formula evaluated, in words. */
  readonly formula: string;
  readonly fallbacks: readonly EdrFallback[];
  /** True for glossary-literal: a printed formula that is not consistent with the anchor. */
  readonly unverified: boolean;
}

export interface EdrResult {
  /** Expected daily range, percent of spot (1.16 means 1.16%). */
  readonly edrPct: number;
  /** Expected daily range in SPX points: edrPct / 100 * S. */
  readonly edrPts: number;
  /** S + edrPts. */
  readonly upper: number;
  /** S - edrPts. */
  readonly lower: number;
  readonly mode: EdrMode;
  readonly inputs: EdrUsedInputs;
}

const SQRT_TRADING_DAYS = Math.sqrt(TRADING_DAYS_PER_YEAR);

function requirePositive(value: unknown, field: string, hint: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidInputError(
      `${field} must be a positive finite number, got ${String(value)}`,
      field,
      hint,
    );
  }
  return value;
}

function optionalPositive(value: number | null | undefined, field: string, hint: string): number | null {
  return value === null || value === undefined ? null : requirePositive(value, field, hint);
}

const VOL_HINT = 'pass the level in vol points, e.g. 17.95';

/**
 * Computes the EDR for one as-of time. Throws InvalidInputError naming the field for a
 * non-finite or non-positive input, a missing HV20 where the mode needs it, or a bad parameter.
 */
export function computeEdr(inputs: EdrInputs, options: EdrOptions = {}): EdrResult {
  const mode = options.mode ?? DEFAULT_EDR_MODE;
  if (!EDR_MODES.includes(mode)) {
    throw new InvalidInputError(
      `unknown EDR mode '${String(mode)}'`,
      'mode',
      `use one of ${EDR_MODES.join(', ')}`,
    );
  }
  const params: EdrParams = { ...DEFAULT_EDR_PARAMS, ...stripUndefined(options) };
  const multiplier = requirePositive(params.multiplier, 'multiplier', 'the regime multiplier m, e.g. 1');
  const bias = requirePositive(params.bias, 'bias', 'e.g. DEFAULT_EDR_BIAS');
  const w = params.highVix9dWeight;
  if (typeof w !== 'number' || !Number.isFinite(w) || w < 0 || w > 1) {
    throw new InvalidInputError(
      `highVix9dWeight must be within [0, 1], got ${String(w)}`,
      'highVix9dWeight',
      'e.g. 0.5',
    );
  }
  const gV = requirePositive(params.glossaryVix9dCoef, 'glossaryVix9dCoef', 'glossary: 0.1');
  const gH = requirePositive(params.glossaryHvCoef, 'glossaryHvCoef', 'glossary: 0.5');

  const spx = requirePositive(inputs.spx, 'spx', 'pass the SPX level in index points, e.g. 7140');
  const vix = requirePositive(inputs.vix, 'vix', VOL_HINT);
  const vix9d = optionalPositive(inputs.vix9d, 'vix9d', VOL_HINT);
  const hv20 = optionalPositive(inputs.hv20, 'hv20', 'pass HV20 in vol points, e.g. 14.2');

  const fallbacks: EdrFallback[] = [];
  /** The short-dated vol: VIX9D, or VIX (reported) when VIX9D is missing. */
  const shortVol = (): { value: number; source: 'vix9d' | 'vix' } => {
    if (vix9d !== null) return { value: vix9d, source: 'vix9d' };
    fallbacks.push({
      missing: 'vix9d',
      usedInstead: 'vix',
      reason: 'VIX9D not available; used VIX (30-day) instead',
    });
    return { value: vix, source: 'vix' };
  };
  const requireHv = (): number => {
    if (hv20 === null) {
      throw new InvalidInputError(
        `hv20 is required in ${mode} mode`,
        'hv20',
        'pass HV20 (20-day historical vol in vol points) or the closes to compute it, or use mode low/medium',
      );
    }
    return hv20;
  };

  const weights = { vix: 0, vix9d: 0, hv20: 0 };
  let edrPct: number;
  let blendVol: number | null;
  let usedBias: number | null = bias;
  let formula: string;
  switch (mode) {
    case 'low': {
      weights.vix = 1;
      blendVol = vix;
      formula = 'm * bias * VIX / sqrt(252)';
      edrPct = (multiplier * bias * blendVol) / SQRT_TRADING_DAYS;
      break;
    }
    case 'medium': {
      const s = shortVol();
      weights[s.source] = 1;
      blendVol = s.value;
      formula = `m * bias * ${s.source === 'vix9d' ? 'VIX9D' : 'VIX (fallback for VIX9D)'} / sqrt(252)`;
      edrPct = (multiplier * bias * blendVol) / SQRT_TRADING_DAYS;
      break;
    }
    case 'high': {
      const hv = requireHv();
      const s = shortVol();
      weights[s.source] = w;
      weights.hv20 = 1 - w;
      blendVol = w * s.value + (1 - w) * hv;
      formula = `m * bias * (${w} * ${s.source === 'vix9d' ? 'VIX9D' : 'VIX (fallback for VIX9D)'} + ${1 - w} * HV20) / sqrt(252)`;
      edrPct = (multiplier * bias * blendVol) / SQRT_TRADING_DAYS;
      break;
    }
    case 'glossary-literal': {
      const hv = requireHv();
      const s = shortVol();
      weights[s.source] = gV;
      weights.hv20 = gH * multiplier;
      blendVol = null;
      usedBias = null;
      formula = `(${s.source === 'vix9d' ? 'VIX9D' : 'VIX (fallback for VIX9D)'} x ${gV}) + (HV20 x ${gH}) x m  [glossary, printed; UNVERIFIED]`;
      edrPct = s.value * gV + hv * gH * multiplier;
      break;
    }
  }

  const edrPts = (edrPct / 100) * spx;
  return {
    edrPct,
    edrPts,
    upper: spx + edrPts,
    lower: spx - edrPts,
    mode,
    inputs: {
      spx,
      vix,
      vix9d,
      hv20,
      weights,
      blendVol,
      bias: usedBias,
      multiplier,
      formula,
      fallbacks,
      unverified: mode === 'glossary-literal',
    },
  };
}

function stripUndefined(options: EdrOptions): Partial<EdrParams> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (v !== undefined && k !== 'mode') out[k] = v;
  return out as Partial<EdrParams>;
}
