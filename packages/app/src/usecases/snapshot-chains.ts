import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  CHAIN_DB_FILE,
  type ChainStore,
  chainsOfStoredRows,
  quoteStamp,
  RealChainSource,
  type StoredSnapshot,
  withSharedChainStore,
} from '@vixshield/chains';
import {
  type ChainSource,
  type IsoDate,
  isTradingDay,
  type OptionChain,
  session,
  zonedTimeToUtcMs,
} from '@vixshield/core';

/**
 * Recorded chain snapshots (`vixshield chain snapshot`, the scheduler) as prices for the signal, the
 * paper book and `backtest --source real`. A snapshot prices a day only if it is fresh enough for that
 * day's entry: the entry instant minus its quote instant must be within the staleness limit (issue 13:
 * 20 minutes by default), and never negative (a quote after the entry would be look-ahead).
 */

/** Default staleness limit: the quotes may be at most this many minutes older than the entry. */
export const DEFAULT_SNAPSHOT_MAX_AGE_MINUTES_AT_ENTRY = 20;

/** The regular-day entry is 15:10 CT = 10 minutes after the 15:00 CT equity close (M§1). */
const REGULAR_CLOSE_CT_MINUTES = 15 * 60;

/**
 * The entry instant of `date` (UTC ms): `timeCt` on a regular day; on an early-close day the close
 * (from the calendar's session) plus the same offset after the close as `timeCt` has on a regular
 * day (15:10 CT: 10 minutes).
 */
export function entryInstantUtcMs(date: IsoDate, timeCt = '15:10'): number {
  const s = session(date);
  if (!s.earlyClose) return zonedTimeToUtcMs(date, timeCt, 'America/Chicago');
  const [h, m] = timeCt.split(':').map(Number) as [number, number];
  const offsetMin = h * 60 + m - REGULAR_CLOSE_CT_MINUTES;
  return s.closeUtcMs + offsetMin * 60_000;
}

/** A snapshot that prices a day, with what a reader needs to judge it. */
export interface UsedSnapshot {
  readonly date: IsoDate;
  readonly provider: string;
  readonly vendor: string;
  /** The source label its rows carry in the chain store. */
  readonly label: string;
  readonly quoteUtcMs: number;
  /** Quote time, New York ("2019-06-26 15:45 ET"). */
  readonly quoteTimeEt: string;
  readonly delaySeconds: number;
  /** Minutes between the quote instant and the entry instant. */
  readonly ageAtEntryMinutes: number;
  readonly underlyingPrice: number;
  readonly rows: number;
}

/** A day whose snapshot could not be used, and why (the reader is told, never silently modelled). */
export interface RefusedSnapshot {
  readonly date: IsoDate;
  readonly reason: string;
}

export interface SnapshotChains {
  /** Real chains by quote date, for the days whose snapshot passed. */
  readonly byDate: ReadonlyMap<IsoDate, RealChainSource>;
  /** The same chains as a list per day (every expiry and root), e.g. for the VIX of a live session. */
  readonly chainsByDate: ReadonlyMap<IsoDate, readonly OptionChain[]>;
  /**
   * Every stored snapshot's chains per day (every instant, every expiry and root; also the days whose
   * latest snapshot was refused for the entry), ascending by quote instant: the backtest's intraday
   * marks read the ones stamped at or shortly before a bar close (issue 16).
   */
  readonly intradayByDate: ReadonlyMap<IsoDate, readonly OptionChain[]>;
  readonly used: readonly UsedSnapshot[];
  readonly refused: readonly RefusedSnapshot[];
}

const et = (ms: number) => {
  const s = quoteStamp(ms);
  return `${s.date} ${s.hhmm} ET`;
};

