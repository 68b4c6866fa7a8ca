import { InvalidInputError } from '../../domain/index';

/**
 * Conventions shared by every indicator in this folder (see docs/decisions/0001-indicators.md):
 *
 * - Input is a plain array of numbers, **oldest first**: `number[]` or `Float64Array` (any
 *   `ArrayLike<number>`). Inputs are never mutated.
 * - Output is an aligned `Series`: one entry per input index, `null` while the indicator is warming
 *   up (not enough history yet), otherwise a finite number. Never NaN, never undefined.
 * - Every input value must be finite (prices and vols also > 0 where a log or ratio is taken);
 *   otherwise an InvalidInputError names the offending index, e.g. `closes[17]`.
 * - Too little history is not an error: the result is simply all `null`.
 */
export type Series = (number | null)[];

/** Read-only numeric input, oldest first (number[] or Float64Array). */
export type Values = ArrayLike<number>;

/** A series of `length` nulls, filled in by the indicator after its warm-up. */
export function emptySeries(length: number): Series {
  return new Array<number | null>(length).fill(null);
}

/** Throws unless every value is finite; `field` names the input in the error (e.g. `closes`). */
export function requireFiniteValues(values: Values, field: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidInputError(
        `${field}[${i}] must be a finite number, got ${String(v)}`,
        `${field}[${i}]`,
        'pass finite numbers only (no NaN, Infinity or gaps); drop or fill missing days first',
      );
    }
  }
}

/** Throws unless every value is finite and strictly positive (prices, vol levels). */
export function requirePositiveValues(values: Values, field: string): void {
  requireFiniteValues(values, field);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v <= 0) {
      throw new InvalidInputError(
        `${field}[${i}] must be > 0, got ${String(v)}`,
        `${field}[${i}]`,
        'prices and volatility levels must be positive',
      );
    }
  }
}

/** Throws unless `period` is an integer >= `min`. */
export function requirePeriod(period: number, field: string, min = 1): void {
  if (!Number.isInteger(period) || period < min) {
    throw new InvalidInputError(
      `${field} must be an integer >= ${min}, got ${String(period)}`,
      field,
      `pass a whole number of bars, at least ${min}`,
    );
  }
}

/** The most recent value of a series (its last element), or null if it is still warming up or empty. */
export function lastOf(series: Series): number | null {
  return series.length === 0 ? null : (series[series.length - 1] ?? null);
}
