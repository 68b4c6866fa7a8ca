import {
  type BookOfDay,
  computeSignal,
  marketData,
  presetOption,
  readBookOfDay,
  readOnlyStateStore,
  requireDataDate,
  signalBookInputs,
} from '@vixshield/app';
import { type Book, bookFromFills, DEFAULT_EQUITY_USD, EMPTY_BOOK, type IsoDate } from '@vixshield/core';
import { inputsHash, type Journal, type SignalRow } from '@vixshield/journal';
import type { SignalPool } from './jobs/signal-pool';

/**
 * The positions of the journal's counted fills (voided ones left out) as the engine's Book, expired ones
 * included: a signal reads the book of its day with `readBookOfDay`, which settles and journals them.
 */
export function journalBook(journal: Journal): Book {
  return bookFromFills(journal.fills());
}

/**
 * The book of a signal of `date` from the journal (`book` 'journal', the default) or none: the one step
 * of every server path (GET /api/signal cached or not, the worker pool, the scheduler). Expired
 * positions are settled and journaled here, once per position, before any stored signal is looked up.
 */
export function journalBookOfDay(
  journal: Journal,
  date: IsoDate,
  book: 'journal' | 'none' | undefined,
  dataDir?: string,
): BookOfDay {
  return book === 'none' ? { date, book: EMPTY_BOOK } : readBookOfDay(journal, date, marketData(dataDir));
}

/**
 * The equity of the account whose engine state the journal keeps: the equity the scheduled daily
 * signal runs at (the server starts its daily service without another one).
 */
export const ACCOUNT_EQUITY_USD = DEFAULT_EQUITY_USD;

/**
 * Whether a request is the account's own: the account equity and the journal's book of that day (its
 * open positions, as journalBookOfDay reads them). Only such a request writes the engine state the next
 * session continues from; any other (another equity, `book=none` over a journal that holds positions)
 * is ad hoc: it starts from the stored state and leaves it as it was (docs/decisions/0005, item 29).
 * Decided on the values, not on how the request was spelled: `book=none` over an empty journal is the
 * account's request.
 */
export function isAccountRequest(
  journal: Journal,
  date: IsoDate,
  equity: number,
  book: Book,
  dataDir?: string,
): boolean {
  if (equity !== ACCOUNT_EQUITY_USD) return false;
  return inputsHash(book) === inputsHash(journalBookOfDay(journal, date, 'journal', dataDir).book);
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
  const day = journalBookOfDay(journal, date, q.book, dataDir);
  const inputs = { date, preset, equity, ...signalBookInputs(day) };
  const found = journal.findSignal(date, preset, inputs);
  if (found) return { signal: found.signal, revision: found.revision, stored: 'unchanged' as const };
  const account = isAccountRequest(journal, date, equity, day.book, dataDir);
  return computeAndStore(journal, date, preset, equity, day, inputs, dataDir, account);
}

function computeAndStore(
  journal: Journal,
  date: IsoDate,
  preset: string,
  equity: number,
  day: BookOfDay,
  inputs: unknown,
  dataDir: string | undefined,
  account: boolean,
) {
  const signal = computeSignal({
    date,
    preset,
    equity: String(equity),
    bookOfDay: day,
    // The engine state of this preset is loaded from the journal; the state after it is stored only
    // for the account's own request (an ad-hoc one must not replace what the next session continues from).
    stateStore: account ? journal : readOnlyStateStore(journal),
    ...(dataDir ? { dataDir } : {}),
  });
  const r = journal.storeSignal(date, preset, inputs, signal);
  return { signal, revision: r.revision, stored: r.status };
}

/**
 * The signal for these inputs: the journal's stored one, else computed on the worker thread (never on
 * the event loop) and stored. Used by GET /api/signal on a cache miss. The book of the day was read
 * (and its settlements journaled) by the caller: `journalBookOfDay`.
 */
export async function signalOffLoop(
  journal: Journal,
  pool: SignalPool,
  a: { date: IsoDate; preset: string; equity: number; day: BookOfDay; dataDir?: string | undefined },
): Promise<{
  signal: unknown;
  revision: number;
  stored: 'inserted' | 'unchanged' | 'revised';
  row?: SignalRow;
}> {
  if (a.day.date !== a.date) throw new Error(`the book was read for ${a.day.date}, not ${a.date}`);
  const inputs = { date: a.date, preset: a.preset, equity: a.equity, ...signalBookInputs(a.day) };
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
    day: a.day,
    ...(priorState ? { priorState } : {}),
    ...(a.dataDir ? { dataDir: a.dataDir } : {}),
  });
  // Only the account's own request replaces the state the next session continues from (item 29).
  if (state !== undefined && isAccountRequest(journal, a.date, a.equity, a.day.book, a.dataDir))
    journal.saveEngineState(a.preset, a.date, state);
  const r = journal.storeSignal(a.date, a.preset, inputs, signal);
  return { signal, revision: r.revision, stored: r.status };
}