/** Why `snap` cannot price the entry at `entryMs`, or null when it can. */
export function snapshotStaleness(
  snap: Pick<StoredSnapshot, 'quoteUtcMs' | 'provider' | 'delaySeconds'>,
  entryMs: number,
  maxAgeMinutes: number,
): string | null {
  const ageMin = (entryMs - snap.quoteUtcMs) / 60_000;
  const what = `the ${snap.provider} snapshot quoted at ${et(snap.quoteUtcMs)} (delay ${snap.delaySeconds / 60} min)`;
  if (ageMin < 0) return `${what} is after the entry at ${et(entryMs)}: it cannot price an earlier decision`;
  if (ageMin > maxAgeMinutes)
    return `${what} is ${ageMin.toFixed(0)} min older than the entry at ${et(entryMs)}; the staleness limit is ${maxAgeMinutes} min: take a fresh one before the entry ('vixshield chain snapshot') or raise --max-snapshot-age`;
  return null;
}

/** True when the data dir has a chain store (nothing is created just to look). */
export function hasChainStore(dataDir: string | undefined): dataDir is string {
  return dataDir !== undefined && existsSync(join(dataDir, CHAIN_DB_FILE));
}

/**
 * The recorded snapshots of the trading days in [from, to] of the data dir's chain store: per day the
 * latest snapshot whose rows are still stored, judged against that day's entry instant. Days without
 * a snapshot are simply absent (neither used nor refused).
 */
export async function loadSnapshotChains(
  dataDir: string | undefined,
  range: { from: IsoDate; to: IsoDate },
  opts: { timeCt?: string; maxAgeMinutes?: number; store?: ChainStore } = {},
): Promise<SnapshotChains> {
  const byDate = new Map<IsoDate, RealChainSource>();
  const chainsByDate = new Map<IsoDate, readonly OptionChain[]>();
  const intradayByDate = new Map<IsoDate, OptionChain[]>();
  const used: UsedSnapshot[] = [];
  const refused: RefusedSnapshot[] = [];
  if (!opts.store && !hasChainStore(dataDir)) return { byDate, chainsByDate, intradayByDate, used, refused };
  // The process's shared store (the server keeps one open per data dir; DuckDB has one writer).
  const read = async (store: ChainStore) => {
    const maxAge = opts.maxAgeMinutes ?? DEFAULT_SNAPSHOT_MAX_AGE_MINUTES_AT_ENTRY;
    const all = (await store.snapshots()).filter(
      (s) => s.quoteDate >= range.from && s.quoteDate <= range.to && s.liveRows > 0,
    );
    const latest = new Map<IsoDate, StoredSnapshot>();
    const ofDay = new Map<IsoDate, StoredSnapshot[]>();
    for (const s of all) {
      latest.set(s.quoteDate as IsoDate, s); // ordered by quote instant
      ofDay.set(s.quoteDate as IsoDate, [...(ofDay.get(s.quoteDate as IsoDate) ?? []), s]);
    }
    // Intraday: every snapshot of a trading day, each its own chains (rows of its vendor and file).
    for (const [date, snaps] of ofDay) {
      if (!isTradingDay(date)) continue;
      const rows = await store.readRows({ from: date, to: date });
      const chains: OptionChain[] = [];
      for (const snap of snaps)
        chains.push(
          ...chainsOfStoredRows(rows.filter((r) => r.vendor === snap.vendor && r.file === snap.sourceFile)),
        );
      intradayByDate.set(
        date,
        chains.sort((a, b) => a.quoteTimeUtcMs - b.quoteTimeUtcMs),
      );
    }
    for (const [date, snap] of latest) {
      if (!isTradingDay(date)) continue;
      const entryMs = entryInstantUtcMs(date, opts.timeCt);
      const why = snapshotStaleness(snap, entryMs, maxAge);
      if (why) {
        refused.push({ date, reason: why });
        continue;
      }
      const rows = (await store.readRows({ from: date, to: date })).filter(
        (r) => r.vendor === snap.vendor && r.file === snap.sourceFile,
      );
      const chains = chainsOfStoredRows(rows);
      chainsByDate.set(date, chains);
      byDate.set(date, new RealChainSource(chains));
      used.push({
        date,
        provider: snap.provider,
        vendor: snap.vendor,
        label: snap.sourceFile,
        quoteUtcMs: snap.quoteUtcMs,
        quoteTimeEt: et(snap.quoteUtcMs),
        delaySeconds: snap.delaySeconds,
        ageAtEntryMinutes: (entryMs - snap.quoteUtcMs) / 60_000,
        underlyingPrice: snap.underlyingPrice,
        rows: rows.length,
      });
    }
  };
  if (opts.store) await read(opts.store);
  else await withSharedChainStore(dataDir as string, read);
  used.sort((a, b) => (a.date < b.date ? -1 : 1));
  return { byDate, chainsByDate, intradayByDate, used, refused };
}

