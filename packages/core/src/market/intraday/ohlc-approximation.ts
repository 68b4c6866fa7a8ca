import { InvalidInputError, type IsoDate } from '../../domain/index';
import { gridStartsEt, type IntradayBar, type IntradayDay, intradayWindowEt } from './bars';

/*
 * The daily-OHLC approximation for days without intraday bars. A daily bar says the session's high
 * and low were both reached but not in which order; the approximation takes the ADVERSE extreme
 * first (the one worse for the position), so a stop is never missed because the favourable extreme
 * was assumed to come first. The path is piecewise linear through
 *   (open, session open) -> (adverse extreme, f1 of the session) -> (other extreme, f2) -> (close, session close)
 * and is cut into synthetic bars, so the exit evaluator runs on it unchanged. The timing (f1, f2)
 * is an assumption; results on it are labelled source 'ohlc-approximation'.
 */

/** A daily SPX bar, index points. */
export interface DailyOhlc {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** Which extreme of the day is adverse for the position (reached first in the approximation). */
export type AdverseExtreme = 'low' | 'high';

export interface OhlcApproximationOptions {
  /**
   * Fractions of the session at which the adverse and then the other extreme are reached
   * (0 < f1 < f2 < 1). Default [1/3, 2/3]: an assumption, the daily bar does not say.
   */
  readonly extremeFractions?: readonly [number, number];
  /** Length of the synthetic bars in minutes (default 5); the extremes are moved to the nearest bar boundary. */
  readonly resolutionMinutes?: number;
}

export const DEFAULT_OHLC_APPROXIMATION: Required<OhlcApproximationOptions> = {
  extremeFractions: [1 / 3, 2 / 3],
  resolutionMinutes: 5,
};

/** Checks a daily bar: finite, positive, low <= open, close <= high. Throws InvalidInputError. */
export function checkDailyOhlc(ohlc: DailyOhlc, field = 'ohlc'): void {
  for (const k of ['open', 'high', 'low', 'close'] as const) {
    const v = ohlc[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new InvalidInputError(
        `${field}.${k} must be a positive finite number, got ${String(v)}`,
        `${field}.${k}`,
        'a close-only day has no high and low: it cannot use the OHLC approximation',
      );
    }
  }
  const { open, high, low, close } = ohlc;
  if (!(low <= Math.min(open, close) && high >= Math.max(open, close))) {
    throw new InvalidInputError(
      `${field}: need low <= open, close <= high, got open ${open}, high ${high}, low ${low}, close ${close}`,
      field,
      'check the daily bar',
    );
  }
}

/** The path's vertices: (minutes ET, price), the adverse extreme first. */
export function ohlcApproximationPath(
  window: { readonly openEt: number; readonly closeEt: number },
  ohlc: DailyOhlc,
  adverse: AdverseExtreme,
  opts: OhlcApproximationOptions = {},
): Array<{ readonly atEt: number; readonly price: number }> {
  checkDailyOhlc(ohlc);
  const [f1, f2] = opts.extremeFractions ?? DEFAULT_OHLC_APPROXIMATION.extremeFractions;
  const res = opts.resolutionMinutes ?? DEFAULT_OHLC_APPROXIMATION.resolutionMinutes;
  if (!(f1 > 0 && f1 < f2 && f2 < 1)) {
    throw new InvalidInputError(
      `extremeFractions: need 0 < f1 < f2 < 1, got [${f1}, ${f2}]`,
      'extremeFractions',
      'use e.g. [1/3, 2/3]',
    );
  }
  const length = window.closeEt - window.openEt;
  const snap = (f: number) => window.openEt + Math.round((f * length) / res) * res;
  const t1 = snap(f1);
  const t2 = snap(f2);
  if (!(window.openEt < t1 && t1 < t2 && t2 < window.closeEt)) {
    throw new InvalidInputError(
      `resolutionMinutes: ${res} is too coarse to place both extremes inside a ${length}-minute session`,
      'resolutionMinutes',
      'use shorter synthetic bars (e.g. 5)',
    );
  }
  const first = adverse === 'low' ? ohlc.low : ohlc.high;
  const second = adverse === 'low' ? ohlc.high : ohlc.low;
  return [
    { atEt: window.openEt, price: ohlc.open },
    { atEt: t1, price: first },
    { atEt: t2, price: second },
    { atEt: window.closeEt, price: ohlc.close },
  ];
}

/** Price of the piecewise-linear path at `t` (clamped to its ends). */
function pathAt(path: ReadonlyArray<{ atEt: number; price: number }>, t: number): number {
  if (t <= (path[0] as { atEt: number }).atEt) return (path[0] as { price: number }).price;
  for (let i = 1; i < path.length; i++) {
    const b = path[i] as { atEt: number; price: number };
    if (t <= b.atEt) {
      const a = path[i - 1] as { atEt: number; price: number };
      if (t === b.atEt) return b.price;
      return a.price + ((b.price - a.price) * (t - a.atEt)) / (b.atEt - a.atEt);
    }
  }
  return (path[path.length - 1] as { price: number }).price;
}

/**
 * A synthetic SPX day from a daily bar: bars of `resolutionMinutes` along the path open -> adverse
 * extreme -> other extreme -> close (see the file comment). Every vertex is on a bar boundary, so
 * each bar's high and low are its endpoints; the day's high and low are exactly the daily bar's.
 * `source` is 'ohlc-approximation'. Throws InvalidInputError for a bad bar or a non-trading day.
 */
export function ohlcApproximationDay(
  date: IsoDate,
  ohlc: DailyOhlc,
  adverse: AdverseExtreme,
  opts: OhlcApproximationOptions = {},
): IntradayDay {
  const window = intradayWindowEt(date, 'spx');
  const res = opts.resolutionMinutes ?? DEFAULT_OHLC_APPROXIMATION.resolutionMinutes;
  const path = ohlcApproximationPath(window, ohlc, adverse, { ...opts, resolutionMinutes: res });
  const bars: IntradayBar[] = [];
  for (const s of gridStartsEt(window, res)) {
    const e = Math.min(s + res, window.closeEt);
    const a = pathAt(path, s);
    const b = pathAt(path, e);
    bars.push({ startEt: s, open: a, high: Math.max(a, b), low: Math.min(a, b), close: b });
  }
  return {
    date,
    symbol: 'spx',
    source: 'ohlc-approximation',
    resolutionMinutes: res,
    windowOpenEt: window.openEt,
    windowCloseEt: window.closeEt,
    bars,
    closingPrint: null,
    missingStartsEt: [],
  };
}
