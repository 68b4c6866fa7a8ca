import { EMBEDDED_HOD_FIRST, EMBEDDED_HOD_LAST, RealChainSource } from '@vixshield/chains';
import {
  addDays,
  type Book,
  type ChainSource,
  type DailySignal,
  EMPTY_BOOK,
  formatUtcIso,
  INITIAL_ENGINE_STATE,
  type IsoDate,
  isoDate,
  isTradingDay,
  ORATS_LIKE_FILL,
  step,
  toDailySignal,
} from '@vixshield/core';
import { UsageError as CliError, embeddedPorts, type MarketData } from '@vixshield/data';
import { z } from 'zod';
import { loadStrategyConfig, presetOption } from './config';
import { readJsonFile } from './files';
import { buildLiveSession, type LiveSession } from './live-session';
import { marketData, requireDataDate, sessionsUpTo } from './market';
import {
  DEFAULT_SNAPSHOT_MAX_AGE_MINUTES_AT_ENTRY,
  hasChainStore,
  loadSnapshotChains,
} from './snapshot-chains';

const strikes = z.object({
  putLong: z.number(),
  putShort: z.number(),
  callShort: z.number(),
  callLong: z.number(),
});
const bookSchema = z.object({
  condors: z
    .array(
      z.object({
        id: z.string(),
        chainId: z.string().optional(),
        tier: z.enum(['conservative', 'balanced', 'aggressive']),
        expiry: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        root: z.enum(['SPX', 'SPXW']).default('SPXW'),
        settlement: z.enum(['AM', 'PM']).default('PM'),
        strikes,
        quantity: z.number().int().positive(),
        openedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        entryCredit: z.number(),
        rollsInChain: z.number().int().min(0).default(0),
        chainRealisedPnl: z.number().default(0),
      }),
    )
    .default([]),
  hedges: z
    .array(
      z.object({
        id: z.string(),
        layer: z.number().int().positive(),
        expiry: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        strike: z.number().positive(),
        quantity: z.number().int().positive(),
        openedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        entryPrice: z.number().nonnegative(),
      }),
    )
    .default([]),
});

export function readBook(file: string | undefined): Book {
  if (!file) return EMPTY_BOOK;
  return parseBook(readJsonFile(file), file);
}

