import { statSync } from 'node:fs';
import { join } from 'node:path';
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
import { exchangeIsTradingDay, loadEmbeddedMarketData, MANIFEST, type MarketData } from '@vixshield/data';

interface CachedData {
  readonly md: MarketData;
  /** The data dir manifest's identity when the data was loaded (null: no manifest). */
  readonly manifest: string | null;
  checkedAtMs: number;
}

const cached = new Map<string, CachedData>();
const generations = new Map<string, number>();

/**
 * How often a long-running process (the server) looks at the data dir's manifest: every import and
 * `data update` switches it in one rename, so a changed identity means the data changed, whichever
 * process wrote it.
 */
export const MANIFEST_RECHECK_MS = 500;

/** inode, size and mtime of the manifest (a rename gives a new inode), or null when there is none. */
function manifestIdentity(dataDir: string): string | null {
  try {
    const st = statSync(join(dataDir, MANIFEST));
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return null;
  }
}

/**
 * The embedded market data (plus the user's imports under the data dir), loaded once per process and
 * data dir: a second dir gets its own data, never the first one's. Reloaded when the data dir's
 * manifest changed (checked at most every MANIFEST_RECHECK_MS), e.g. by a `data update` run from cron
 * while `serve` keeps running.
 */
export function marketData(dataDir?: string): MarketData {
  const key = dataDir ?? '';
  const hit = cached.get(key);
  if (hit) {
    if (dataDir === undefined) return hit.md;
    const now = performance.now();
    if (now - hit.checkedAtMs < MANIFEST_RECHECK_MS) return hit.md;
    hit.checkedAtMs = now;
    if (manifestIdentity(dataDir) === hit.manifest) return hit.md;
    forgetMarketData(dataDir);
  }
  const manifest = dataDir === undefined ? null : manifestIdentity(dataDir);
  const md = loadEmbeddedMarketData({ isTradingDay: exchangeIsTradingDay, ...(dataDir ? { dataDir } : {}) });
  cached.set(key, { md, manifest, checkedAtMs: performance.now() });
  return md;
}

/**
 * Drops the cached data of `dataDir` (after a `data update` in this process, e.g. the scheduler's) and
 * counts a new generation of it.
 */
export function forgetMarketData(dataDir?: string): void {
  const key = dataDir ?? '';
  cached.delete(key);
  generations.set(key, (generations.get(key) ?? 0) + 1);
}

/**
 * How many times the data of `dataDir` was dropped for newer data in this process: what was derived
 * from an older generation (a cached signal body, a settled book) is stale.
 */
export function marketDataGeneration(dataDir?: string): number {
  if (dataDir !== undefined) marketData(dataDir); // looks at the manifest (throttled)
  return generations.get(dataDir ?? '') ?? 0;
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
