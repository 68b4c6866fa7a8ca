import {
  computeLiveSignal,
  forgetMarketData,
  type PaperRecord,
  presetOption,
  signalBookInputs,
} from '@vixshield/app';
import {
  type ChainProvider,
  cboeChainProvider,
  DEFAULT_SNAPSHOT_MAX_AGE_MINUTES,
  quoteStamp,
  storeSnapshot,
  tradierProvider,
  withSharedChainStore,
} from '@vixshield/chains';
import { DEFAULT_EQUITY_USD, type IsoDate } from '@vixshield/core';
import {
  DEFAULT_HOSTS,
  exchangeIsTradingDay,
  type HttpOptions,
  type ProviderHosts,
  runDataUpdate,
} from '@vixshield/data';
import type { Journal } from '@vixshield/journal';
import { updateStoredPaperBook } from './paper';
import type { SchedulerOptions } from './scheduler';
import { journalBookOfDay } from './signal-service';

/*
 * The daily service behind `serve --schedule` (issue 13 item 3): the scheduler's three steps of a
 * trading day, over the data dir and the journal.
 *
 * - prepare (entry - 2 min): `data update` to the last completed session, then one chain snapshot
 *   (Cboe delayed quotes by default: free, 15 minutes late; Tradier real time with TRADIER_TOKEN),
 *   stored in the chain store the signal reads.
 * - entry: the live signal, journalled; the scheduler then POSTs it to the webhooks. Its session is
 *   built from the pre-entry snapshot (SPX its underlying, VIX by the Cboe method from its quotes,
 *   the rest from the daily rows before the day: the day's close is not known at 15:10 CT) and its
 *   condor is priced from the snapshot's bid/ask; a stale or missing snapshot is refused with the reason
 *   (the phase reports it; nothing is guessed).
 * - after-close (close + 60 min): `data update` again (the day's close), then each preset's paper book
 *   is replayed up to the last day in the data and stored: the previous day's condors settle.
 */

export interface DailyServiceOptions {
  readonly dataDir: string;
  readonly journal: Journal;
  /** Chain provider of the pre-entry snapshot (default cboe). */
  readonly provider?: 'cboe' | 'tradier';
  readonly hosts?: ProviderHosts;
  readonly http?: HttpOptions;
  /** Tradier token (default $TRADIER_TOKEN); never logged. */
  readonly tradierToken?: string;
  readonly equity?: number;
  /**
   * The signal's book (default 'none'): 'journal' = the journal's recorded fills (the server's choice),
   * read for the day with its expired positions settled and journaled (journalBookOfDay).
   */
  readonly book?: 'journal' | 'none';
  /** Staleness limit of the snapshot at the entry, minutes (default 20). */
  readonly maxSnapshotAgeMinutes?: number;
  /** Fill model of the paper book beside mid (default orats-like). */
  readonly paperFill?: string;
  /** Strategy overrides for every preset (JSON or YAML file), e.g. a test's entry window. */
  readonly config?: string;
  /**
   * The entry's session (default 'snapshot'): built from the pre-entry chain snapshot (SPX = its
   * underlying, VIX by the Cboe method from its quotes, everything else from the daily rows before the
   * day), because the day's close is not known at 15:10 CT. 'auto' uses a daily row of the day when
   * the data has one (only a hand import or a replay of past days can have it).
   */
  readonly session?: 'snapshot' | 'auto';
}

type Hooks = Required<Pick<SchedulerOptions, 'prepare' | 'compute' | 'afterClose'>>;

const et = (ms: number) => {
  const s = quoteStamp(ms);
  return `${s.date} ${s.hhmm} ET`;
};

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function updateData(o: DailyServiceOptions, nowUtcMs: number): Promise<string> {
  const r = await runDataUpdate({
    dataDir: o.dataDir,
    nowUtcMs,
    hosts: o.hosts ?? DEFAULT_HOSTS,
    ...(o.http ? { http: o.http } : {}),
    isTradingDay: exchangeIsTradingDay,
  });
  if (r.filesWritten > 0) forgetMarketData(o.dataDir);
  const added = r.series.filter((s) => s.added > 0).map((s) => `${s.id} +${s.added}`);
  return `data update to ${r.target}: ${added.length ? added.join(', ') : 'no new rows'}`;
}

