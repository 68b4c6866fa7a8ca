import { computeSignal, marketData } from '@vixshield/app';
import type { Book } from '@vixshield/core';
import { type ApiError, toApiError } from '../errors';

export interface SignalJob {
  readonly kind: 'signal';
  readonly date: string;
  readonly preset: string;
  readonly equity: number;
  readonly book: Book;
  readonly dataDir?: string;
}

export type SignalJobResult =
  | { readonly ok: true; readonly signal: unknown }
  | { readonly ok: false; readonly status: number; readonly error: ApiError };

/** Computes one day's signal, as a worker thread executes it (see worker.mjs). */
export function runSignalJob(job: SignalJob): SignalJobResult {
  try {
    return {
      ok: true,
      signal: computeSignal({
        date: job.date,
        preset: job.preset,
        equity: String(job.equity),
        bookValue: job.book,
        ...(job.dataDir ? { dataDir: job.dataDir } : {}),
      }),
    };
  } catch (err) {
    const { status, body } = toApiError(err);
    return { ok: false, status, error: body };
  }
}

/** Loads the market data in the worker (the engine modules are loaded with this file). */
export function warmSignalWorker(dataDir?: string): boolean {
  return marketData(dataDir).snapshots.length > 0;
}
