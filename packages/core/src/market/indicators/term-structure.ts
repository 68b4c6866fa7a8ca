import { InvalidInputError } from '../../domain/index';
import { emptySeries, type Series } from './series';

/** One day's VIX-family closes, in vol points; a missing index is `null` or absent. */
export interface VixTermQuote {
  readonly vix9d?: number | null;
  readonly vix?: number | null;
  readonly vix3m?: number | null;
}

/**
 * VIX term-structure ratios. Below 1 means upward sloping (contango) at that segment; above 1 means
 * inverted (backwardation). `null` when either input is missing.
 */
export interface TermStructureRatios {
  /** VIX9D / VIX: the front end (9-day vs 30-day). */
  readonly vix9dOverVix: number | null;
  /** VIX / VIX3M: 30-day vs 3-month. */
  readonly vixOverVix3m: number | null;
}

function present(value: number | null | undefined, field: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidInputError(
      `${field} must be a positive finite number or missing, got ${String(value)}`,
      field,
      'pass the index level in vol points, or null when it is not available',
    );
  }
  return value;
}

/** Ratio `numerator / denominator`, or null if either is missing (null/undefined). */
export function ratioOrNull(
  numerator: number | null | undefined,
  denominator: number | null | undefined,
  fields: readonly [string, string] = ['numerator', 'denominator'],
): number | null {
  const a = present(numerator, fields[0]);
  const b = present(denominator, fields[1]);
  return a === null || b === null ? null : a / b;
}

/** VIX9D/VIX and VIX/VIX3M for one day; each ratio is null when one of its inputs is missing. */
export function termStructureRatios(quote: VixTermQuote): TermStructureRatios {
  return {
    vix9dOverVix: ratioOrNull(quote.vix9d, quote.vix, ['vix9d', 'vix']),
    vixOverVix3m: ratioOrNull(quote.vix, quote.vix3m, ['vix', 'vix3m']),
  };
}

/**
 * Element-wise ratio of two aligned series (e.g. VIX9D closes over VIX closes); `null` where either
 * side is null/undefined. The two inputs must have the same length.
 */
export function ratioSeries(
  numerator: ArrayLike<number | null | undefined>,
  denominator: ArrayLike<number | null | undefined>,
): Series {
  if (numerator.length !== denominator.length) {
    throw new InvalidInputError(
      `ratioSeries: numerator has ${numerator.length} values, denominator ${denominator.length}`,
      'denominator',
      'align both series on the same dates first',
    );
  }
  const out = emptySeries(numerator.length);
  for (let i = 0; i < numerator.length; i++) {
    out[i] = ratioOrNull(numerator[i], denominator[i], [`numerator[${i}]`, `denominator[${i}]`]);
  }
  return out;
}
