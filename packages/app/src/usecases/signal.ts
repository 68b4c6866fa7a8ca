import { EMBEDDED_HOD_FIRST, EMBEDDED_HOD_LAST, RealChainSource } from '@vixshield/chains';
import {
  AS_SENTENCE,
  type AwaitingSettlement,
  addDays,
  type Book,
  type BookFill,
  bookFromFills,
  type ChainSource,
  type DailySignal,
  DamagedDataError,
  DEFAULT_EQUITY_USD,
  EMPTY_BOOK,
  type EnginePorts,
  type EngineState,
  fileFillField,
  formatUtcIso,
  INITIAL_ENGINE_STATE,
  InvalidInputError,
  type IsoDate,
  isoDate,
  isTradingDay,
  NotFoundError,
  ORATS_LIKE_FILL,
  type PositionSettlement,
  REAL_QUOTE_MAX_AGE_MINUTES,
  type SessionEvent,
  type SettlementPrints,
  type StepResult,
  type StrategyConfig,
  settleExpiredBook,
  step,
  toDailySignal,
  validateFills,
} from '@vixshield/core';
import { embeddedPorts, type MarketData } from '@vixshield/data';
import { z } from 'zod';
import { modelErrorStatement } from '../report/model-error';
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
        /** SPX when the chain was first opened (seed triggers); default: the close of openedOn. */
        entrySpot: z.number().positive().optional(),
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

/**
 * Reads a `--book` file. The documented format (docs/book.md) is the API's: fills, as an array or
 * `{"fills": [...]}`, checked by the same validation as POST /api/book (errors name the file, the fill's
 * index and id, and the field). The older `{"condors": [...], "hedges": [...]}` of open positions is
 * still read.
 */
export function readBook(file: string | undefined, hedgeLayers = Number.POSITIVE_INFINITY): Book {
  if (!file) return EMPTY_BOOK;
  const raw = readJsonFile(file);
  const fills = Array.isArray(raw) ? raw : (raw as { fills?: unknown } | null)?.fills;
  if (fills !== undefined)
    return bookFromFills(validateFills(fills, [], { hedgeLayers, name: fileFillField(file) }));
  return parseBook(raw, file);
}

/** The signal, with what it says about the book's expired positions when it has any. */
export type SignalWithBook = DailySignal & {
  readonly bookSettlement?: BookSettlementReport;
  /**
   * With modelled prices: how far the model is from real quotes where that was measured (the condor's
   * zone, `vixshield model check`), the sentence every backtest report prints.
   */
  readonly modelError?: string;
};

/** What a signal says about the book's expired positions (only present when there are any). */
export interface BookSettlementReport {
  /** Positions that expired before the signal's day, settled at the official settlement. */
  readonly settled: readonly PositionSettlement[];
  /** Expired positions whose settlement print is not in the data yet: still open, left out of the step. */
  readonly awaiting: readonly AwaitingSettlement[];
}

/** Settlement prints from the market data: SPX open/close of a session, the VRO from the VIX open. */
export function settlementPrints(
  md: MarketData,
  vro: (expiry: IsoDate) => number | undefined,
): SettlementPrints {
  return {
    spxDay: (d) => {
      const bar = md.byDate(d)?.spx;
      return bar ? { open: bar.closeOnly ? null : bar.open, close: bar.close } : undefined;
    },
    vro,
  };
}

/**
 * Where a signal's book comes from when it is kept in a journal: the counted fills (voided ones left out)
 * and the settlements at expiry journaled so far, and where new ones are journaled. The journal
 * (@vixshield/journal) is one; the use case only needs these three calls.
 */
export interface BookLedger {
  fills(): readonly BookFill[];
  settlements(): ReadonlyArray<{ readonly positionId: string; readonly recordedFor: string }>;
  /** Journals settlements once per position (a position already journaled is kept as it was). */
  recordSettlements(settled: readonly PositionSettlement[], recordedFor: string): number;
}

/** The book a signal of one day sees: open positions, and what happened to the expired ones. */
export interface BookOfDay {
  readonly date: IsoDate;
  /** The positions still open on the day: the engine's book (expired ones left out). */
  readonly book: Book;
  /** The expired positions settled, or awaiting their print; absent when there are none. */
  readonly bookSettlement?: BookSettlementReport;
}

export function isBookLedger(source: Book | BookLedger): source is BookLedger {
  return typeof (source as BookLedger).fills === 'function';
}

