import {
  AS_SENTENCE,
  type BacktestSession,
  InvalidInputError,
  type IsoDate,
  isoDate,
  isTradingDay,
  type MarketSnapshot,
  sessionsFromSnapshots,
} from '@vixshield/core';
import { exchangeIsTradingDay, loadEmbeddedMarketData, type MarketData } from '@vixshield/data';

const cached = new Map<string, MarketData>();

/**
 * The embedded market data (plus the user's imports under the data dir), loaded once per process and
 * data dir: a second dir gets its own data, never the first one's.
 */
export function marketData(dataDir?: string): MarketData {
  const key = dataDir ?? '';
  let md = cached.get(key);
  if (!md) {
    md = loadEmbeddedMarketData({ isTradingDay: exchangeIsTradingDay, ...(dataDir ? { dataDir } : {}) });
    cached.set(key, md);
  }
  return md;
}

/** Drops the cached data of `dataDir` (after a `data update` in this process, e.g. the scheduler's). */
export function forgetMarketData(dataDir?: string): void {
  cached.delete(dataDir ?? '');
}

/**
 * Validates a date input (`field`: `date`, `from`, `to`) against the calendar and the data, with a
 * clear error instead of a guess.
 */
export function requireDataDate(md: MarketData, text: string | undefined, field = 'date'): IsoDate {
  const first = md.snapshots[0]!.date;
  const last = md.snapshots[md.snapshots.length - 1]!.date;
  if (text === undefined) return last;
  let d: IsoDate;
  try {
    d = isoDate(text, field);
  } catch {
    throw new InvalidInputError(
      `{${field}} '${text}' is not a date: use YYYY-MM-DD, e.g. ${last}`,
      field,
      `use YYYY-MM-DD, e.g. ${last}`,
      AS_SENTENCE,
    );
  }
  if (d < first || d > last)
    throw new InvalidInputError(
      `{${field}} ${d} is outside the data (${first} .. ${last}); import newer data with 'vixshield data import'`,
      field,
      `pick a date in ${first} .. ${last}, or import newer data with 'vixshield data import'`,
      AS_SENTENCE,
    );
  if (!isTradingDay(d))
    throw new InvalidInputError(
      `{${field}} ${d} is not a trading day (weekend or exchange holiday)`,
      field,
      'pick a trading day',
      AS_SENTENCE,
    );
  if (!md.byDate(d))
    throw new InvalidInputError(
      `{${field}} ${d} has no market snapshot in the data`,
      field,
      'pick a trading day of the data',
      AS_SENTENCE,
    );
  return d;
}

/** Sessions built only from snapshots up to and including `to` (nothing later is even passed in). */
export function sessionsUpTo(
  md: MarketData,
  to: IsoDate,
  timeCt: string,
  zLookbackDays: number,
): { sessions: BacktestSession[]; skipped: ReadonlyArray<{ date: IsoDate; reason: string }> } {
  const upTo: MarketSnapshot[] = md.snapshots.filter((s) => s.date <= to);
  return sessionsFromSnapshots(upTo, { timeCt, zLookbackDays });
}

/** The EDR command's view of one day: SPX, VIX, VIX9D and the SPX closes up to that day. */
export function embeddedMarketDay(
  date: IsoDate,
): { spx: number; vix: number; vix9d: number | null; closes: number[] } | undefined {
  const md = marketData();
  const i = md.snapshots.findIndex((s) => s.date === date);
  const s = md.snapshots[i];
  if (!s || s.vix === null) return undefined;
  return {
    spx: s.spx.close,
    vix: s.vix,
    vix9d: s.vix9d,
    closes: md.snapshots.slice(Math.max(0, i - 40), i + 1).map((x) => x.spx.close),
  };
}