function providerOf(o: DailyServiceOptions): ChainProvider {
  const hosts = o.hosts ?? DEFAULT_HOSTS;
  const http = o.http ?? {};
  if (o.provider === 'tradier')
    return tradierProvider({
      hosts,
      http,
      token: o.tradierToken ?? process.env.TRADIER_TOKEN,
      maxAgeMinutes: DEFAULT_SNAPSHOT_MAX_AGE_MINUTES,
    });
  return cboeChainProvider({ hosts, http, maxAgeMinutes: DEFAULT_SNAPSHOT_MAX_AGE_MINUTES });
}

/** The scheduler's prepare / compute / after-close hooks of the daily service. */
export function dailyServiceHooks(o: DailyServiceOptions): Hooks {
  return {
    prepare: async (_date, nowUtcMs) => {
      const notes: string[] = [];
      // A failed update leaves the previous data (all or nothing); the snapshot is still worth taking.
      try {
        notes.push(await updateData(o, nowUtcMs));
      } catch (err) {
        notes.push(`data update failed: ${errorText(err)}`);
      }
      try {
        const snap = await providerOf(o).snapshot(nowUtcMs);
        const r = await withSharedChainStore(o.dataDir, (store) => storeSnapshot(store, snap, nowUtcMs));
        notes.push(
          `chain snapshot ${snap.provider}: ${r.import.rowsStored} quotes at ${et(snap.quoteTimeUtcMs)} (delay ${snap.delaySeconds / 60} min)`,
        );
      } catch (err) {
        notes.push(`chain snapshot failed: ${errorText(err)}; the signal will use the model and say so`);
      }
      return notes;
    },
    compute: async (date: IsoDate, preset: string) => {
      const equity = o.equity ?? DEFAULT_EQUITY_USD;
      // Reading the book of the day settles and journals the positions expired before it (once).
      const day = journalBookOfDay(o.journal, date, o.book ?? 'none', o.dataDir);
      const signal = await computeLiveSignal({
        date,
        preset,
        equity: String(equity),
        bookOfDay: day,
        dataDir: o.dataDir,
        // The preset's engine state between sessions lives in the journal (issue 15 case 9).
        stateStore: o.journal,
        ...(o.config ? { config: o.config } : {}),
        ...(o.maxSnapshotAgeMinutes !== undefined ? { maxSnapshotAge: o.maxSnapshotAgeMinutes } : {}),
        session: o.session ?? 'snapshot',
      });
      // The snapshot is part of the inputs: a later snapshot of the day is a new revision.
      const inputs = {
        date,
        preset,
        equity,
        ...signalBookInputs(day),
        chainSnapshot: signal.chainSnapshot?.quoteTime ?? null,
        session: signal.liveSession ? 'snapshot' : 'daily',
      };
      o.journal.storeSignal(date, preset, inputs, signal);
      return signal;
    },
    afterClose: async (_date, nowUtcMs) => {
      const notes: string[] = [];
      try {
        notes.push(await updateData(o, nowUtcMs));
      } catch (err) {
        notes.push(`data update failed: ${errorText(err)}`);
      }
      return notes;
    },
  };
}

/** After-close with the paper books of `presets` (the scheduler's afterClose). */
export function withPaperBooks(
  hooks: Hooks,
  o: DailyServiceOptions,
  presets: readonly string[],
): Hooks & { paper: Map<string, PaperRecord> } {
  const paper = new Map<string, PaperRecord>();
  return {
    ...hooks,
    paper,
    afterClose: async (date, nowUtcMs) => {
      const notes = [...(await hooks.afterClose(date, nowUtcMs))];
      for (const p of presets) {
        try {
          const r = await updateStoredPaperBook(o.journal, {
            preset: presetOption(p),
            dataDir: o.dataDir,
            // Up to the close just passed (never a later day of the data, e.g. a replayed past week).
            to: date,
            ...(o.config ? { config: o.config } : {}),
            ...(o.equity !== undefined ? { equity: o.equity } : {}),
            ...(o.paperFill ? { fill: o.paperFill } : {}),
            ...(o.maxSnapshotAgeMinutes !== undefined
              ? { maxSnapshotAgeMinutes: o.maxSnapshotAgeMinutes }
              : {}),
          });
          paper.set(p, r);
          const last = r.fills[r.fills.length - 1];
          notes.push(
            r.through
              ? `paper ${p}: ${r.startedOn} .. ${r.through}, ${last?.trades.length ?? 0} closed trades, P&L ${last ? last.pnlUsd.toFixed(0) : '0'} USD (${last?.fill ?? '-'})`
              : `paper ${p}: ${r.notes[0] ?? 'not started'}`,
          );
        } catch (err) {
          notes.push(`paper ${p} failed: ${errorText(err)}`);
        }
      }
      return notes;
    },
  };
}