/** Validates a book (open condors and hedges) from JSON; errors name the field. */
export function parseBook(raw: unknown, file = 'book'): Book {
  const parsed = bookSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${file}: field "${i.path.join('.')}": ${i.message}`);
    throw new CliError(`invalid book:\n  ${lines.join('\n  ')}`);
  }
  const b = parsed.data;
  return {
    condors: b.condors.map((c) => ({ ...c, chainId: c.chainId ?? c.id })) as unknown as Book['condors'],
    hedges: b.hedges as unknown as Book['hedges'],
  };
}

export interface SignalOptions {
  date?: string;
  preset?: string;
  config?: string;
  equity?: string;
  book?: string;
  /**
   * Option prices: 'auto' (default for the live signal) = the day's recorded chain snapshot when the
   * data dir has one, else the model; 'model' = the surface model; 'real' = the embedded 2018 SPXW
   * quotes.
   */
  source?: 'auto' | 'model' | 'real';
  /** Staleness limit of a snapshot, minutes before the entry (default 20). */
  maxSnapshotAge?: string | number;
  /** Prices from this chain source (a recorded snapshot) instead of the model (internal). */
  chains?: ChainSource;
  /** An already-parsed book (HTTP): used instead of `book`. */
  bookValue?: Book;
  dataDir?: string;
  /**
   * Which session: 'auto' (default) = the day's daily row when it exists, else the live session from
   * the day's chain snapshot; 'snapshot' = the live session even when a daily row exists (to check the
   * live path on a recorded day: every daily row of the day and later is ignored).
   */
  session?: 'auto' | 'snapshot';
  /** A prebuilt live session (internal, from computeLiveSignal). */
  live?: LiveSession;
  /** The daily market data to use instead of the data dir's (internal: tests, replays). */
  market?: MarketData;
}

/** The 15:10 CT signal of one trading day, from data known at that instant only. */
export function computeSignal(opts: SignalOptions): DailySignal {
  const preset = presetOption(opts.preset);
  const cfg = loadStrategyConfig(preset, opts.config);
  const equity = opts.equity === undefined ? 100_000 : Number(opts.equity);
  if (!(equity > 0))
    throw new CliError(`--equity '${opts.equity}' must be a positive amount in USD, e.g. 100000`);
  const md = opts.live?.market ?? opts.market ?? marketData(opts.dataDir);
  const date = opts.live ? opts.live.session.date : requireDataDate(md, opts.date);
  let session = opts.live?.session;
  if (!session) {
    const built = sessionsUpTo(md, date, cfg.entry.timeCt, cfg.hedge.trigger.zLookbackDays);
    session = built.sessions.find((s) => s.date === date);
    if (!session)
      throw new CliError(
        `no session on ${date}: ${built.skipped.find((s) => s.date === date)?.reason ?? 'unknown'}`,
      );
  }
  const source = opts.source ?? 'model';
  if (source === 'auto' && !opts.chains)
    throw new CliError('--source auto needs the snapshot lookup: use computeLiveSignal');
  if (source === 'real' && (date < EMBEDDED_HOD_FIRST || date > EMBEDDED_HOD_LAST)) {
    throw new CliError(
      `--source real: real quotes are embedded for ${EMBEDDED_HOD_FIRST}..${EMBEDDED_HOD_LAST} only (SPXW end-of-month expiries); ${date} is outside`,
    );
  }
  const ports = embeddedPorts(md, {
    quoteTimeCt: cfg.entry.timeCt,
    ...(source === 'real' ? { chains: RealChainSource.embedded() } : {}),
    ...(opts.chains ? { chains: opts.chains } : {}),
  });
  const book = opts.bookValue ?? readBook(opts.book);
  const res = step(
    INITIAL_ENGINE_STATE,
    { kind: 'session', date, instantUtcMs: session.instantUtcMs, market: session.market, book, equity },
    ports,
    cfg,
  );
  return toDailySignal(
    res,
    {
      date,
      preset: opts.config ? 'custom' : preset,
      instantUtcMs: session.instantUtcMs,
      spx: session.market.spx,
      equity,
      fill: ORATS_LIKE_FILL,
    },
    ports,
  );
}

/** Parses --max-snapshot-age (minutes, > 0). */
export function maxSnapshotAgeOption(v: string | number | undefined): number {
  if (v === undefined) return DEFAULT_SNAPSHOT_MAX_AGE_MINUTES_AT_ENTRY;
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n))
    throw new CliError(`--max-snapshot-age '${v}' must be a number of minutes > 0, e.g. 20`);
  return n;
}

/**
 * The signal as the daily service gives it: with `source` 'auto' (the default) the day's recorded
 * chain snapshot prices the condor from its real bid/ask, and the signal names the provider, the
 * quote time and the delay; a snapshot older than the staleness limit is refused (an error, never a
 * silent fall back to the model); a day without a snapshot is priced by the model and says so.
 */
export async function computeLiveSignal(opts: SignalOptions): Promise<DailySignal> {
  const source = opts.source ?? 'auto';
  const sessionKind = opts.session ?? 'auto';
  if (sessionKind !== 'auto' && sessionKind !== 'snapshot')
    throw new CliError(`--session '${String(sessionKind)}' must be auto or snapshot`);
  if (source !== 'auto') {
    if (sessionKind === 'snapshot') throw new CliError('--session snapshot needs --source auto');
    return computeSignal({ ...opts, source });
  }
  const maxAge = maxSnapshotAgeOption(opts.maxSnapshotAge);
  const md = opts.market ?? marketData(opts.dataDir);
  const lastRow = md.snapshots[md.snapshots.length - 1]!.date;
  const date = await liveSignalDate(md, opts, lastRow);
  const live = sessionKind === 'snapshot' || date > lastRow;
  const cfg = loadStrategyConfig(presetOption(opts.preset), opts.config);
  const found = await loadSnapshotChains(
    opts.dataDir,
    { from: date, to: date },
    { timeCt: cfg.entry.timeCt, maxAgeMinutes: maxAge },
  );
  const refused = found.refused[0];
  if (refused)
    throw new CliError(
      live
        ? `signal ${date}: ${refused.reason}`
        : `signal ${date}: ${refused.reason} (or use --source model to price with the model)`,
    );
  const used = found.used[0];
  const chains = found.byDate.get(date);
  if (!used || !chains) {
    if (live) {
      const why = hasChainStore(opts.dataDir)
        ? `the chain store has no snapshot of ${date}`
        : 'the data dir has no chain store';
      const what =
        date > lastRow
          ? `${date} is after the last daily row (${lastRow}) and ${why}, so there is no market for it`
          : `the live session (built from the day's chain snapshot, not its close) needs a snapshot, and ${why}`;
      throw new CliError(
        `signal ${date}: ${what}: run 'vixshield data update' (the daily rows to the last completed ` +
          `session) and 'vixshield chain snapshot' before the 15:10 CT entry (with the same --data-dir)`,
      );
    }
    const s = computeSignal({ ...opts, date, source: 'model' });
    const why = hasChainStore(opts.dataDir)
      ? `no chain snapshot of ${date} in the chain store`
      : 'no chain store in the data dir';
    return { ...s, pricesDetail: `${s.pricesDetail}; ${why}, so the model priced the condor` };
  }
  const liveSession = live
    ? buildLiveSession(md, date, found.chainsByDate.get(date) ?? [], used, {
        timeCt: cfg.entry.timeCt,
        zLookbackDays: cfg.hedge.trigger.zLookbackDays,
      })
    : undefined;
  const s = computeSignal({
    ...opts,
    date,
    source: 'model',
    chains,
    ...(liveSession ? { live: liveSession } : {}),
  });
  const intraday = liveSession
    ? `; SPX ${liveSession.info.spx.value.toFixed(2)} and VIX ${liveSession.info.vix.value.toFixed(2)} are intraday values of that snapshot (${liveSession.info.spx.source}; VIX by the Cboe method from its quotes), not closes`
    : '';
  return {
    ...s,
    pricesDetail: `real bid/ask of the ${used.provider} snapshot (${used.vendor}) quoted ${used.quoteTimeEt}, delay ${used.delaySeconds / 60} min, ${used.ageAtEntryMinutes.toFixed(0)} min before the entry${intraday}`,
    chainSnapshot: {
      provider: used.provider,
      vendor: used.vendor,
      quoteTime: formatUtcIso(used.quoteUtcMs),
      quoteTimeEt: used.quoteTimeEt,
      delaySeconds: used.delaySeconds,
      ageAtEntryMinutes: used.ageAtEntryMinutes,
      maxAgeMinutes: maxAge,
    },
    ...(liveSession ? { liveSession: liveSession.info } : {}),
  };
}

