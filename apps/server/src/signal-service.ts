import {
  computeSignal,
  marketData,
  presetOption,
  requireDataDate,
  type SignalWithBook,
} from '@vixshield/app';
import { type Book, bookFromFills, DEFAULT_EQUITY_USD, type IsoDate } from '@vixshield/core';
import { inputsHash, type Journal, type SignalRow } from '@vixshield/journal';
import type { SignalPool } from './jobs/signal-pool';

/**
 * The positions of the journal's counted fills (voided ones left out) as the engine's Book. Positions
 * past expiry stay in it: each signal settles them for its own day (see `bookForSignal`).
 */
export function journalBook(journal: Journal): Book {
  return bookFromFills(journal.fills());
}

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
  return computeAndStore(journal, date, preset, equity, book, inputs, dataDir);
}

function computeAndStore(
  journal: Journal,
  date: IsoDate,
  preset: string,
  equity: number,
  book: Book,
  inputs: unknown,
  dataDir: string | undefined,
) {
  const signal = computeSignal({
    date,
    preset,
    equity: String(equity),
    bookValue: book,
    // The engine state of this preset is loaded from the journal and the state after it stored.
    stateStore: journal,
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
  if (state !== undefined) journal.saveEngineState(a.preset, a.date, state);
  journalSettlements(journal, a.date, signal);
  const r = journal.storeSignal(a.date, a.preset, inputs, signal);
  return { signal, revision: r.revision, stored: r.status };
}