/**
 * Real snapshot chains on the days that have one, the fallback (the model) on every other day. A day
 * is never mixed: a snapshot day answers from the snapshot alone (a missing expiry is missing).
 */
export class SnapshotOrModelChainSource implements ChainSource {
  /** The port has one label; the per-day truth is `isReal(date)` and the result's price detail. */
  readonly pricesSource: 'real' | 'modelled';

  constructor(
    private readonly real: ReadonlyMap<IsoDate, ChainSource>,
    /** The model every day without a usable snapshot is priced by (its surfaces serve the intraday marks). */
    readonly fallback: ChainSource,
    /** Recorded chains per day at any instant (every snapshot, embedded real chains), for `quotesOn`. */
    private readonly intraday: ReadonlyMap<IsoDate, readonly OptionChain[]> = new Map(),
  ) {
    // What prices the entries and session marks; the intraday-only chains do not change it.
    this.pricesSource = real.size > 0 ? 'real' : fallback.pricesSource;
  }

  /**
   * The real chains of `expiry` quoted on `asOf`, ascending by quote instant: every recorded one of
   * the day and the snapshot pricing the day's entry (once). Never a modelled chain.
   */
  quotesOn(asOf: IsoDate, expiry: IsoDate): readonly OptionChain[] {
    const out = (this.intraday.get(asOf) ?? []).filter((c) => c.expiry === expiry);
    const entry = this.real.get(asOf)?.chain(asOf, expiry);
    if (
      entry &&
      entry.source.kind === 'real' &&
      !out.some((c) => c.quoteTimeUtcMs === entry.quoteTimeUtcMs && c.root === entry.root)
    )
      out.push(entry);
    return out.sort((a, b) => a.quoteTimeUtcMs - b.quoteTimeUtcMs);
  }

  isReal(date: IsoDate): boolean {
    return this.real.has(date);
  }

  expirations(asOf: IsoDate): readonly IsoDate[] {
    return (this.real.get(asOf) ?? this.fallback).expirations(asOf);
  }

  chain(asOf: IsoDate, expiry: IsoDate): OptionChain | undefined {
    return (this.real.get(asOf) ?? this.fallback).chain(asOf, expiry);
  }
}

/**
 * Every real chain in the data dir's chain store (`chains import` files and recorded snapshots), one
 * chain per (vendor, file, quote date, expiry, root): a day with several snapshots gives one chain per
 * snapshot, each at its own quote instant, so `model check` prices each at the instant it was quoted.
 * Empty when the data dir has no store (nothing is created just to look).
 */
export async function storedRealChains(dataDir: string | undefined): Promise<OptionChain[]> {
  if (!hasChainStore(dataDir)) return [];
  return withSharedChainStore(dataDir, async (store) => {
    const rows = await store.readRows({});
    const bySource = new Map<string, typeof rows>();
    for (const r of rows) {
      const k = `${r.vendor}|${r.file}`;
      const g = bySource.get(k);
      if (g) g.push(r);
      else bySource.set(k, [r]);
    }
    return [...bySource.values()].flatMap((g) => chainsOfStoredRows(g));
  });
}
