import { REGULAR_SESSION_MINUTES } from '../../calendar/index';
import type { IsoDate } from '../../domain/index';
import { type IntradayDay, isCompleteDay } from './bars';

/**
 * The intraday variance profile of SPX hourly bars: the share of a regular session's open-to-close
 * variance still to come at each hourly mark (09:30, 10:30, ..., 15:30 ET) and at the 16:00 close.
 * INTRADAY_VARIANCE_LEFT_AT_HOURLY_MARKS (surface/short-dated.ts) is this measure on the embedded bars,
 * rounded (packages/data/test/short-dated.test.ts; scripts/intraday-variance-profile.ts prints and
 * plots it). Pure: the caller reads the bars and the official closes.
 */
export interface IntradayVarianceProfile {
  /** Complete regular sessions read (seven hourly bars, no vendor gap). */
  readonly sessions: number;
  /** Sessions set aside: the `setAsideShare` with the largest sum of squared hourly returns. */
  readonly setAside: readonly IsoDate[];
  /** Share left at each mark, from the squared hourly log returns (8 values, 1 .. 0). */
  readonly left: readonly number[];
  /**
   * Share left measured directly: ln(official close / price at the mark)^2 summed over the same
   * sessions, over its value at the open (7 values, the open .. 15:30 ET); the sessions without an
   * official close are left out of it.
   */
  readonly direct: readonly number[];
}

/** Hourly bars of a regular session: 09:30 .. 14:30 ET and the 15:30-16:00 half hour. */
const HOURLY_BARS = Math.ceil(REGULAR_SESSION_MINUTES / 60);

/**
 * Measures the profile on `days` (hourly bars; early closes and days with vendor gaps are skipped).
 * `setAsideShare` of the sessions with the largest sum are set aside (default 1%, rounded up): one
 * session with a shock at a given hour (2025-04-09's 13:18 ET tariff pause) would otherwise reshape
 * the average profile. `officialClose` gives the day's settlement close for the direct measure.
 */
export function measureIntradayVarianceProfile(
  days: readonly IntradayDay[],
  officialClose: (date: IsoDate) => number | undefined,
  setAsideShare = 0.01,
): IntradayVarianceProfile {
  const sessions = days
    .filter(
      (d) =>
        d.resolutionMinutes === 60 &&
        d.windowCloseEt - d.windowOpenEt === REGULAR_SESSION_MINUTES &&
        d.bars.length === HOURLY_BARS &&
        isCompleteDay(d),
    )
    .map((d) => {
      let prev = d.bars[0]!.open;
      const squared = d.bars.map((b) => {
        const x = Math.log(b.close / prev) ** 2;
        prev = b.close;
        return x;
      });
      const atMarks = [d.bars[0]!.open, ...d.bars.slice(0, HOURLY_BARS - 1).map((b) => b.close)];
      return { date: d.date, squared, sum: squared.reduce((a, b) => a + b, 0), atMarks };
    });
  const bySum = [...sessions].sort((a, b) => b.sum - a.sum);
  const setAside = bySum.slice(0, Math.ceil(sessions.length * setAsideShare));
  const kept = bySum.slice(setAside.length);
  const perHour = new Array<number>(HOURLY_BARS).fill(0);
  const direct = new Array<number>(HOURLY_BARS).fill(0);
  for (const s of kept) {
    const close = officialClose(s.date);
    for (let k = 0; k < HOURLY_BARS; k++) {
      perHour[k]! += s.squared[k]!;
      if (close !== undefined) direct[k]! += Math.log(close / s.atMarks[k]!) ** 2;
    }
  }
  const total = perHour.reduce((a, b) => a + b, 0);
  const left = [1];
  for (let k = 0; k < HOURLY_BARS; k++) left.push(Math.max(0, left[k]! - perHour[k]! / total));
  return {
    sessions: sessions.length,
    setAside: setAside.map((s) => s.date).sort(),
    left,
    direct: direct.map((v) => v / direct[0]!),
  };
}