/**
 * The day of the live signal: --date when given (a trading day; after the data it must be answered
 * by a snapshot), else the later of the last daily row and the latest snapshot's day.
 */
async function liveSignalDate(md: MarketData, opts: SignalOptions, lastRow: IsoDate): Promise<IsoDate> {
  if (opts.date !== undefined) {
    let d: IsoDate;
    try {
      d = isoDate(opts.date, '--date');
    } catch {
      throw new CliError(`--date '${opts.date}' is not a date: use YYYY-MM-DD, e.g. ${lastRow}`);
    }
    if (d <= lastRow && opts.session !== 'snapshot') return requireDataDate(md, opts.date);
    if (!isTradingDay(d))
      throw new CliError(`--date ${d} is not a trading day (weekend or exchange holiday)`);
    if (d < md.snapshots[0]!.date) return requireDataDate(md, opts.date);
    return d;
  }
  if (opts.session === 'snapshot') throw new CliError('--session snapshot needs --date');
  if (!hasChainStore(opts.dataDir)) return lastRow;
  const after = await loadSnapshotChains(opts.dataDir, {
    from: addDays(lastRow, 1),
    to: '9999-12-31' as IsoDate,
  });
  const days = [...after.used.map((u) => u.date), ...after.refused.map((r) => r.date)].sort();
  return days.at(-1) ?? lastRow;
}