/**
 * The one step that reads a book for the signal of `date` (every path: GET /api/signal cached or not,
 * the worker pool, the scheduler, `signal --book`). Positions that expired before the day settle at the
 * official settlement (settleExpiredBook: the backtest's functions) and leave the engine's book; when the
 * book is a ledger (the journal) they are journaled right here, once per position (recordSettlements
 * keeps the first record: reading the same day again writes nothing). A position journaled as settled
 * for an earlier day is closed and no longer listed; the first day that settled it (and any day up to
 * it) lists it under `bookSettlement.settled`. A position whose print is not in the data yet is listed
 * under `bookSettlement.awaiting` and stays open in the journal.
 */
export function readBookOfDay(
  source: Book | BookLedger,
  date: IsoDate,
  md: MarketData,
  vro: (expiry: IsoDate) => number | undefined = (expiry) => embeddedPorts(md).vixOptions.settlement(expiry),
): BookOfDay {
  let book: Book;
  if (isBookLedger(source)) {
    const closed = new Set(
      source
        .settlements()
        .filter((s) => s.recordedFor < date)
        .map((s) => s.positionId),
    );
    const all = bookFromFills(source.fills());
    book =
      closed.size === 0
        ? all
        : {
            condors: all.condors.filter((c) => !closed.has(c.id)),
            hedges: all.hedges.filter((h) => !closed.has(h.id)),
          };
  } else book = source;
  const expired = settleExpiredBook(book, date, settlementPrints(md, vro));
  if (isBookLedger(source) && expired.settled.length > 0) source.recordSettlements(expired.settled, date);
  if (expired.settled.length + expired.awaiting.length === 0) return { date, book: expired.book };
  return {
    date,
    book: expired.book,
    bookSettlement: { settled: expired.settled, awaiting: expired.awaiting },
  };
}

/**
 * The inputs a stored signal is keyed by: the request and the book of the day (the open positions and,
 * when there are any, the settlements listed). Equal inputs, equal signal.
 */
export function signalBookInputs(day: BookOfDay): { book: Book; bookSettlement?: BookSettlementReport } {
  return day.bookSettlement ? { book: day.book, bookSettlement: day.bookSettlement } : { book: day.book };
}

/** Validates a book (open condors and hedges) from JSON; errors name the field. */
export function parseBook(raw: unknown, file = 'book'): Book {
  const parsed = bookSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${file}: field "${i.path.join('.')}": ${i.message}`);
    throw new InvalidInputError(
      `invalid book:\n  ${lines.join('\n  ')}`,
      'book',
      'fix the fields named',
      AS_SENTENCE,
    );
  }
  const b = parsed.data;
  return {
    condors: b.condors.map((c) => ({ ...c, chainId: c.chainId ?? c.id })) as unknown as Book['condors'],
    hedges: b.hedges as unknown as Book['hedges'],
  };
}

/**
 * Entry spot of each chain in the book, as the backtest keeps it (seed: the 1.5% decline is measured from
 * there): the book's `entrySpot` when given, else the SPX close of the session the position was opened
 * (for a rolled chain, give entrySpot: the roll date is not the chain's entry).
 */
export function bookEntrySpots(
  book: Book,
  sessions: readonly { date: string; market: { spx: number } }[],
): Record<string, number> {
  const spotOn = new Map(sessions.map((s) => [s.date, s.market.spx]));
  const out: Record<string, number> = {};
  for (const c of book.condors) {
    const given = (c as { entrySpot?: number }).entrySpot;
    const spot = given ?? spotOn.get(c.openedOn);
    if (spot !== undefined && out[c.chainId] === undefined) out[c.chainId] = spot;
  }
  return out;
}

const engineStateSchema = z.object({
  gate: z.object({ holding: z.boolean() }),
  triggeredLayers: z.number().int().min(0),
  chainEntrySpot: z.record(z.string(), z.number().positive()),
});

/** Where the engine state between signals is kept (the journal, per preset). */
export interface EngineStateStore {
  engineStateBefore(preset: string, date: string): { date: string; state: unknown } | undefined;
  saveEngineState(preset: string, date: string, state: unknown): void;
}

/**
 * The store as an ad-hoc request sees it: it reads the account's stored state (the best memory of
 * where the account stands) and never writes. Only the account's own request (the scheduled signal:
 * its equity and the journal's book) may replace the state the next session continues from
 * (docs/decisions/0005, item 29).
 */
export function readOnlyStateStore(store: EngineStateStore): EngineStateStore {
  return {
    engineStateBefore: (preset, date) => store.engineStateBefore(preset, date),
    saveEngineState: () => undefined,
  };
}

/** Validates a stored engine state; a corrupt one is an error naming the preset, date and field. */
export function parseEngineState(raw: unknown, where: string): EngineState {
  const parsed = engineStateSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${where}: field "${i.path.join('.')}": ${i.message}`);
    throw new DamagedDataError(
      `invalid engine state in the journal:\n  ${lines.join('\n  ')}`,
      'engineState',
      'delete that row to start the preset from the initial state',
    );
  }
  return parsed.data as EngineState;
}

