import { InvalidInputError } from '../domain/index';

/** Per-calendar-period returns of an equity curve (the rows of a PBO matrix, a stitched equity). */
export interface PeriodReturns {
  /** 'YYYY-MM' of each period, in time order. */
  readonly periods: readonly string[];
  /** Simple return of each period. */
  readonly returns: readonly number[];
}

/**
 * Calendar-month returns of a daily equity curve: the return of month m is V_m / V_(m-1) - 1 where
 * V_m is the last equity of month m and V_(-1) = `initialEquity` (so the first and last months may
 * be partial; the product of (1 + r) is the total return). After ruin (equity <= 0) the ruin month
 * returns -1 (at worst) and every later month 0: there is no capital left to earn a return on.
 */
export function monthlyReturns(
  points: ReadonlyArray<{ readonly date: string; readonly equity: number }>,
  initialEquity: number,
): PeriodReturns {
  if (!(Number.isFinite(initialEquity) && initialEquity > 0)) {
    throw new InvalidInputError(
      `initialEquity must be > 0, got ${initialEquity}`,
      'initialEquity',
      'pass the starting capital',
    );
  }
  const periods: string[] = [];
  const ends: number[] = [];
  for (const p of points) {
    if (!Number.isFinite(p.equity)) {
      throw new InvalidInputError(`equity on ${p.date} is ${p.equity}`, 'equity', 'check the equity curve');
    }
    const m = p.date.slice(0, 7);
    const last = periods[periods.length - 1];
    if (last !== undefined && m < last) {
      throw new InvalidInputError(`${p.date} comes after ${last}`, 'date', 'sort the equity curve by date');
    }
    if (m === last) ends[ends.length - 1] = p.equity;
    else {
      periods.push(m);
      ends.push(p.equity);
    }
  }
  const returns: number[] = [];
  let prev = initialEquity;
  for (const v of ends) {
    returns.push(prev > 0 ? Math.max(v / prev - 1, -1) : 0);
    prev = v;
  }
  return { periods, returns };
}

/** Compounds period returns into values starting at `start`: n returns give n + 1 values. */
export function compound(returns: readonly number[], start = 1): number[] {
  const out = [start];
  let v = start;
  for (const r of returns) {
    v *= 1 + r;
    out.push(v);
  }
  return out;
}
