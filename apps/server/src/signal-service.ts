import {
  computeSignal,
  loadStrategyConfig,
  marketData,
  presetOption,
  readOnlyStateStore,
  requireDataDate,
  type SignalWithBook,
} from '@vixshield/app';
import { type Book, bookFromFills, DEFAULT_EQUITY_USD, type IsoDate, PRESET_NAMES } from '@vixshield/core';
import { inputsHash, type Journal, type SignalRow } from '@vixshield/journal';
import type { SignalPool } from './jobs/signal-pool';

/**
 * The positions of the journal's counted fills (voided ones left out) as the engine's Book. Positions
 * past expiry stay in it: each signal settles them for its own day (see `bookForSignal`).
 */
export function journalBook(journal: Journal): Book {
  return bookFromFills(journal.fills());
}

/** Hedge layers a fill may name: the most any preset's config has (every preset has 3 today). */
export const HEDGE_LAYERS = Math.max(
  ...PRESET_NAMES.map((p) => loadStrategyConfig(presetOption(p)).hedge.layers.length),
);

/**
 * The journal's book for a signal of `date`: without the positions whose settlement was journaled for
 * an earlier day (they are closed; the signal of the first day after their expiry listed them).
 */
export function bookForSignal(journal: Journal, book: Book, date: IsoDate): Book {
  const closed = new Set(
    journal
      .settlements()
      .filter((s) => s.recordedFor < date)
      .map((s) => s.positionId),
  );
  if (closed.size === 0) return book;
  return {
    condors: book.condors.filter((c) => !closed.has(c.id)),
    hedges: book.hedges.filter((h) => !closed.has(h.id)),
  };
}

/**
 * The equity of the account whose engine state the journal keeps: the equity the scheduled daily
 * signal runs at (the server starts its daily service without another one).
 */
export const ACCOUNT_EQUITY_USD = DEFAULT_EQUITY_USD;

/**
 * Whether a request is the account's own: the account equity and the journal's book of that day. Only
 * such a request writes the engine state the next session continues from; any other (another equity,
 * `book=none` over a journal that holds positions) is ad hoc: it starts from the stored state and
 * leaves it as it was (docs/decisions/0005, item 29). Decided on the values, not on how the request
 * was spelled: `book=none` over an empty journal is the account's request.
 */
export function isAccountRequest(journal: Journal, date: IsoDate, equity: number, book: Book): boolean {
  if (equity !== ACCOUNT_EQUITY_USD) return false;
  return inputsHash(book) === inputsHash(bookForSignal(journal, journalBook(journal), date));
}

/** Journals the settlements a signal made (once per position: the audit trail of the book). */
export function journalSettlements(journal: Journal, date: IsoDate, signal: unknown): void {
  const settled = (signal as SignalWithBook | undefined)?.bookSettlement?.settled;
  if (settled && settled.length > 0) journal.recordSettlements(settled, date);
}

/** Computes (or finds) the signal for the request and stores it in the journal. */
export function signalFor(
  journal: Journal,
  q: { date?: string; preset?: string; equity?: number; book?: 'journal' | 'none' },
  dataDir?: string,
) {
  const preset = presetOption(q.preset);
  const date = requireDataDate(marketData(dataDir), q.date);
  const equity = q.equity ?? DEFAULT_EQUITY_USD;
  const book =
    q.book === 'none' ? { condors: [], hedges: [] } : bookForSignal(journal, journalBook(journal), date);
  const inputs = { date, preset, equity, book };
  const found = journal.findSignal(date, preset, inputs);
  if (found) return { signal: found.signal, revision: found.revision, stored: 'unchanged' as const };
  const account = isAccountRequest(journal, date, equity, book);
  return computeAndStore(journal, date, preset, equity, book, inputs, dataDir, account);
}

function computeAndStore(
  journal: Journal,
  date: IsoDate,
  preset: string,
  equity: number,
  book: Book,
  inputs: unknown,
  dataDir: string | undefined,
  account: boolean,
) {
  const signal = computeSignal({
    date,
    preset,
    equity: String(equity),
    bookValue: book,
    // The engine state of this preset is loaded from the journal; the state after it is stored only
    // for the account's own request (an ad-hoc one must not replace what the next session continues from).
    stateStore: account ? journal : readOnlyStateStore(journal),
    ...(dataDir ? { dataDir } : {}),
  });
  journalSettlements(journal, date, signal);
  const r = journal.storeSignal(date, preset, inputs, signal);
  return { signal, revision: r.revision, stored: r.status };
}

/**
 * The signal for these inputs: the journal's stored one, else computed on the worker thread (never on
 * the event loop) and stored. Used by GET /api/signal on a cache miss and by the scheduler.
 */
export async function signalOffLoop(
  journal: Journal,
  pool: SignalPool,
  a: { date: IsoDate; preset: string; equity: number; book: Book; dataDir?: string | undefined },
): Promise<{
  signal: unknown;
  revision: number;
  stored: 'inserted' | 'unchanged' | 'revised';
  row?: SignalRow;
}> {
  const inputs = { date: a.date, preset: a.preset, equity: a.equity, book: a.book };
  const hash = inputsHash(inputs);
  const row = journal.findSignalRawByHash(a.date, a.preset, hash);
  if (row) return { signal: undefined, revision: row.revision, stored: 'unchanged', row };
  // The worker gets the preset's stored engine state and returns the next one, stored here (the same
  // memory as the synchronous path: issue 15 case 9).
  const priorState = journal.engineStateBefore(a.preset, a.date);
  const { signal, state } = await pool.compute(`${a.date}|${a.preset}|${hash}`, {
    date: a.date,
    preset: a.preset,
    equity: a.equity,
    book: a.book,
    ...(priorState ? { priorState } : {}),
    ...(a.dataDir ? { dataDir: a.dataDir } : {}),
  });
  // Only the account's own request replaces the state the next session continues from (item 29).
  if (state !== undefined && isAccountRequest(journal, a.date, a.equity, a.book))
    journal.saveEngineState(a.preset, a.date, state);
  journalSettlements(journal, a.date, signal);
  const r = journal.storeSignal(a.date, a.preset, inputs, signal);
  return { signal, revision: r.revision, stored: r.status };
}
