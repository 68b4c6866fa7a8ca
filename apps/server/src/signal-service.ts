import { computeSignal, marketData, parseBook, presetOption, requireDataDate } from '@vixshield/app';
import { type Book, DEFAULT_EQUITY_USD, type IsoDate } from '@vixshield/core';
import { inputsHash, type Journal, type SignalRow } from '@vixshield/journal';
import type { SignalPool } from './jobs/signal-pool';

/** The open positions recorded in the journal, as the engine's Book. */
export function journalBook(journal: Journal): Book {
  const open = journal.openPositions();
  return parseBook(
    {
      condors: open.flatMap((p) =>
        p.instrument === 'condor'
          ? [
              {
                id: p.positionId,
                tier: p.tier,
                expiry: p.expiry,
                strikes: p.strikes,
                quantity: p.openQuantity,
                openedOn: p.date,
                entryCredit: p.price,
              },
            ]
          : [],
      ),
      hedges: open.flatMap((p) =>
        p.instrument === 'hedge'
          ? [
              {
                id: p.positionId,
                layer: p.layer,
                expiry: p.expiry,
                strike: p.strike,
                quantity: p.openQuantity,
                openedOn: p.date,
                entryPrice: p.price,
              },
            ]
          : [],
      ),
    },
    'journal book',
  );
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
  const book = q.book === 'none' ? { condors: [], hedges: [] } : journalBook(journal);
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
  const signal = await pool.compute(`${a.date}|${a.preset}|${hash}`, {
    date: a.date,
    preset: a.preset,
    equity: a.equity,
    book: a.book,
    ...(a.dataDir ? { dataDir: a.dataDir } : {}),
  });
  const r = journal.storeSignal(a.date, a.preset, inputs, signal);
  return { signal, revision: r.revision, stored: r.status };
}
