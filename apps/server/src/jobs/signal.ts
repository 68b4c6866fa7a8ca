import { type BookOfDay, computeSignal, marketData } from '@vixshield/app';
import { type ApiError, toApiError } from '../errors';

export interface SignalJob {
  readonly kind: 'signal';
  readonly date: string;
  readonly preset: string;
  readonly equity: number;
  /** The book of the day, read (and its expired positions settled and journaled) by the main thread. */
  readonly day: BookOfDay;
  readonly dataDir?: string;
  /**
   * The engine state stored after the preset's previous session (read from the journal by the main
   * thread: a worker never opens the journal); the state after this session comes back in the result.
   */
  readonly priorState?: { readonly date: string; readonly state: unknown };
}

export type SignalJobResult =
  | { readonly ok: true; readonly signal: unknown; readonly state?: unknown }
  | { readonly ok: false; readonly status: number; readonly error: ApiError };

/** Computes one day's signal, as a worker thread executes it (see worker.mjs). */
export function runSignalJob(job: SignalJob): SignalJobResult {
  try {
    // The engine state travels with the job (issue 15 case 9): the same step with the same memory as the
    // synchronous path, whose store is the journal itself.
    let state: unknown;
    const signal = computeSignal({
      date: job.date,
      preset: job.preset,
      equity: String(job.equity),
      bookOfDay: job.day,
      stateStore: {
        engineStateBefore: () => job.priorState,
        saveEngineState: (_preset, _date, next) => {
          state = next;
        },
      },
      ...(job.dataDir ? { dataDir: job.dataDir } : {}),
    });
    return { ok: true, signal, ...(state !== undefined ? { state } : {}) };
  } catch (err) {
    const { status, body } = toApiError(err);
    return { ok: false, status, error: body };
  }
}

/** Loads the market data in the worker (the engine modules are loaded with this file). */
export function warmSignalWorker(dataDir?: string): boolean {
  return marketData(dataDir).snapshots.length > 0;
}
