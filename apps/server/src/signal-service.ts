import {
  type BookOfDay,
  computeSignal,
  marketData,
  presetOption,
  readBookOfDay,
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
  return computeAndStore(journal, date, preset, equity, day, inputs, dataDir);
}

function computeAndStore(
  journal: Journal,
  date: IsoDate,
  preset: string,
  equity: number,
  day: BookOfDay,
  inputs: unknown,
  dataDir: string | undefined,
) {
  const signal = computeSignal({
    date,
    preset,
    equity: String(equity),
    bookOfDay: day,
    // The engine state of this preset is loaded from the journal and the state after it stored.
    stateStore: journal,
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
  if (state !== undefined) journal.saveEngineState(a.preset, a.date, state);
  const r = journal.storeSignal(a.date, a.preset, inputs, signal);
  return { signal, revision: r.revision, stored: r.status };
}
