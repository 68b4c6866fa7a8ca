import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { marketData, requireDataDate } from '@vixshield/app';
import { DEFAULT_EQUITY_USD } from '@vixshield/core';
import { openJournal } from '@vixshield/journal';
import { buildServer, journalBook, type ServerOptions, signalOffLoop } from './app';
import { SignalPool } from './jobs/signal-pool';
import { Scheduler } from './scheduler';

export * from './app';
export * from './auth';
export * from './errors';
export * from './jobs/backtest';
export * from './jobs/backtest-queue';
export * from './jobs/signal';
export * from './jobs/signal-pool';
export * from './signal-cache';

/** apps/web/dist relative to this package (the dashboard build output). */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface StartOptions extends Omit<ServerOptions, 'journal'> {
  readonly port?: number;
  readonly host?: string;
  /** Data directory: the journal is <dataDir>/journal.sqlite, the backtest runs <dataDir>/backtests.sqlite. */
  readonly dataDir?: string;
  /** Starts the daily scheduler (compute, store, POST to the webhooks). */
  readonly schedule?: { webhooks: readonly string[]; presets?: readonly string[]; timeCt?: string };
}

/** Opens the journal, builds the app and listens; resolves with the bound address. */
export async function startServer(opts: StartOptions) {
  const dataDir = resolve(opts.dataDir ?? '.vixshield');
  const journal = openJournal(resolve(dataDir, 'journal.sqlite'));
  // Load the market data before listening, so no request pays for it (it is cached per process).
  const md = marketData(dataDir);
  // The worker thread of first-time signal computations is ready before the server listens.
  const signalPool = new SignalPool();
  await signalPool.warm(dataDir);
  let app: Awaited<ReturnType<typeof buildServer>>;
  try {
    app = await buildServer({ webDir: DEFAULT_WEB_DIR, ...opts, dataDir, journal, signalPool });
  } catch (err) {
    // E.g. a damaged backtests.sqlite: release the worker thread and the journal, so the caller's
    // process can report the error and exit.
    await signalPool.close();
    journal.close();
    throw err;
  }
  let scheduler: Scheduler | undefined;
  if (opts.schedule) {
    scheduler = new Scheduler({
      journal,
      webhooks: opts.schedule.webhooks,
      ...(opts.schedule.presets ? { presets: opts.schedule.presets } : {}),
      ...(opts.schedule.timeCt ? { timeCt: opts.schedule.timeCt } : {}),
      compute: async (date, preset) => {
        const r = await signalOffLoop(journal, signalPool, {
          date: requireDataDate(md, date),
          preset,
          equity: DEFAULT_EQUITY_USD,
          book: journalBook(journal),
          dataDir,
        });
        return r.row ? JSON.parse(r.row.signal_json) : r.signal;
      },
      log: (m) => app.log.info(m),
    });
  }
  app.addHook('onClose', async () => {
    scheduler?.stop();
    await scheduler?.running?.catch(() => undefined);
    await signalPool.close();
    journal.close();
  });
  let address: string;
  try {
    address = await app.listen({ port: opts.port ?? 8787, host: opts.host ?? '127.0.0.1' });
  } catch (err) {
    await app.close(); // e.g. the port is taken: release the data dir, the threads and the journal
    throw err;
  }
  scheduler?.start();
  return { app, address, journal, scheduler };
}
export * from './scheduler';