/**
 * One session of the live signal path with the engine's memory: the state stored after the previous
 * session of this preset (gate hysteresis, seed trigger episode, chain entry spots), completed with the
 * entry spots of chains in the book it does not know (a chain opened at the last session), then the step,
 * then the state after it is stored for the next signal. The backtest runner makes the same decisions
 * from the same state (parity test: packages/app/test/signal-parity.test.ts).
 */
export function signalStepWithState(a: {
  readonly ev: SessionEvent;
  readonly ports: EnginePorts;
  readonly cfg: StrategyConfig;
  readonly stateKey: string;
  readonly store?: EngineStateStore | undefined;
  readonly sessions: readonly { date: string; market: { spx: number } }[];
}): StepResult {
  const stored = a.store?.engineStateBefore(a.stateKey, a.ev.date);
  const base = stored
    ? parseEngineState(stored.state, `engine state of preset ${a.stateKey} at ${stored.date}`)
    : INITIAL_ENGINE_STATE;
  const fromBook = bookEntrySpots(a.ev.book, a.sessions);
  const state: EngineState = { ...base, chainEntrySpot: { ...fromBook, ...base.chainEntrySpot } };
  const res = step(state, a.ev, a.ports, a.cfg);
  a.store?.saveEngineState(a.stateKey, a.ev.date, res.state);
  return res;
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
  /** The journal's book: read (and its expired positions settled and journaled) for the signal's day. */
  bookLedger?: BookLedger;
  /**
   * The book of the day already read by `readBookOfDay` (the server reads it before looking for a stored
   * signal); its date must be the signal's.
   */
  bookOfDay?: BookOfDay;
  dataDir?: string;
  /** Engine state between signals (the journal): loaded before, stored after. */
  stateStore?: EngineStateStore;
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
export function computeSignal(opts: SignalOptions): SignalWithBook {
  const preset = presetOption(opts.preset);
  const cfg = loadStrategyConfig(preset, opts.config);
  const equity = opts.equity === undefined ? DEFAULT_EQUITY_USD : Number(opts.equity);
  if (!(equity > 0))
    throw new InvalidInputError(
      `{equity} '${opts.equity}' must be a positive amount in USD, e.g. 100000`,
      'equity',
      'pass a positive amount in USD, e.g. 100000',
      AS_SENTENCE,
    );
  const md = opts.live?.market ?? opts.market ?? marketData(opts.dataDir);
  const date = opts.live ? opts.live.session.date : requireDataDate(md, opts.date);
  let session = opts.live?.session;
  // The sessions the book's entry spots are read from (the seed triggers): the daily closes before a
  // live day plus the live session itself.
  let sessions: ReadonlyArray<{ date: string; market: { spx: number } }> = [];
  if (session) {
    sessions = [
      ...md.snapshots
        .filter((x) => x.date < date)
        .map((x) => ({ date: x.date, market: { spx: x.spx.close } })),
      session,
    ];
  } else {
    const built = sessionsUpTo(md, date, cfg.entry.timeCt, cfg.hedge.trigger.zLookbackDays);
    sessions = built.sessions;
    session = built.sessions.find((s) => s.date === date);
    if (!session)
      throw new InvalidInputError(
        `no session on ${date}: ${built.skipped.find((s) => s.date === date)?.reason ?? 'unknown'}`,
        'date',
        'pick another trading day',
        AS_SENTENCE,
      );
  }
  const source = opts.source ?? 'model';
  if (source === 'auto' && !opts.chains)
    throw new InvalidInputError(
      '{source} auto needs the snapshot lookup: use computeLiveSignal',
      'source',
      'call computeLiveSignal',
      AS_SENTENCE,
    );
  if (source === 'real' && (date < EMBEDDED_HOD_FIRST || date > EMBEDDED_HOD_LAST)) {
    throw new InvalidInputError(
      `{source} real: real quotes are embedded for ${EMBEDDED_HOD_FIRST}..${EMBEDDED_HOD_LAST} only (SPXW end-of-month expiries); ${date} is outside`,
      'source',
      `use the model source, or a date in ${EMBEDDED_HOD_FIRST}..${EMBEDDED_HOD_LAST}`,
      AS_SENTENCE,
    );
  }
  const ports = embeddedPorts(md, {
    quoteTimeCt: cfg.entry.timeCt,
    ...(source === 'real' ? { chains: RealChainSource.embedded() } : {}),
    ...(opts.chains ? { chains: opts.chains } : {}),
  });
  // Positions that expired before this day settle at their official settlement instead of reaching
  // the engine (which cannot price them past expiry); the signal lists them. One step for every path.
  if (opts.bookOfDay && opts.bookOfDay.date !== date)
    throw new Error(`the book was read for ${opts.bookOfDay.date}, the signal is of ${date}`);
  const day =
    opts.bookOfDay ??
    readBookOfDay(
      opts.bookLedger ?? opts.bookValue ?? readBook(opts.book, cfg.hedge.layers.length),
      date,
      md,
      (expiry) => ports.vixOptions.settlement(expiry),
    );
  const book = day.book;
  const res = signalStepWithState({
    ev: { kind: 'session', date, instantUtcMs: session.instantUtcMs, market: session.market, book, equity },
    ports,
    cfg,
    stateKey: opts.config ? `custom:${opts.config}` : preset,
    store: opts.stateStore,
    sessions,
  });
  const signal = toDailySignal(
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
  return {
    ...signal,
    ...(day.bookSettlement ? { bookSettlement: day.bookSettlement } : {}),
    ...(signal.pricesSource === 'modelled' ? { modelError: modelErrorStatement() } : {}),
  };
}

/** Parses --max-snapshot-age (minutes, > 0). */
export function maxSnapshotAgeOption(v: string | number | undefined): number {
  return quoteAgeOption(v, 'maxSnapshotAge', DEFAULT_SNAPSHOT_MAX_AGE_MINUTES_AT_ENTRY);
}

/** Parses --max-mark-quote-age (minutes, > 0): how old a recorded quote may be to mark a bar. */
export function maxMarkQuoteAgeOption(v: string | number | undefined): number {
  return quoteAgeOption(v, 'maxMarkQuoteAge', REAL_QUOTE_MAX_AGE_MINUTES);
}

function quoteAgeOption(v: string | number | undefined, field: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n))
    throw new InvalidInputError(
      `{${field}} '${v}' must be a number of minutes > 0, e.g. ${fallback}`,
      field,
      `pass minutes, e.g. ${fallback}`,
      AS_SENTENCE,
    );
  return n;
}

