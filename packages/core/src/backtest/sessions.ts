import { entryInstantUtcMs } from '../calendar/index';
import type { IsoDate } from '../domain/index';
import { historicalVolatility, type MarketSnapshot, sma, zScore } from '../market/index';
import type { BacktestSession } from './runner';

export interface SessionBuildOptions {
  /** Session time, America/Chicago (M§1: 15:10). */
  readonly timeCt: string;
  /** VIX z-score look-back (M§4: 20 days). */
  readonly zLookbackDays: number;
}

export interface SessionBuildResult {
  readonly sessions: BacktestSession[];
  /** Days with no session, and why (never silently dropped). */
  readonly skipped: ReadonlyArray<{ readonly date: IsoDate; readonly reason: string }>;
}

/**
 * One session per trading day from daily snapshots. Every derived input is causal: HV20, the VIX
 * z-score and 5-day average at day i use closes up to day i only (a test poisons later data to prove
 * it). Days without an SPX close, a VIX close or a rate cannot be decided and are listed as skipped.
 */
export function sessionsFromSnapshots(
  snapshots: readonly MarketSnapshot[],
  opts: SessionBuildOptions,
): SessionBuildResult {
  const skipped: Array<{ date: IsoDate; reason: string }> = [];
  const closes = snapshots.map((s) => s.spx.close);
  const hv = historicalVolatility(closes, 20);
  // VIX series over the days that have a VIX close (a missing day is skipped, not filled).
  const vixIdx: number[] = [];
  const vixVals: number[] = [];
  snapshots.forEach((s, i) => {
    if (s.vix !== null) {
      vixIdx.push(i);
      vixVals.push(s.vix);
    }
  });
  const z = zScore(vixVals, opts.zLookbackDays);
  const avg5 = sma(vixVals, 5);
  const vixPos = new Map<number, number>(vixIdx.map((i, k) => [i, k]));

  const sessions: BacktestSession[] = [];
  snapshots.forEach((s, i) => {
    const k = vixPos.get(i);
    if (s.vix === null || k === undefined) {
      skipped.push({ date: s.date, reason: 'no VIX close' });
      return;
    }
    if (s.rate === null) {
      skipped.push({ date: s.date, reason: 'no risk-free rate known yet' });
      return;
    }
    if (s.dividendYield === null) {
      skipped.push({ date: s.date, reason: 'no dividend yield known yet' });
      return;
    }
    const bar = s.spx;
    const vwapApprox =
      bar.closeOnly || bar.high === null || bar.low === null ? null : (bar.high + bar.low + bar.close) / 3;
    sessions.push({
      date: s.date,
      // The entry instant: timeCt, or the options close minus the same offset on an early-close day.
      instantUtcMs: entryInstantUtcMs(s.date, opts.timeCt),
      spxOpen: bar.closeOnly ? null : bar.open,
      ...(bar.closeOnly || bar.open === null || bar.high === null || bar.low === null
        ? {}
        : { spxDaily: { open: bar.open, high: bar.high, low: bar.low, close: bar.close } }),
      market: {
        spx: bar.close,
        vwapApprox,
        vix: s.vix,
        vix9d: s.vix9d,
        hv20: hv[i] ?? null,
        vix5dAverage: avg5[k] ?? null,
        vixZScore: z[k] ?? null,
        vixZScorePrev: k > 0 ? (z[k - 1] ?? null) : null,
        events: s.events,
        r: s.rate.r,
        q: s.dividendYield.q,
      },
    });
  });
  return { sessions, skipped };
}