/**
 * The signal as the daily service gives it: with `source` 'auto' (the default) the day's recorded
 * chain snapshot prices the condor from its real bid/ask, and the signal names the provider, the
 * quote time and the delay; a snapshot older than the staleness limit is refused (an error, never a
 * silent fall back to the model); a day without a snapshot is priced by the model and says so.
 */
export async function computeLiveSignal(opts: SignalOptions): Promise<SignalWithBook> {
  const source = opts.source ?? 'auto';
  const sessionKind = opts.session ?? 'auto';
  if (sessionKind !== 'auto' && sessionKind !== 'snapshot')
    throw new InvalidInputError(
      `--session '${String(sessionKind)}' must be auto or snapshot`,
      'session',
      'see the command with --help for its options',
      { hintInMessage: true },
    );
  if (source !== 'auto') {
    if (sessionKind === 'snapshot')
      throw new InvalidInputError(
        '--session snapshot needs --source auto',
        'session',
        'see the command with --help for its options',
        { hintInMessage: true },
      );
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
    throw new NotFoundError(
      live
        ? `signal ${date}: ${refused.reason}`
        : `signal ${date}: ${refused.reason} (or use {source} model to price with the model)`,
      'date',
      'take a fresh snapshot, or price with the model',
      AS_SENTENCE,
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
      throw new NotFoundError(
        `signal ${date}: ${what}: run 'vixshield data update' (the daily rows to the last completed ` +
          `session) and 'vixshield chain snapshot' before the 15:10 CT entry (with the same --data-dir)`,
        'dataDir',
        'bring the data up to date (vixshield data update) and take a chain snapshot',
        { hintInMessage: true },
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
      throw new InvalidInputError(
        `--date '${opts.date}' is not a date: use YYYY-MM-DD, e.g. ${lastRow}`,
        'date',
        'see the command with --help for its options',
        { hintInMessage: true },
      );
    }
    if (d <= lastRow && opts.session !== 'snapshot') return requireDataDate(md, opts.date);
    if (!isTradingDay(d))
      throw new InvalidInputError(
        `--date ${d} is not a trading day (weekend or exchange holiday)`,
        'date',
        'see the command with --help for its options',
        { hintInMessage: true },
      );
    if (d < md.snapshots[0]!.date) return requireDataDate(md, opts.date);
    return d;
  }
  if (opts.session === 'snapshot')
    throw new InvalidInputError(
      '--session snapshot needs --date',
      'session',
      'see the command with --help for its options',
      { hintInMessage: true },
    );
  if (!hasChainStore(opts.dataDir)) return lastRow;
  const after = await loadSnapshotChains(opts.dataDir, {
    from: addDays(lastRow, 1),
    to: '9999-12-31' as IsoDate,
  });
  const days = [...after.used.map((u) => u.date), ...after.refused.map((r) => r.date)].sort();
  return days.at(-1) ?? lastRow;
}
